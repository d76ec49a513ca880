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
from data_protection.models import (
    AnonymisationKind,
    AnonymisationRun,
    AnonymisationRunTerritory,
)
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
class _Counts:
    """What a run did, in one territory or in all of them."""

    submissions: int = 0
    cases: int = 0
    files: int = 0
    history_rows: int = 0
    notifications: int = 0
    references: list[str] = field(default_factory=list)
    exports_withdrawn: int = 0


@dataclass
class _Tally(_Counts):
    """The run's totals, and each territory's share of them: a territory's
    coordinators read only their share, never the totals."""

    by_territory: dict[int, _Counts] = field(default_factory=dict)
    form_definition_ids: set[int] = field(default_factory=set)
    workflow_ids: set[int] = field(default_factory=set)

    def share_of(self, territory_id: int) -> _Counts:
        return self.by_territory.setdefault(territory_id, _Counts())

    def add(self, territory_id: int, **counts: int) -> None:
        share = self.share_of(territory_id)
        for name, count in counts.items():
            setattr(self, name, getattr(self, name) + count)
            setattr(share, name, getattr(share, name) + count)

    def add_reference(self, territory_id: int, reference: str) -> None:
        self.references.append(reference)
        self.share_of(territory_id).references.append(reference)

    def add_exports_withdrawn(self, by_owner: dict[int | None, int]) -> None:
        """Count the withdrawn exports on the run, and on the share of the
        territory owning each one's form or workflow when the run touched it;
        those of shared templates, or of a territory the run did not touch,
        are in the run's total only."""
        for territory_id, count in by_owner.items():
            self.exports_withdrawn += count
            if territory_id in self.by_territory:
                self.by_territory[territory_id].exports_withdrawn += count


def _delete_files_on_commit(files: list) -> None:
    # Files go once the rows that point at them are gone for good: a rolled
    # back anonymisation must not leave rows pointing at deleted files.
    def delete() -> None:
        for stored in files:
            stored.storage.delete(stored.name)

    transaction.on_commit(delete)


def _wipe_case_rows(
    case_ids: list[int], territory_id: int, now: datetime, tally: _Tally
) -> None:
    """Wipe what the cases, all of this territory, hold about the person;
    states and dates stay."""
    if not case_ids:
        return
    tally.add(
        territory_id,
        cases=Case.objects.filter(pk__in=case_ids).update(
            title="", title_folded="", anonymised_at=now
        ),
        history_rows=Case.history.model.objects.filter(id__in=case_ids).update(
            title="", history_change_reason=None
        ),
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
    attachments.delete()
    tally.add(
        territory_id,
        files=len(files),
        notifications=Notification.objects.filter(case_id__in=case_ids).update(
            recipient="", address="", subject="", body="", last_error=""
        ),
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
        territory_id = submission.territory_id
        history_rows = 0
        for row in Submission.history.model.objects.filter(id=submission.pk):
            row.answers = answers_anonymised(row.answers, kinds)
            row.history_change_reason = None
            row.save(update_fields=["answers", "history_change_reason"])
            history_rows += 1
        attachments = SubmissionFile.objects.filter(submission=submission)
        files = [a.file for a in attachments if a.file]
        _delete_files_on_commit(files)
        attachments.delete()
        tally.add(territory_id, history_rows=history_rows, files=len(files))
        # Each case counts in its own territory, should it not be the form's.
        cases_by_territory: dict[int, list[int]] = {}
        workflow_ids = set()
        for case_id, workflow_id, case_territory_id in Case.objects.filter(
            submission=submission
        ).values_list("pk", "workflow_id", "territory_id"):
            cases_by_territory.setdefault(case_territory_id, []).append(case_id)
            workflow_ids.add(workflow_id)
        for case_territory_id, case_ids in cases_by_territory.items():
            _wipe_case_rows(case_ids, case_territory_id, now, tally)
    tally.form_definition_ids.add(submission.form_definition_id)
    tally.workflow_ids.update(workflow_ids)
    tally.add(territory_id, submissions=1)
    tally.add_reference(territory_id, submission.reference)


def _anonymise_case(case_id: int, now: datetime, tally: _Tally) -> None:
    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .filter(pk=case_id, anonymised_at__isnull=True)
            .first()
        )
        if case is None:
            return
        _wipe_case_rows([case.pk], case.territory_id, now, tally)
    tally.workflow_ids.add(case.workflow_id)


def _record(
    tally: _Tally, *, kind: str, started_at: datetime, performed_by=None, note=""
) -> AnonymisationRun:
    erasure = kind == AnonymisationKind.ERASURE
    run = AnonymisationRun.objects.create(
        kind=kind,
        performed_by=performed_by,
        started_at=started_at,
        finished_at=timezone.now(),
        **_count_fields(tally, with_references=erasure),
        note=note,
    )
    run.territories.set(tally.by_territory)
    AnonymisationRunTerritory.objects.bulk_create(
        AnonymisationRunTerritory(
            run=run,
            territory_id=territory_id,
            **_count_fields(share, with_references=erasure),
        )
        for territory_id, share in tally.by_territory.items()
    )
    return run


def _count_fields(counts: _Counts, *, with_references: bool) -> dict:
    return {
        "submissions_count": counts.submissions,
        "cases_count": counts.cases,
        "files_deleted": counts.files,
        "history_rows": counts.history_rows,
        "notifications_count": counts.notifications,
        "exports_withdrawn": counts.exports_withdrawn,
        "references": counts.references if with_references else [],
    }


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
    tally.add_exports_withdrawn(
        exports_withdraw(
            form_definition_ids=tally.form_definition_ids,
            workflow_ids=tally.workflow_ids,
            reason=WithdrawalReason.RETENTION,
        )
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
    tally.add_exports_withdrawn(
        exports_withdraw(
            form_definition_ids=tally.form_definition_ids,
            workflow_ids=tally.workflow_ids,
            reason=WithdrawalReason.ERASURE,
        )
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
