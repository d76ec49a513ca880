"""Computing indicators from real submissions and cases, and keeping their history.

Each computation stores one `IndicatorValue` per indicator and day (the
territory's day): running it again the same day updates that row, so the
hourly task is idempotent and the history keeps one point a day.
"""

import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import pandas as pd
from django.db import transaction
from django.utils import timezone

from content.models import (
    ActionPage,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    TerritoryPage,
)
from forms_library.models import Submission
from workflows.models import CaseEvent

logger = logging.getLogger("maillage")


def _zone(indicator: Indicator) -> ZoneInfo:
    territory = TerritoryPage.objects.ancestor_of(indicator.page).first()
    return ZoneInfo(territory.time_zone if territory else "UTC")


def _period_filter(indicator: Indicator, field: str, zone: ZoneInfo) -> dict:
    """Lookups keeping rows whose `field` falls in the indicator's period (days
    of the territory, both ends included)."""
    lookups = {}
    if indicator.period_start:
        lookups[f"{field}__gte"] = datetime.combine(
            indicator.period_start, time.min, tzinfo=zone
        )
    if indicator.period_end:
        lookups[f"{field}__lt"] = datetime.combine(
            indicator.period_end + timedelta(days=1), time.min, tzinfo=zone
        )
    return lookups


def _submissions(indicator: Indicator, zone: ZoneInfo):
    return Submission.objects.filter(
        form_definition_id=indicator.form_id,
        **_period_filter(indicator, "created_at", zone),
    )


def _has_answer(answer, wanted: str) -> bool:
    """Whether an answer is the one the indicator filters on: equal, or
    among those ticked in a multiple choice; a number or yes/no compares as
    written in the admin."""
    if isinstance(answer, list):
        return wanted in (str(item) for item in answer)
    if answer is None:
        return False
    if str(answer) == wanted:
        return True
    try:  # 2, "2" and "2.0" are the same number of adults (True is no number)
        return Decimal(str(answer)) == Decimal(wanted)
    except InvalidOperation:
        return False


def _answers_counted(indicator: Indicator, zone: ZoneInfo, name: str) -> pd.Series:
    """The answers to `name` of the submissions the indicator counts: in its
    form and period and, when it says so, with the chosen answer."""
    submissions = _submissions(indicator, zone)
    if not indicator.filter_field:
        return pd.Series(
            list(submissions.values_list(f"answers__{name}", flat=True)), dtype=object
        )
    # Whole answers, not key lookups: SQLite would turn a text answer "2" or
    # "true" into a number or a boolean, PostgreSQL would not.
    frame = pd.DataFrame.from_records(
        [
            ((answers or {}).get(name), (answers or {}).get(indicator.filter_field))
            for answers in submissions.values_list("answers", flat=True).iterator(
                chunk_size=2000
            )
        ],
        columns=["answer", "filter"],
    )
    chosen = frame["filter"].map(lambda a: _has_answer(a, indicator.filter_value))
    return frame.loc[chosen.astype(bool), "answer"].astype(object)


def _form_count(indicator: Indicator, zone: ZoneInfo) -> int:
    if not indicator.filter_field:
        return _submissions(indicator, zone).count()
    return len(_answers_counted(indicator, zone, indicator.filter_field))


def _form_sum(indicator: Indicator, zone: ZoneInfo) -> Decimal:
    answers = _answers_counted(indicator, zone, indicator.field_name)
    # Answers that are not numbers (an old revision's text, nothing) count 0.
    numbers = pd.to_numeric(answers, errors="coerce")
    return _decimal(numbers.sum(skipna=True))


def _cases_reached(indicator: Indicator, zone: ZoneInfo) -> int:
    return (
        CaseEvent.objects.filter(
            case__workflow_id=indicator.workflow_id,
            to_state=indicator.state,
            **_period_filter(indicator, "created_at", zone),
        )
        .values("case_id")
        .distinct()
        .count()
    )


def _components_sum(indicator: Indicator, seen: set[int]) -> Decimal:
    total = Decimal(0)
    for component in indicator.components.all():
        if component.pk not in seen:
            total += indicator_current_value(indicator=component, _seen=seen)
    return total


def _decimal(number) -> Decimal:
    try:
        return Decimal(str(round(float(number), 2)))
    except (InvalidOperation, ValueError, TypeError):
        return Decimal(0)


def indicator_current_value(
    *, indicator: Indicator, _seen: set[int] | None = None
) -> Decimal:
    """What the indicator is worth now, computed from its source (not stored).

    A missing form or workflow (deleted since) counts 0; sums of indicators
    skip any indicator already on the way, so a loop cannot recurse forever.
    """
    return _value(indicator, _zone(indicator), {*(_seen or set()), indicator.pk})


def _value(indicator: Indicator, zone: ZoneInfo, seen: set[int]) -> Decimal:
    source = indicator.source
    if source == IndicatorSource.MANUAL:
        return indicator.manual_value or Decimal(0)
    if source == IndicatorSource.FORM_COUNT and indicator.form_id:
        return Decimal(_form_count(indicator, zone))
    if source == IndicatorSource.FORM_SUM and indicator.form_id:
        return _form_sum(indicator, zone) if indicator.field_name else Decimal(0)
    if source == IndicatorSource.WORKFLOW_STATE and indicator.workflow_id:
        return Decimal(_cases_reached(indicator, zone))
    if source == IndicatorSource.INDICATORS_SUM:
        return _components_sum(indicator, seen)
    return Decimal(0)


def indicator_compute(
    *, indicator: Indicator, now: datetime | None = None
) -> IndicatorValue:
    """Compute an indicator and store today's value (updated if already there).

    Returns the stored `IndicatorValue`.
    """
    now = now or timezone.now()
    zone = _zone(indicator)
    value = _value(indicator, zone, {indicator.pk})
    day: date = timezone.localtime(now, zone).date()
    with transaction.atomic():
        stored, _created = IndicatorValue.objects.update_or_create(
            indicator=indicator,
            day=day,
            defaults={"value": value, "computed_at": now},
        )
    return stored


def indicators_compute_all(*, now: datetime | None = None) -> int:
    """Compute every indicator of every live action; returns how many were stored.

    One indicator failing (logged) never stops the others.
    """
    return _compute(
        Indicator.objects.filter(page__in=ActionPage.objects.live()), now=now
    )


def action_indicators_compute(*, action_id: int, now: datetime | None = None) -> int:
    """Compute the indicators of one action, as soon as it is published, so its
    page never waits for the hourly run to show a figure."""
    return _compute(Indicator.objects.filter(page_id=action_id), now=now)


def _compute(indicators, *, now: datetime | None) -> int:
    computed = 0
    for indicator in indicators.order_by("pk"):
        try:
            indicator_compute(indicator=indicator, now=now)
        except Exception:
            logger.exception("Indicator %s could not be computed", indicator.pk)
            continue
        computed += 1
    return computed
