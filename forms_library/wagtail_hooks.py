"""Admin registration of the forms library."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from forms_library.models import FormDefinition, Submission
from forms_library.permissions import TerritoryPermissionPolicy
from forms_library.views import FormDefinitionViewSet, SubmissionViewSet

register_permission_policy(FormDefinition, TerritoryPermissionPolicy(FormDefinition))
register_permission_policy(Submission, TerritoryPermissionPolicy(Submission))
register_snippet(FormDefinitionViewSet)


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return SubmissionViewSet("submissions")
