"""The funder report of one action plan: its actions and indicator values
over a period, as a printable page and as an XLSX workbook."""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import ActionPage, ActionPlanPage, Indicator, IndicatorValue
from content.spreadsheets import cell_as_text


class ReportPeriodForm(forms.Form):
    """The period a report covers; defaults to the plan's own period."""

    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", gettext_lazy("The end must come after the start."))
        return cleaned


@dataclass
class IndicatorLine:
    indicator: Indicator
    first: IndicatorValue | None
    last: IndicatorValue | None
    values: list[IndicatorValue] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        if self.first is None or self.last is None:
            return None
        return self.last.value - self.first.value


@dataclass
class ActionLine:
    action: ActionPage
    indicators: list[IndicatorLine]


@dataclass
class PlanReport:
    plan: ActionPlanPage
    start: date
    end: date
    actions: list[ActionLine]


def plan_report(*, plan: ActionPlanPage, start: date, end: date) -> PlanReport:
    """Published actions of the plan with their indicators' values between
    `start` and `end`, both included. Drafts (a proposal just adopted, an action
    the committee has not approved) stay out of what funders read."""
    actions = (
        ActionPage.objects.child_of(plan)
        .live()
        .select_related("lead_partner")
        .prefetch_related("indicators")
        .order_by("path")
    )
    values = IndicatorValue.objects.filter(
        indicator__page__in=actions, day__gte=start, day__lte=end
    ).order_by("day")
    by_indicator: dict[int, list[IndicatorValue]] = {}
    for value in values:
        by_indicator.setdefault(value.indicator_id, []).append(value)
    lines = []
    for action in actions:
        indicator_lines = []
        for indicator in action.indicators.all():
            series = by_indicator.get(indicator.pk, [])
            indicator_lines.append(
                IndicatorLine(
                    indicator,
                    series[0] if series else None,
                    series[-1] if series else None,
                    series,
                )
            )
        lines.append(ActionLine(action, indicator_lines))
    return PlanReport(plan, start, end, lines)


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def plan_report_frames(report: PlanReport) -> dict[str, pd.DataFrame]:
    """The report as tables, one per sheet, with translated column names."""
    actions = pd.DataFrame(
        [
            {
                _("Axis"): line.action.axis,
                _("Action"): line.action.title,
                _("Status"): str(line.action.get_status_display()),
                _("Progress (%)"): line.action.progress_percent,
                _("Lead structure"): line.action.lead_partner_name or "",
                _("Audiences"): ", ".join(line.action.audience_labels()),
                _("Start"): line.action.start_date,
                _("End"): line.action.end_date,
            }
            for line in report.actions
        ]
    )
    indicators = pd.DataFrame(
        [
            {
                _("Action"): line.action.title,
                _("Indicator"): item.indicator.label,
                _("Unit"): item.indicator.unit,
                _("Target"): _number(item.indicator.target),
                _("Value at the start"): _number(item.first and item.first.value),
                _("Value at the end"): _number(item.last and item.last.value),
                _("Change over the period"): _number(item.change),
            }
            for line in report.actions
            for item in line.indicators
        ]
    )
    history = pd.DataFrame(
        [
            {
                _("Action"): line.action.title,
                _("Indicator"): item.indicator.label,
                _("Day"): value.day,
                _("Value"): _number(value.value),
                _("Unit"): item.indicator.unit,
            }
            for line in report.actions
            for item in line.indicators
            for value in item.values
        ]
    )
    return {_("Actions"): actions, _("Indicators"): indicators, _("History"): history}


def plan_report_xlsx(report: PlanReport) -> bytes:
    """The report as an XLSX workbook (one sheet per table)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in plan_report_frames(report).items():
            # Excel refuses sheet names longer than 31 characters.
            frame.map(cell_as_text).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
