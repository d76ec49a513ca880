"""Admin registration of workflows and cases."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from content.permissions import TerritoryPermissionPolicy
from workflows.models import Case, MessageTemplate, WorkflowDefinition
from workflows.panels import CasesWaitingPanel
from workflows.permissions import CasePermissionPolicy
from workflows.selectors import cases_visible_to
from workflows.views import (
    CaseViewSet,
    MessageTemplateViewSet,
    WorkflowDefinitionViewSet,
)

register_permission_policy(
    WorkflowDefinition, TerritoryPermissionPolicy(WorkflowDefinition)
)
register_permission_policy(MessageTemplate, TerritoryPermissionPolicy(MessageTemplate))
register_permission_policy(Case, CasePermissionPolicy(Case))
register_snippet(WorkflowDefinitionViewSet)
register_snippet(MessageTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return CaseViewSet("cases")


@hooks.register("construct_homepage_panels")
def cases_waiting_panel(request, panels):
    if cases_visible_to(request.user).exists():
        panels.append(CasesWaitingPanel(request.user))


@hooks.register("insert_global_admin_css")
def case_board_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("workflows/admin.css")
    )


@hooks.register("register_snippet_listing_buttons")
def board_button(snippet, user, next_url=None):
    if (
        isinstance(snippet, WorkflowDefinition)
        and snippet.live
        and not snippet.is_template
    ):
        yield ListingButton(
            _("Board"),
            reverse("cases:board", args=[snippet.pk]),
            icon_name="table",
            priority=5,
        )
