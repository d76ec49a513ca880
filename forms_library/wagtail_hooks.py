"""Admin registration of the forms library."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from content.permissions import TerritoryPermissionPolicy
from forms_library.export_views import ExportViewSet
from forms_library.models import FormDefinition, Submission
from forms_library.views import FormDefinitionViewSet, SubmissionViewSet

register_permission_policy(FormDefinition, TerritoryPermissionPolicy(FormDefinition))
register_permission_policy(Submission, TerritoryPermissionPolicy(Submission))
register_snippet(FormDefinitionViewSet)


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return SubmissionViewSet("submissions")


@hooks.register("register_admin_viewset")
def register_export_viewset():
    return ExportViewSet("exports", url_prefix="exports")


@hooks.register("register_snippet_listing_buttons")
def copy_template_button(snippet, user, next_url=None):
    if (
        isinstance(snippet, FormDefinition)
        and snippet.is_template
        and snippet.live
        and user.has_perm("forms_library.add_formdefinition")
    ):
        yield ListingButton(
            _("Start from this template"),
            reverse(
                "wagtailsnippets_forms_library_formdefinition:copy_template",
                args=[snippet.pk],
            ),
            icon_name="copy",
            priority=5,
        )
