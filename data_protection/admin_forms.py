"""Admin forms of data protection."""

from content.admin_forms import TerritoryOwnedAdminForm


class DataIncidentAdminForm(TerritoryOwnedAdminForm):
    """An incident belongs to one of the territories the user coordinates."""
