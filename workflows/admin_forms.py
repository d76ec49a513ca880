"""Admin forms of workflows."""

from django.utils.translation import gettext_lazy as _

from content.admin_forms import TerritoryOwnedAdminForm
from workflows.graph import graph_errors


class WorkflowDefinitionAdminForm(TerritoryOwnedAdminForm):
    """Offers the user's territories; checks the whole graph when publishing.

    A draft may be incomplete: saving it keeps the coordinator's work, and
    only publishing asks for a valid graph.
    """

    shared_allowed = True
    territory_help_text = _("The territory this workflow belongs to.")

    @property
    def is_publishing(self) -> bool:
        return bool(self.data.get("action-publish"))

    def clean(self):
        cleaned = super().clean()
        graph = cleaned.get("graph")
        if self.is_publishing and graph is not None and "graph" not in self.errors:
            territory = cleaned.get("territory")
            errors = graph_errors(
                graph.get_prep_value(),
                territory_id=territory.pk if territory else None,
                workflow_id=self.instance.pk,
            )
            if errors is not None:
                self.add_error("graph", errors)
        return cleaned


class MessageTemplateAdminForm(TerritoryOwnedAdminForm):
    """A message of one of the user's territories; superusers share theirs."""

    shared_allowed = True
    territory_help_text = _("The territory whose workflows use this message.")
