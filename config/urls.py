"""URLs: the Wagtail admin unprefixed, the public site under /fr/ and /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import workflows
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.api.v3.urls import api
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from content.admin_walls import (
    superusers_only,
    walled_bulk_action,
    workflow_builders_only,
)
from content.moderation_reports import TerritoryWorkflowTasksView, TerritoryWorkflowView
from content.page_privacy import TerritoryPrivacyView

# Before Wagtail's own: the site history and the page types usage (counts and
# last edited page of each type) cross territories, and the moderation
# reports' filters must offer only what the report holds.
SITE_HISTORY = "admin/reports/site-history/"
PAGE_TYPES_USAGE = "admin/reports/page-types-usage/"
REPORTS = "admin/reports/"

moderation_reports = decorate_urlpatterns(
    [
        path(f"{REPORTS}workflow/", TerritoryWorkflowView.as_view()),
        path(
            f"{REPORTS}workflow/results/",
            TerritoryWorkflowView.as_view(results_only=True),
        ),
        path(f"{REPORTS}workflow_tasks/", TerritoryWorkflowTasksView.as_view()),
        path(
            f"{REPORTS}workflow_tasks/results/",
            TerritoryWorkflowTasksView.as_view(results_only=True),
        ),
    ],
    require_admin_access,
)

urlpatterns = [
    path(SITE_HISTORY, superusers_only(LogEntriesView.as_view())),
    path(
        f"{SITE_HISTORY}results/",
        superusers_only(LogEntriesView.as_view(results_only=True)),
    ),
    path(PAGE_TYPES_USAGE, superusers_only(PageTypesUsageReportView.as_view())),
    path(
        f"{PAGE_TYPES_USAGE}results/",
        superusers_only(PageTypesUsageReportView.as_view(results_only=True)),
    ),
    *moderation_reports,
    # Before Wagtail's own: its privacy form offers every territory's groups.
    path(
        "admin/pages/<int:page_id>/privacy/",
        require_admin_access(TerritoryPrivacyView.as_view()),
        name="maillage_page_privacy",
    ),
    # Before Wagtail's own: its confirmations name every selected object.
    path(
        "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
        require_admin_access(walled_bulk_action),
    ),
    # Before Wagtail's own: the task chooser lists every territory's tasks.
    *[
        path(
            f"admin/workflows/task_chooser/{suffix}",
            require_admin_access(workflow_builders_only(view)),
        )
        for suffix, view in [
            ("", workflows.TaskChooserView.as_view()),
            ("results/", workflows.TaskChooserResultsView.as_view()),
            ("create/", workflows.TaskChooserCreateView.as_view()),
            ("<int:task_id>/", workflows.task_chosen),
        ]
    ],
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v3/", api.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
