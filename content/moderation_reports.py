"""Wagtail's moderation reports, with filters that stay inside the report.

The reports list only the pages a person may edit, but their filters offered
every workflow, every approval task and everyone who ever asked for an
approval, whatever their territory: a coordinator read the other
territories' workflow names and the names of their staff. Here each filter
offers only what the report itself holds.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.models import Task, Workflow

from content.admin_filters import people_among


def _narrow(filterset, name: str, queryset: QuerySet) -> None:
    filterset.filters[name].queryset = queryset


class TerritoryWorkflowReportFilterSet(WorkflowReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states = self.queryset
        _narrow(
            self, "workflow", Workflow.objects.filter(pk__in=states.values("workflow"))
        )
        _narrow(self, "requested_by", people_among(states.values("requested_by")))


class TerritoryWorkflowTasksReportFilterSet(WorkflowTasksReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        task_states = self.queryset
        _narrow(
            self,
            "workflow",
            Workflow.objects.filter(
                pk__in=task_states.values("workflow_state__workflow")
            ),
        )
        _narrow(self, "task", Task.objects.filter(pk__in=task_states.values("task")))


class ReportQuerysetToFilters:
    """Hands the report's own (walled) rows to its filters, which Wagtail's
    listing views build without them."""

    def get_filterset_kwargs(self) -> dict:
        return {**super().get_filterset_kwargs(), "queryset": self.get_queryset()}


class TerritoryWorkflowView(ReportQuerysetToFilters, WorkflowView):
    page_title = _("Page approvals")
    filterset_class = TerritoryWorkflowReportFilterSet


class TerritoryWorkflowTasksView(ReportQuerysetToFilters, WorkflowTasksView):
    page_title = _("Page approval tasks")
    filterset_class = TerritoryWorkflowTasksReportFilterSet
