"""Reads of data protection: what has expired, whose data a contact finds."""

import re
from collections.abc import Iterator
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Count,
    DateTimeField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from wagtail.models import Revision

from content.models import TerritoryPage
from content.permissions import territories_granting
from data_protection.models import (
    AnonymisationRun,
    AnonymisationRunTerritory,
    DataIncident,
)
from forms_library.models import (
    DEFAULT_RETENTION_MONTHS,
    MAX_RETENTION_MONTHS,
    FormDefinition,
    Submission,
)
from forms_library.validators import normalise_phone
from workflows.models import Case, CaseEvent

# The territories a person may search (and export) for someone's data, and
# those where they may erase it: erasing is the coordination's decision.
SEARCH_ACTION = "view"
ERASE_ACTION = "delete"


def submissions_with_last_activity() -> QuerySet[Submission]:
    """Submissions annotated with `last_activity`: the latest of their creation,
    their own changes, and their cases' changes, closing and events."""
    history = Submission.history.model.objects.filter(id=OuterRef("pk"))
    cases = Case.objects.filter(submission=OuterRef("pk"))
    events = CaseEvent.objects.filter(case__submission=OuterRef("pk"))
    moments = [
        _aggregate(history, "history_date"),
        _aggregate(cases, "updated_at"),
        _aggregate(cases, "closed_at"),
        _aggregate(events, "created_at"),
    ]
    # SQLite's MAX(a, b) is NULL when one of them is: fall back on creation.
    return Submission.objects.annotate(
        last_activity=Greatest(
            "created_at", *(Coalesce(moment, "created_at") for moment in moments)
        )
    )


def _aggregate(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(
        queryset.order_by(f"-{field}").values(field)[:1],
        output_field=DateTimeField(),
    )


def retention_months_of(revision: Revision, definition: FormDefinition) -> int:
    """The retention that applies to answers given against this revision.

    The shorter of what the person was told when they answered and what the
    form says now: a coordinator may shorten it, never lengthen it for data
    already given.
    """
    told = revision.content.get("retention_months") or DEFAULT_RETENTION_MONTHS
    return min(
        int(told),
        definition.retention_months or DEFAULT_RETENTION_MONTHS,
        MAX_RETENTION_MONTHS,  # what was saved before the limit, too
    )


def submissions_expired(*, now: datetime) -> Iterator[QuerySet[Submission]]:
    """Not yet anonymised submissions past their retention, one queryset per
    form revision (each revision may have its own retention)."""
    pending = Submission.objects.filter(anonymised_at__isnull=True)
    revision_ids = pending.order_by().values_list("revision_id", flat=True).distinct()
    revisions = Revision.objects.filter(pk__in=list(revision_ids))
    definitions = FormDefinition.objects.in_bulk({int(r.object_id) for r in revisions})
    for revision in revisions:
        definition = definitions.get(int(revision.object_id))
        if definition is None:
            continue
        cutoff = now - relativedelta(months=retention_months_of(revision, definition))
        yield submissions_with_last_activity().filter(
            anonymised_at__isnull=True,
            revision_id=revision.pk,
            last_activity__lte=cutoff,
        )


def cases_without_submission_expired(*, now: datetime) -> QuerySet[Case]:
    """Cases opened without a form, past the default retention of their activity."""
    cutoff = now - relativedelta(months=DEFAULT_RETENTION_MONTHS)
    latest_event = CaseEvent.objects.filter(case=OuterRef("pk"))
    return (
        Case.objects.filter(submission__isnull=True, anonymised_at__isnull=True)
        .annotate(
            last_activity=Greatest(
                "updated_at",
                Coalesce("closed_at", "updated_at"),
                Coalesce(_aggregate(latest_event, "created_at"), "updated_at"),
            )
        )
        .filter(last_activity__lte=cutoff)
    )


# Searching one person's data -------------------------------------------------

EMAIL = "email"
PHONE = "phone"
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RUNS = re.compile(r"\+?\d{9,}")


def phone_key(value: str) -> str | None:
    """A phone number reduced to country code and national number.

    "06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "+33 (0)6 12 34 56
    78" and "0033612345678" all give "33612345678"; "(819) 555-0123" and
    "+1 819 555 0123" give "18195550123". None when it is no French or
    North-American number.
    """
    digits = re.sub(r"[\s.\-()/]", "", normalise_phone(value or ""))
    french = re.fullmatch(r"(?:\+33|0033|0)([1-9]\d{8})", digits)
    if french:
        return "33" + french.group(1)
    american = re.fullmatch(r"(?:\+?1)?([2-9]\d{2}[2-9]\d{6})", digits)
    if american:
        return "1" + american.group(1)
    return None


def contact_kind(value: str) -> tuple[str, str] | None:
    """("email", address) or ("phone", key) for what a coordinator typed."""
    value = (value or "").strip()
    if _EMAIL_SHAPE.match(value):
        return EMAIL, value.casefold()
    key = phone_key(value)
    return (PHONE, key) if key else None


def _texts(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def _mentions(text: str, kind: str, wanted: str) -> bool:
    if kind == EMAIL:
        pattern = r"(?<![\w.+-])" + re.escape(wanted) + r"(?![\w-])"
        return re.search(pattern, text.casefold()) is not None
    squeezed = re.sub(r"[\s.\-()/]", "", text)
    return any(phone_key(run) == wanted for run in _PHONE_RUNS.findall(squeezed))


def answers_mention(answers: dict, kind: str, wanted: str) -> bool:
    """Whether any answer (short, long, email, phone…) holds this contact."""
    return any(_mentions(text, kind, wanted) for text in _texts(answers))


def submissions_of_person(user, *, kind: str, wanted: str) -> QuerySet[Submission]:
    """The submissions of the user's territories whose answers hold the contact.

    Phones are typed in many shapes, and inside free text too, so answers are
    read and compared in Python: one person's request, a territory's rows.
    """
    walled = Submission.objects.filter(
        territory__in=territories_granting(user, SEARCH_ACTION),
        anonymised_at__isnull=True,
    )
    found = [
        pk
        for pk, answers in walled.values_list("pk", "answers").iterator(chunk_size=2000)
        if answers_mention(answers, kind, wanted)
    ]
    return (
        walled.filter(pk__in=found)
        .select_related("form_definition", "territory", "revision")
        .prefetch_related("cases__revision")
        .order_by("created_at")
    )


def submissions_erasable_by(user) -> QuerySet[Submission]:
    """Submissions whose personal data the user may erase: their coordination's."""
    return Submission.objects.filter(
        territory__in=territories_granting(user, ERASE_ACTION)
    )


def anonymisation_runs_for(user) -> QuerySet[AnonymisationRun]:
    """Runs a person may read: all for superusers, else those that touched one
    of their coordination territories (scheduled runs that touched none stay
    hidden, and so do runs recorded before territories had their own counts
    that touched several territories).

    Each run comes with `shares`: what it did in each territory the person
    may read, by territory name, and `territories_touched`: how many
    territories it touched in all. Superusers read the run's totals; everyone
    else reads these shares only, never another territory's name or counts.
    """
    runs = AnonymisationRun.objects.select_related("performed_by")
    if user.is_superuser:
        return runs.prefetch_related(
            Prefetch(
                "territories",
                queryset=TerritoryPage.objects.order_by("title"),
                to_attr="territories_named",
            )
        )
    granted = territories_granting(user, ERASE_ACTION)
    return (
        runs.filter(
            pk__in=AnonymisationRunTerritory.objects.filter(
                territory__in=granted
            ).values("run_id")
        )
        .annotate(territories_touched=Count("territory_shares"))
        .prefetch_related(
            Prefetch(
                "territory_shares",
                queryset=AnonymisationRunTerritory.objects.filter(territory__in=granted)
                .select_related("territory")
                .order_by("territory__title"),
                to_attr="shares",
            )
        )
    )


def incidents_for(user) -> QuerySet[DataIncident]:
    """Incidents of the territories where the user coordinates."""
    return DataIncident.objects.filter(
        territory__in=territories_granting(user, "change")
    ).select_related("territory", "recorded_by")
