"""The cases of a workflow as rows: where each stands and how long it spent in
each state, shaped with pandas chunk by chunk."""

from collections import defaultdict
from collections.abc import Iterator

import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.utils import get_user_display_name

from forms_library.exports import local_times
from forms_library.models import DataExport, ExportFormat
from workflows.models import Case, CaseEvent, CaseEventKind, graph_of_revision
from workflows.selectors import cases_visible_to

CHUNK_ROWS = 2000


def _cases(export: DataExport) -> QuerySet[Case]:
    cases = cases_visible_to(export.requested_by).filter(workflow=export.workflow_id)
    if export.date_from:
        cases = cases.filter(opened_at__date__gte=export.date_from)
    if export.date_to:
        cases = cases.filter(opened_at__date__lte=export.date_to)
    return cases


def _days_in_states(case: Case, events: list[CaseEvent], now) -> dict[str, float]:
    """Days spent in each state, from the opening and the transitions."""
    spent: dict[str, float] = defaultdict(float)
    state, since = None, case.opened_at
    for event in events:
        if state is not None:
            spent[state] += (event.created_at - since).total_seconds() / 86400
        state, since = event.to_state, event.created_at
    if state is not None and not case.closed_at:
        spent[state] += (now - since).total_seconds() / 86400
    return spent


def case_frames(export: DataExport) -> tuple[list[str], int, Iterator[pd.DataFrame]]:
    """Headers, row count and the frames of a cases export."""
    workflow = export.workflow
    states = list(graph_of_revision(workflow.live_revision).states.values())
    base = [
        _("Reference"),
        _("Name"),
        _("State"),
        _("Opened at"),
        _("Closed at"),
        _("Assigned to"),
        _("Partner organisation"),
        _("Deadline"),
    ]
    spent_headers = [_("Days in “%(state)s”") % {"state": s.label} for s in states]
    headers = base + spent_headers
    cases = _cases(export).select_related("revision", "assignee", "partner")
    now = timezone.now()
    typed = export.file_format == ExportFormat.XLSX

    def frames() -> Iterator[pd.DataFrame]:
        ordered = cases.order_by("pk")
        last = 0
        while True:
            chunk = list(ordered.filter(pk__gt=last)[:CHUNK_ROWS])
            if not chunk:
                return
            last = chunk[-1].pk
            events = defaultdict(list)
            for event in CaseEvent.objects.filter(
                case__in=chunk,
                kind__in=[CaseEventKind.OPENED, CaseEventKind.TRANSITION],
            ).order_by("created_at", "pk"):
                events[event.case_id].append(event)
            times = iter(
                local_times(
                    [m for c in chunk for m in (c.opened_at, c.closed_at, c.deadline)],
                    typed=typed,
                )
            )
            rows = []
            for case in chunk:
                opened, closed, deadline = next(times), next(times), next(times)
                spent = _days_in_states(case, events[case.pk], now)
                rows.append(
                    [
                        case.reference,
                        case.title,
                        case.state_label,
                        opened,
                        closed,
                        get_user_display_name(case.assignee),
                        str(case.partner or ""),
                        deadline,
                    ]
                    + [round(spent.get(s.name, 0.0), 1) for s in states]
                )
            yield pd.DataFrame(rows, columns=headers)

    return headers, cases.count(), frames()
