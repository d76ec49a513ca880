"""Use cases that wipe personal data: at the end of retention, or on request.

Both go through one anonymisation of a submission and its cases, so what a
scheduled run and an erasure leave behind is the same: the rows, references,
territory, form and revision, dates and states, and the answers the rule in
`data_protection.anonymisation` keeps; never a name, an address or a file.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from data_protection.anonymisation import answers_anonymised, field_kinds
from data_protection.models import AnonymisationKind, AnonymisationRun
from data_protection.selectors import (
    cases_without_submission_expired,
    submissions_expired,
)
from forms_library.answer_search import answers_folded
from forms_library.exports import exports_withdraw
from forms_library.models import Submission, SubmissionFile, WithdrawalReason
from workflows.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseEventKind,
    Notification,
)

logger = logging.getLogger("maillage")


@dataclass
class _Tally:
    submissions: int = 0
    cases: int = 0
    files: int = 0
    history_rows: int = 0
    notifications: int = 0
    references: list[str] = field(default_factory=list)
    territory_ids: set[int] = field(default_factory=set)
    form_definition_ids: set[int] = field(default_factory=set)
    workflow_ids: set[int] = field(default_factory=set)
    exports_withdrawn: int = 0


def _delete_files_on_commit(files: list) -> None:
    # Files go once the rows that point at them are gone for good: a rolled
    # back anonymisation must not leave rows pointing at deleted files.
    def delete() -> None:
        for stored in files:
            stored.storage.delete(stored.name)

    transaction.on_commit(delete)


def _wipe_case_rows(case_ids: list[int], now: datetime, tally: _Tally) -> None:
    """Wipe what the cases hold about the person; states and dates stay."""
    if not case_ids:
        return
    tally.cases += Case.objects.filter(pk__in=case_ids).update(
        title="", title_folded="", anonymised_at=now
    )
    tally.history_rows += Case.history.model.objects.filter(id__in=case_ids).update(
        title="", history_change_reason=None
    )
    kinds_by_revision: dict[int, dict] = {}
    for event in CaseEvent.objects.filter(case_id__in=case_ids).select_related(
        "form_revision"
    ):
        if event.form_revision_id not in kinds_by_revision:
            kinds_by_revision[event.form_revision_id] = field_kinds(event.form_revision)
        event.answers = answers_anonymised(
            event.answers, kinds_by_revision[event.form_revision_id]
        )
        event.text = ""
        if event.kind == CaseEventKind.ATTACHMENT:
            event.description = ""  # the file's name, as the person gave it
        event.save(update_fields=["answers", "text", "description"])
    attachments = CaseAttachment.objects.filter(case_id__in=case_ids)
    files = [a.file for a in attachments if a.file]
    _delete_files_on_commit(files)
    tally.files += len(files)
    attachments.delete()
    tally.notifications += Notification.objects.filter(case_id__in=case_ids).update(
        recipient="", address="", subject="", body="", last_error=""
    )


def _anonymise_submission(submission_id: int, now: datetime, tally: _Tally) -> None:
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .filter(pk=submission_id, anonymised_at__isnull=True)
            .select_related("revision")
            .first()
        )
        if submission is None:
            return  # done meanwhile by another run: nothing to do twice
        kinds = field_kinds(submission.revision)
        # update(), not save(): no new history row, and no date moves.
        kept = answers_anonymised(submission.answers, kinds)
        Submission.objects.filter(pk=submission.pk).update(
            answers=kept, answers_folded=answers_folded(kept), anonymised_at=now
        )
        for row in Submission.history.model.objects.filter(id=submission.pk):
            row.answers = answers_anonymised(row.answers, kinds)
            row.history_change_reason = None
            row.save(update_fields=["answers", "history_change_reason"])
            tally.history_rows += 1
        attachments = SubmissionFile.objects.filter(submission=submission)
        files = [a.file for a in attachments if a.file]
        _delete_files_on_commit(files)
        tally.files += len(files)
        attachments.delete()
        cases = dict(
            Case.objects.filter(submission=submission).values_list("pk", "workflow_id")
        )
        _wipe_case_rows(list(cases), now, tally)
    tally.form_definition_ids.add(submission.form_definition_id)
    tally.workflow_ids.update(cases.values())
    tally.submissions += 1
    tally.references.append(submission.reference)
    tally.territory_ids.add(submission.territory_id)


def _anonymise_case(case_id: int, now: datetime, tally: _Tally) -> None:
    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .filter(pk=case_id, anonymised_at__isnull=True)
            .first()
        )
        if case is None:
            return
        _wipe_case_rows([case.pk], now, tally)
    tally.workflow_ids.add(case.workflow_id)
    tally.territory_ids.add(case.territory_id)


def _record(
    tally: _Tally, *, kind: str, started_at: datetime, performed_by=None, note=""
) -> AnonymisationRun:
    run = AnonymisationRun.objects.create(
        kind=kind,
        performed_by=performed_by,
        started_at=started_at,
        finished_at=timezone.now(),
        submissions_count=tally.submissions,
        cases_count=tally.cases,
        files_deleted=tally.files,
        history_rows=tally.history_rows,
        notifications_count=tally.notifications,
        exports_withdrawn=tally.exports_withdrawn,
        references=tally.references if kind == AnonymisationKind.ERASURE else [],
        note=note,
    )
    run.territories.set(tally.territory_ids)
    return run


def personal_data_anonymise_expired(*, now: datetime | None = None) -> AnonymisationRun:
    """Anonymise every submission, and its cases, whose retention has passed
    since its last activity; cases opened without a form follow the default
    retention. Idempotent: what is anonymised is not touched again.

    Returns the recorded run, with its counts.
    """
    now = now or timezone.now()
    started_at = timezone.now()
    tally = _Tally()
    for expired in submissions_expired(now=now):
        for submission_id in expired.values_list("pk", flat=True):
            _anonymise_submission(submission_id, started_at, tally)
    expired_cases = cases_without_submission_expired(now=now)
    for case_id in expired_cases.values_list("pk", flat=True):
        _anonymise_case(case_id, started_at, tally)
    # Files built before the run still hold what it anonymised.
    tally.exports_withdrawn = exports_withdraw(
        form_definition_ids=tally.form_definition_ids,
        workflow_ids=tally.workflow_ids,
        reason=WithdrawalReason.RETENTION,
    )
    run = _record(tally, kind=AnonymisationKind.RETENTION, started_at=started_at)
    logger.info(
        "Retention: anonymised %d submission(s), %d case(s), deleted %d file(s), "
        "withdrew %d export(s).",
        tally.submissions,
        tally.cases,
        tally.files,
        tally.exports_withdrawn,
    )
    return run


def personal_data_erase(
    *, submissions: QuerySet[Submission], user, note: str = ""
) -> AnonymisationRun:
    """Erase one person's data at their request: the same anonymisation, for
    these submissions and their cases only, recorded with who did it.

    The caller passes the submissions already narrowed to the user's walls.
    """
    started_at = timezone.now()
    tally = _Tally()
    for submission_id in submissions.values_list("pk", flat=True):
        _anonymise_submission(submission_id, started_at, tally)
    # Without undue delay, the erasure reaches the files already exported.
    tally.exports_withdrawn = exports_withdraw(
        form_definition_ids=tally.form_definition_ids,
        workflow_ids=tally.workflow_ids,
        reason=WithdrawalReason.ERASURE,
    )
    run = _record(
        tally,
        kind=AnonymisationKind.ERASURE,
        started_at=started_at,
        performed_by=user,
        note=note,
    )
    logger.info(
        "Erasure by user %s: %s.", user.pk, ", ".join(tally.references) or "nothing"
    )
    return run
