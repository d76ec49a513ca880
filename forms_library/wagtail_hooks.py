"""Admin registration of the forms library."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from forms_library.models import FormDefinition
from forms_library.permissions import TerritoryFormPermissionPolicy
from forms_library.views import FormDefinitionViewSet

register_permission_policy(
    FormDefinition, TerritoryFormPermissionPolicy(FormDefinition)
)
register_snippet(FormDefinitionViewSet)
