"""Wagtail admin URLs whose views read across territories, walled.

Included under /admin/ before Wagtail's own URLs, so each of these answers
instead of Wagtail's view of the same address. Every view keeps Wagtail's
own admin access check.
"""

from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import workflows
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.utils.urlpatterns import decorate_urlpatterns

from content.admin_walls import (
    superusers_only,
    walled_bulk_action,
    workflow_builders_only,
)
from content.moderation_reports import TerritoryWorkflowTasksView, TerritoryWorkflowView
from content.page_privacy import TerritoryPrivacyView


def _with_results(prefix: str, view_class, wall=lambda view: view) -> list:
    """A Wagtail report and the results-only address its filters refresh."""
    return [
        path(prefix, wall(view_class.as_view())),
        path(f"{prefix}results/", wall(view_class.as_view(results_only=True))),
    ]


urlpatterns = decorate_urlpatterns(
    [
        # The site history and the page types usage (counts, and the last
        # edited page of each type) cross territories: superusers only.
        *_with_results("reports/site-history/", LogEntriesView, superusers_only),
        *_with_results(
            "reports/page-types-usage/", PageTypesUsageReportView, superusers_only
        ),
        # The moderation reports' filters offer only what the report holds.
        *_with_results("reports/workflow/", TerritoryWorkflowView),
        *_with_results("reports/workflow_tasks/", TerritoryWorkflowTasksView),
        # Wagtail's privacy form offers every territory's groups.
        path(
            "pages/<int:page_id>/privacy/",
            TerritoryPrivacyView.as_view(),
            name="maillage_page_privacy",
        ),
        # Wagtail's bulk action confirmations name every selected object.
        path("bulk/<str:app_label>/<str:model_name>/<str:action>/", walled_bulk_action),
        # The task chooser lists every territory's approval tasks.
        *[
            path(f"workflows/task_chooser/{suffix}", workflow_builders_only(view))
            for suffix, view in [
                ("", workflows.TaskChooserView.as_view()),
                ("results/", workflows.TaskChooserResultsView.as_view()),
                ("create/", workflows.TaskChooserCreateView.as_view()),
                ("<int:task_id>/", workflows.task_chosen),
            ]
        ],
    ],
    require_admin_access,
)
