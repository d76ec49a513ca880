"""Admin registration of data protection."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from content.permissions import TerritoryPermissionPolicy
from data_protection.models import DataIncident
from data_protection.views import DataIncidentViewSet, PersonalDataViewSet

register_permission_policy(DataIncident, TerritoryPermissionPolicy(DataIncident))
register_snippet(DataIncidentViewSet)


@hooks.register("register_admin_viewset")
def register_personal_data_viewset():
    return PersonalDataViewSet("personal_data", url_prefix="personal-data")
