"""Admin hooks of the content app, and its partner directory."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from content.admin_walls import walled_media_endpoint, why_not_deleted
from content.models import (
    ActionPage,
    ActionPlanPage,
    PartnerOrganisation,
    TerritoryPage,
)
from content.moderation_reports import TerritoryWorkflowTasksView, TerritoryWorkflowView
from content.page_copies import copy_destination_problem
from content.permissions import TerritoryPermissionPolicy
from content.services import member_time_zone_default
from content.views import PartnerViewSet, plan_report_view, user_may_report_on


@hooks.register("before_copy_page")
def refuse_copying_a_territory(request, page):
    # A territory owns its code, groups and cases: a copy would be half of one.
    if isinstance(page.specific, TerritoryPage):
        messages.error(
            request,
            _(
                "A territory cannot be copied: create a new territory, then "
                "start its forms from the shared templates."
            ),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def _copy_destination(request) -> Page | None:
    chosen = request.POST.get("new_parent_page", "")
    return Page.objects.filter(pk=int(chosen)).first() if chosen.isdecimal() else None


@hooks.register("before_copy_page")
def explain_a_copy_destination_that_is_no_page(request, page):
    # Wagtail's copy view reads the destination before its form checks it,
    # and fails on anything but a page's id.
    if request.method != "POST" or _copy_destination(request) is not None:
        return None
    messages.error(request, _("Choose the page the copy goes under."))
    return redirect("wagtailadmin_pages:copy", page.pk)


@hooks.register("before_copy_page")
def refuse_copying_a_plan_or_action_astray(request, page):
    # An action names its plan's axis and its territory's forms, partners and
    # workflows: elsewhere it would point at what is not there.
    if request.method != "POST":
        return None
    specific = page.specific
    if not isinstance(specific, ActionPlanPage | ActionPage):
        return None
    problem = copy_destination_problem(specific, _copy_destination(request))
    if problem is None:
        return None
    messages.error(request, problem)
    return redirect("wagtailadmin_pages:copy", page.pk)


@hooks.register("after_create_user")
@hooks.register("after_edit_user")
def time_zone_of_a_new_member(request, user):
    member_time_zone_default(user=user)


@hooks.register("before_bulk_action")
def refuse_deleting_what_is_in_use(request, action_type, objects, action):
    """Deleting several forms or workflows at once says which one is still
    in use, as deleting one does, instead of a server error."""
    if action_type != "delete":
        return None
    reason = why_not_deleted(objects)
    if not reason:
        return None
    messages.error(request, reason)
    return redirect(action.next_url)


# Reports that read across every territory (see content/walled_admin_urls.py).
SUPERUSERS_REPORTS = {"site-history", "page-types-usage"}
MODERATION_REPORTS = {
    "workflows": TerritoryWorkflowView.page_title,
    "workflow-tasks": TerritoryWorkflowTasksView.page_title,
}


@hooks.register("construct_reports_menu")
def cross_territory_reports_for_superusers_only(request, menu_items):
    # The site history lists every territory's objects and editors; the page
    # types usage counts their pages and names their last edited ones.
    if not request.user.is_superuser:
        menu_items[:] = [
            item for item in menu_items if item.name not in SUPERUSERS_REPORTS
        ]


@hooks.register("construct_reports_menu")
def moderation_reports_named_as_approvals(request, menu_items):
    # Wagtail calls its moderation reports "Workflows", translated as our own
    # case workflows are: two different screens of the same name.
    for item in menu_items:
        if item.name in MODERATION_REPORTS:
            item.label = MODERATION_REPORTS[item.name]


# After Wagtail's own hooks, which register the unwalled endpoints.
@hooks.register("construct_admin_api", order=100)
def media_of_the_users_collections_in_the_admin_api(router):
    router.register_endpoint(
        "documents", walled_media_endpoint(DocumentsAdminAPIViewSet)
    )
    router.register_endpoint("images", walled_media_endpoint(ImagesAdminAPIViewSet))


register_permission_policy(
    PartnerOrganisation, TerritoryPermissionPolicy(PartnerOrganisation)
)
register_snippet(PartnerViewSet)


@hooks.register("register_admin_urls")
def register_plan_report_url():
    return [
        path(
            "plans/<int:plan_id>/report/",
            plan_report_view,
            name="content_plan_report",
        )
    ]


@hooks.register("register_page_header_buttons")
def plan_report_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, ActionPlanPage) and user_may_report_on(
        user, page.specific
    ):
        yield PageMenuItem(
            _("Funder report"),
            reverse("content_plan_report", args=[page.pk]),
            icon_name="download",
            priority=80,
            page=page,
        )
