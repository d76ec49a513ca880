"""Retention: what expires, what anonymisation wipes and keeps, run twice."""

from datetime import timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from content.models import TerritoryRole
from data_protection.models import AnonymisationKind, AnonymisationRun
from data_protection.services import personal_data_anonymise_expired
from data_protection.tasks import personal_data_anonymise_task
from forms_library.exports import export_request, export_restart
from forms_library.models import (
    ExportFormat,
    ExportKind,
    ExportStatus,
    Submission,
    SubmissionFile,
)
from tests.content.factories import member_of
from tests.data_protection.factories import PDF, send
from tests.forms_library.factories import FormDefinitionFactory
from workflows.models import Case, CaseAttachment, CaseEvent, Notification
from workflows.services import case_add_attachment, case_add_note

pytestmark = pytest.mark.django_db


def age(submission: Submission, when) -> None:
    """Make everything about the submission happen at `when`."""
    Submission.objects.filter(pk=submission.pk).update(created_at=when)
    Submission.history.filter(id=submission.pk).update(history_date=when)
    cases = Case.objects.filter(submission=submission)
    cases.update(updated_at=when, opened_at=when)
    CaseEvent.objects.filter(case__in=cases).update(created_at=when)


def household_total() -> int:
    return sum(s.answers.get("household") or 0 for s in Submission.objects.all())


def test_a_submission_expires_the_day_after_its_retention_not_before(intake_page):
    now = timezone.now()
    fresh, stale = send(intake_page), send(intake_page, first_name="Lou")
    age(fresh, now - relativedelta(months=24) + timedelta(days=1))
    age(stale, now - relativedelta(months=24) - timedelta(days=1))

    run = personal_data_anonymise_expired(now=now)

    assert run.submissions_count == 1
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert fresh.anonymised_at is None and fresh.answers["first_name"] == "Awa"
    assert stale.anonymised_at is not None and stale.answers["first_name"] is None


def test_the_form_retention_and_a_case_activity_move_the_expiry(intake_page):
    now = timezone.now()
    definition = intake_page.form_definition
    definition.retention_months = 6
    definition.save()
    short = send(intake_page)
    age(short, now - relativedelta(months=6) - timedelta(days=1))
    active = send(intake_page, first_name="Lou")
    age(active, now - relativedelta(months=6) - timedelta(days=1))
    # A note written yesterday on its case is activity: it is kept.
    CaseEvent.objects.create(
        case=active.cases.get(), kind="note", text="Rappelée", created_at=now
    )

    personal_data_anonymise_expired(now=now)

    assert Submission.objects.get(pk=short.pk).anonymised_at is not None
    assert Submission.objects.get(pk=active.pk).anonymised_at is None


def test_anonymisation_wipes_what_identifies_and_keeps_what_counts(
    intake_page, django_capture_on_commit_callbacks
):
    now = timezone.now()
    coordinator = member_of(
        intake_page.get_parent().specific, TerritoryRole.COORDINATION
    )
    old = send(intake_page, with_file=True)
    send(intake_page, first_name="Lou", household=2)  # recent: untouched
    case = old.cases.get()
    case_add_note(case=case, user=coordinator, text="Mme Diallo rappelle lundi.")
    attachment = case_add_attachment(
        case=case,
        user=coordinator,
        upload=SimpleUploadedFile("bail Diallo.pdf", PDF),
    )
    Notification.objects.create(
        case=case,
        recipient="Awa",
        address="awa.diallo@example.org",
        subject="Votre demande",
        body="Bonjour Awa",
    )
    stored = [
        Path(SubmissionFile.objects.get(submission=old).file.path),
        Path(attachment.file.path),
    ]
    assert all(path.exists() for path in stored)
    age(old, now - relativedelta(months=25))
    count_before = Submission.objects.count()
    total_before = household_total()
    by_housing = list(
        Submission.objects.values("answers__housing").annotate(n=Count("pk"))
    )

    # Files go once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_anonymise_expired(now=now)

    old.refresh_from_db()
    assert old.answers == {
        "first_name": None,
        "email": None,
        "phone": None,
        "birth_date": None,
        "address": None,
        "postal_code": "35",
        "household": 4,
        "housing": "Hébergé",
        "has_children": "yes",
        "situation": None,
        "consent": True,
        "proof": None,
    }
    assert old.consents and old.consents[0]["name"] == "consent"
    assert old.reference and old.territory_id and old.revision_id
    assert Submission.objects.count() == count_before
    assert household_total() == total_before
    assert (
        list(Submission.objects.values("answers__housing").annotate(n=Count("pk")))
        == by_housing
    )
    assert not any(path.exists() for path in stored)
    assert not SubmissionFile.objects.filter(submission=old).exists()
    assert not CaseAttachment.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.title == "" and case.anonymised_at is not None
    assert case.state == "accueil"
    assert not case.events.exclude(text="").exists()
    assert not case.events.filter(description__contains="Diallo").exists()
    notification = case.notifications.get()
    assert (notification.address, notification.body, notification.recipient) == (
        "",
        "",
        "",
    )


def test_history_rows_keep_no_copy_of_the_personal_data(intake_page):
    old = send(intake_page)
    # A staff correction leaves a second history row with the old answers.
    old.answers = {**old.answers, "email": "awa.d@example.org"}
    old.save()
    age(old, timezone.now() - relativedelta(months=30))
    assert old.history.count() == 2

    run = personal_data_anonymise_expired()

    assert run.history_rows >= 3  # two of the submission, one of its case
    for row in Submission.history.filter(id=old.pk):
        assert row.answers["email"] is None
        assert row.answers["first_name"] is None
        assert row.answers["household"] == 4
    assert not Case.history.filter(submission_id=old.pk).exclude(title="").exists()


def test_a_second_run_changes_nothing(intake_page):
    old = send(intake_page, with_file=True)
    age(old, timezone.now() - relativedelta(months=30))
    first = personal_data_anonymise_expired()
    anonymised_at = Submission.objects.get(pk=old.pk).anonymised_at
    answers = Submission.objects.get(pk=old.pk).answers

    second = personal_data_anonymise_expired()

    assert first.submissions_count == 1 and first.cases_count == 1
    assert first.files_deleted == 1
    assert (second.submissions_count, second.cases_count, second.files_deleted) == (
        0,
        0,
        0,
    )
    assert Submission.objects.get(pk=old.pk).anonymised_at == anonymised_at
    assert Submission.objects.get(pk=old.pk).answers == answers


def test_the_periodic_task_records_its_run(intake_page):
    old = send(intake_page)
    age(old, timezone.now() - relativedelta(months=30))

    run_id = personal_data_anonymise_task.call_local()

    run = AnonymisationRun.objects.get(pk=run_id)
    assert run.kind == AnonymisationKind.RETENTION
    assert run.performed_by is None
    assert run.submissions_count == 1
    assert run.references == []  # scheduled runs keep counts only
    assert list(run.territories.all()) == [old.territory]


def test_the_end_of_retention_reaches_the_exports_already_built(
    intake_page, django_capture_on_commit_callbacks
):
    old = send(intake_page)
    coordinator = member_of(intake_page.territory, TerritoryRole.COORDINATION)
    definition = intake_page.form_definition
    workflow = intake_page.workflow
    with django_capture_on_commit_callbacks(execute=True):
        submissions_file, cases_file, other = (
            export_request(user=coordinator, file_format=ExportFormat.CSV, **subject)
            for subject in (
                {"kind": ExportKind.SUBMISSIONS, "form_definition": definition},
                {"kind": ExportKind.CASES, "workflow": workflow},
                {
                    "kind": ExportKind.SUBMISSIONS,
                    "form_definition": FormDefinitionFactory(
                        territory=definition.territory
                    ),
                },
            )
        )
    for export in (submissions_file, cases_file, other):
        export.refresh_from_db()
    paths = [Path(e.file.path) for e in (submissions_file, cases_file)]
    assert old.reference in paths[0].read_text(encoding="utf-8-sig")
    age(old, timezone.now() - relativedelta(months=30))

    with django_capture_on_commit_callbacks(execute=True):
        run = personal_data_anonymise_expired()

    assert run.exports_withdrawn == 2
    for export, path in zip((submissions_file, cases_file), paths, strict=True):
        export.refresh_from_db()
        assert export.status == ExportStatus.WITHDRAWN and not export.file
        assert "kept longer than its form allows" in export.withdrawal_reason
        assert not path.exists()
    other.refresh_from_db()
    assert other.status == ExportStatus.DONE and other.file
    # A run with nothing to anonymise leaves the exports alone.
    with django_capture_on_commit_callbacks(execute=True):
        rebuilt = export_restart(export=submissions_file)
    assert personal_data_anonymise_expired().exports_withdrawn == 0
    rebuilt.refresh_from_db()
    assert rebuilt.status == ExportStatus.DONE and rebuilt.file


def test_a_retention_saved_beyond_a_century_does_not_stop_the_nightly_run(
    intake_page,
):
    from forms_library.models import FormDefinition

    definition = intake_page.form_definition
    kept = send(intake_page)
    age(kept, timezone.now() - relativedelta(years=5))
    # As a form could be saved and answered before retentions had a limit.
    FormDefinition.objects.filter(pk=definition.pk).update(retention_months=30000)
    revision = kept.revision
    revision.content["retention_months"] = 30000
    revision.save(update_fields=["content"])

    run = personal_data_anonymise_expired(now=timezone.now())

    assert run.submissions_count == 0
    assert Submission.objects.get(pk=kept.pk).anonymised_at is None
