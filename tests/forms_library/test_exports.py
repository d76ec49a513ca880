"""Exports: built by Huey in chunks, inside the walls, private, restartable."""

import csv
import datetime
import html
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from content.models import TerritoryRole
from forms_library import exports as exports_module
from forms_library.exports import (
    export_build,
    export_request,
    export_restart,
    exports_delete_expired,
    exports_fail_stale,
    local_times,
)
from forms_library.models import DataExport, ExportStatus, Submission
from forms_library.services import submission_create
from tests.content.factories import TerritoryPageFactory, member_of
from tests.forms_library.factories import FormDefinitionFactory, field

pytestmark = pytest.mark.django_db

EXPORTS = "/admin/exports/"


def submit(definition, territory=None, **answers):
    submission, _ = submission_create(
        revision=definition.live_revision,
        territory=territory or definition.territory,
        answers=answers,
    )
    return submission


def rows_of(export: DataExport) -> list[list[str]]:
    with export.file.open("rb") as stored:
        content = stored.read()
    if export.file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.values]


@pytest.fixture
def definition():
    return FormDefinitionFactory(
        fields=[
            field("short_text", "Prénom", "first_name"),
            field("multiple_choice", "Besoins", "needs", choices=["Repas", "Colis"]),
        ]
    )


def build(user, capture, **choices) -> DataExport:
    with capture(execute=True):
        export = export_request(user=user, **choices)
    export.refresh_from_db()
    return export


def build_submissions(
    definition, capture, file_format: str = "csv", user=None
) -> DataExport:
    """The form's submissions, exported by a coordinator of its territory
    unless someone else is given."""
    user = user or member_of(definition.territory, TerritoryRole.COORDINATION)
    return build(
        user,
        capture,
        kind="submissions",
        form_definition=definition,
        file_format=file_format,
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_one_column_per_question_across_revisions_with_labels(
    definition, file_format, django_capture_on_commit_callbacks
):
    old = submit(definition, first_name="Awa", needs=["Repas", "Colis"])
    first_name = dict(definition.fields.raw_data[0])  # same block, new label
    first_name["value"] = {**first_name["value"], "label": "Votre prénom"}
    definition.fields = [first_name, field("yes_no", "Des enfants ?", "children")]
    definition.save_revision().publish()
    new = submit(definition, first_name="=HYPERLINK(1)", children="yes")
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)
    export = build_submissions(
        definition, django_capture_on_commit_callbacks, file_format, user=coordinator
    )
    assert export.status == ExportStatus.DONE
    assert (export.rows_total, export.progress) == (2, 100)
    rows = rows_of(export)
    assert rows[0][3:] == ["Votre prénom", "Des enfants ?", "Besoins"]
    assert rows[1][0] == old.reference and rows[1][3:] == ["Awa", "", "Repas, Colis"]
    assert rows[2][0] == new.reference and rows[2][4] == "Oui"
    # What a person typed is text, never a formula the spreadsheet would run.
    if file_format == "csv":
        assert rows[2][3] == "'=HYPERLINK(1)"
    else:
        with export.file.open("rb") as stored:
            sheet = load_workbook(io.BytesIO(stored.read())).active
        assert sheet.cell(row=3, column=4).value == "=HYPERLINK(1)"
        assert sheet.cell(row=3, column=4).data_type == "s"
    assert mail.outbox[-1].to == [coordinator.email]


def test_an_export_holds_only_the_requesters_territories_and_period(
    definition, django_capture_on_commit_callbacks
):
    elsewhere = TerritoryPageFactory()
    mine = submit(definition, first_name="Awa")
    submit(definition, territory=elsewhere, first_name="Yann")
    old = submit(definition, first_name="Zoé")
    old.created_at = timezone.now() - timedelta(days=40)
    old.save()
    worker = member_of(definition.territory, TerritoryRole.INTERVENTION)
    export = build(
        worker,
        django_capture_on_commit_callbacks,
        kind="submissions",
        form_definition=definition,
        date_from=timezone.localdate() - timedelta(days=7),
        file_format="csv",
    )
    assert [row[0] for row in rows_of(export)[1:]] == [mine.reference]


def test_an_empty_export_still_has_its_headers(
    definition, django_capture_on_commit_callbacks
):
    export = build_submissions(definition, django_capture_on_commit_callbacks, "xlsx")
    rows = rows_of(export)
    assert len(rows) == 1 and rows[0][3:] == ["Prénom", "Besoins"]


def test_a_worker_killed_midway_leaves_it_failed_and_restartable(
    definition, django_capture_on_commit_callbacks
):
    submit(definition, first_name="Awa")
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)
    export = DataExport.objects.create(
        requested_by=coordinator,
        kind="submissions",
        form_definition=definition,
        file_format="csv",
        status=ExportStatus.RUNNING,  # a worker took it, then died
        heartbeat_at=timezone.now() - timedelta(minutes=30),
    )
    assert export_build(export_id=export.pk) is None  # not taken twice
    assert exports_fail_stale() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error
    with django_capture_on_commit_callbacks(execute=True):
        export_restart(export=export)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert len(rows_of(export)) == 2


def test_an_export_the_queue_refused_or_lost_can_be_started_again(
    definition, monkeypatch, django_capture_on_commit_callbacks
):
    submit(definition, first_name="Awa")
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)

    def queue_down(export_id):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr("forms_library.tasks.export_build_task", queue_down)
    with django_capture_on_commit_callbacks(execute=True):
        refused = export_request(
            user=coordinator,
            kind="submissions",
            form_definition=definition,
            file_format="csv",
        )
        # Taken in hand by nobody: asked, then the queue lost it.
        lost = export_request(
            user=coordinator,
            kind="submissions",
            form_definition=definition,
            file_format="csv",
        )
    refused.refresh_from_db()
    assert refused.status == ExportStatus.FAILED
    assert "Redis is not answering" in refused.error
    DataExport.objects.filter(pk=lost.pk).update(
        status=ExportStatus.QUEUED, error="", finished_at=None
    )
    assert exports_fail_stale() == 0  # waiting its turn, for now
    assert exports_fail_stale(now=timezone.now() + timedelta(hours=2)) == 1
    lost.refresh_from_db()
    assert lost.status == ExportStatus.FAILED and lost.error
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        for export in (refused, lost):
            export_restart(export=export)
    for export in (refused, lost):
        export.refresh_from_db()
        assert export.status == ExportStatus.DONE
        assert len(rows_of(export)) == 2


def test_an_export_asked_twice_while_on_its_way_is_built_once(client, definition):
    client.force_login(member_of(definition.territory, TerritoryRole.COORDINATION))
    asked = {
        "kind": "submissions",
        "form_definition": definition.pk,
        "file_format": "csv",
    }

    # Not built yet (no commit): the second tap finds the first on its way.
    for _tap in range(2):
        assert client.post(EXPORTS, asked).status_code == 302

    assert DataExport.objects.count() == 1
    # Another format is another export.
    client.post(EXPORTS, {**asked, "file_format": "xlsx"})
    assert DataExport.objects.count() == 2


def test_a_failure_while_building_is_kept_on_the_export(
    definition, monkeypatch, django_capture_on_commit_callbacks
):
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)

    def full_disk(*args):
        raise OSError("No space left on device")

    monkeypatch.setattr(exports_module, "_write_csv", full_disk)
    export = build_submissions(
        definition, django_capture_on_commit_callbacks, user=coordinator
    )
    assert export.status == ExportStatus.FAILED
    assert export.error == "OSError: No space left on device"


def test_expired_files_are_deleted(definition, django_capture_on_commit_callbacks):
    export = build_submissions(definition, django_capture_on_commit_callbacks)
    name = export.file.name
    assert exports_delete_expired(now=timezone.now() + timedelta(days=8)) == 1
    export.refresh_from_db()
    assert not export.file
    assert not export.file.storage.exists(name)


def test_the_admin_asks_shows_progress_and_downloads_within_walls(
    client, definition, django_capture_on_commit_callbacks
):
    submit(definition, first_name="Awa")
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)
    client.force_login(coordinator)
    refused = client.post(EXPORTS, {"kind": "cases", "file_format": "csv"})
    assert refused.status_code == 200
    assert not DataExport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            EXPORTS,
            {
                "kind": "submissions",
                "form_definition": definition.pk,
                "file_format": "csv",
            },
        )
    assert asked.status_code == 302
    export = DataExport.objects.get()
    page = client.get(EXPORTS).content.decode()
    assert f"/admin/exports/{export.pk}/download/" in page
    download = client.get(f"/admin/exports/{export.pk}/download/")
    assert b"Awa" in b"".join(download.streaming_content)
    someone_else = member_of(definition.territory, TerritoryRole.COORDINATION)
    client.force_login(someone_else)
    assert client.get(f"/admin/exports/{export.pk}/download/").status_code == 404
    client.force_login(member_of(TerritoryPageFactory(), TerritoryRole.PARTNERS))
    assert client.get(EXPORTS).status_code in (302, 403)


def test_leaving_the_territory_ends_access_to_its_exports(
    client, definition, django_capture_on_commit_callbacks
):
    submit(definition, first_name="Awa")
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)
    # A coordinator elsewhere too, so exporting as such stays allowed.
    elsewhere = member_of(TerritoryPageFactory(), TerritoryRole.COORDINATION)
    coordinator.groups.add(*elsewhere.groups.all())
    export = build_submissions(
        definition, django_capture_on_commit_callbacks, user=coordinator
    )
    client.force_login(coordinator)
    download = f"/admin/exports/{export.pk}/download/"
    assert client.get(download).status_code == 200
    coordinator.groups.remove(
        *coordinator.groups.filter(territory_group__territory=definition.territory)
    )
    assert client.get(download).status_code == 404


def test_xlsx_keeps_numbers_and_dates_typed_csv_writes_them_as_read(
    django_capture_on_commit_callbacks,
):
    definition = FormDefinitionFactory(
        fields=[
            field("number", "Adultes", "adults", min_value=0, unit="pers."),
            field("date", "Date du rendez-vous", "meeting"),
            field("phone", "Téléphone", "phone"),
        ]
    )
    submit(definition, adults="2", meeting="2026-01-15", phone="0612345678")
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)
    choices = {"kind": "submissions", "form_definition": definition}
    xlsx = build(
        coordinator, django_capture_on_commit_callbacks, file_format="xlsx", **choices
    )
    with xlsx.file.open("rb") as stored:
        header, row = list(load_workbook(io.BytesIO(stored.read())).active.values)[:2]
    # The unit goes in the header: the cell stays a number a sum can add.
    assert header[3] == "Adultes (pers.)"
    assert row[3] == 2 and isinstance(row[3], int | float)
    assert row[4].date() == datetime.date(2026, 1, 15)
    assert row[5] == "0612345678"  # a phone keeps its leading zero, as text
    received = timezone.localtime(Submission.objects.get().created_at)
    assert row[1] == received.replace(tzinfo=None, second=0, microsecond=0)
    csv_export = build(
        coordinator, django_capture_on_commit_callbacks, file_format="csv", **choices
    )
    assert rows_of(csv_export)[1][3:] == ["2", "2026-01-15", "0612345678"]
    assert rows_of(csv_export)[1][1] == received.strftime("%Y-%m-%d %H:%M")


def test_an_unanswered_question_is_an_empty_cell_however_it_was_left(
    django_capture_on_commit_callbacks,
):
    definition = FormDefinitionFactory(
        fields=[
            field("short_text", "Prénom", "prenom"),
            field("short_text", "Précisions", "precisions", required=False),
        ]
    )
    submit(definition, prenom="Awa", precisions="")  # left empty
    submit(definition, prenom="Yann")  # not asked (a condition hid it)
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)
    export = build(
        coordinator,
        django_capture_on_commit_callbacks,
        file_format="csv",
        kind="submissions",
        form_definition=definition,
    )
    assert [row[3:] for row in rows_of(export)[1:]] == [["Awa", ""], ["Yann", ""]]


def test_times_of_the_autumn_doubled_hour_are_written():
    # 00:30 UTC on 25 October 2026 is 02:30 in Paris, an hour that happens twice.
    moment = datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC)
    assert local_times([moment, None], typed=True) == [
        datetime.datetime(2026, 10, 25, 2, 30),
        "",
    ]
    assert local_times([moment, None], typed=False) == ["2026-10-25 02:30", ""]


def test_control_characters_pasted_in_an_answer_do_not_break_an_xlsx(
    definition, django_capture_on_commit_callbacks
):
    # Word pastes a line break as a vertical tab; a worksheet holds none of these.
    submit(definition, first_name="Awa\x0bDiallo\x01 \x1fSy", needs=["Repas"])
    export = build_submissions(definition, django_capture_on_commit_callbacks, "xlsx")
    assert export.status == ExportStatus.DONE, export.error
    assert rows_of(export)[1][3:] == ["Awa\nDiallo Sy", "Repas"]


FRENCH_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def test_the_ready_email_reads_as_the_requester_reads_dates_and_colons(
    definition, django_capture_on_commit_callbacks
):
    submit(definition, first_name="Awa")
    export = build_submissions(definition, django_capture_on_commit_callbacks)
    until = timezone.localdate(export.expires_at)
    body = mail.outbox[-1].body
    assert f"{until.day} {FRENCH_MONTHS[until.month - 1]} {until.year}" in body
    assert f"{until:%Y-%m-%d}" not in body
    # French typography: a non-breaking space before the colon.
    assert f"Demandes reçues d'un formulaire\u00a0: {definition.title} (csv)" in body


def test_the_ready_email_is_in_the_language_the_requester_chose(
    definition, django_capture_on_commit_callbacks
):
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "en"
    profile.save()
    export = build_submissions(
        definition, django_capture_on_commit_callbacks, user=coordinator
    )
    until = timezone.localdate(export.expires_at)
    sent = mail.outbox[-1]
    assert sent.subject == "Your export is ready"
    assert f"(Submissions of a form: {definition.title} (csv))" in sent.body
    assert f"{until.day}, {until.year}" in sent.body  # e.g. "Dec. 9, 2026"
    assert f"{until:%Y-%m-%d}" not in sent.body


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_file_is_named_in_the_sites_language(
    definition, file_format, django_capture_on_commit_callbacks
):
    export = build_submissions(
        definition, django_capture_on_commit_callbacks, file_format
    )
    name = export.file.name.rsplit("/", 1)[-1]
    assert name == f"demandes-{timezone.localdate():%Y%m%d}-{export.pk}.{file_format}"


def test_the_list_of_exports_says_what_each_holds_with_french_typography(
    client, definition, django_capture_on_commit_callbacks
):
    coordinator = member_of(definition.territory, TerritoryRole.COORDINATION)
    build(
        coordinator,
        django_capture_on_commit_callbacks,
        kind="submissions",
        form_definition=definition,
        file_format="xlsx",
    )
    client.force_login(coordinator)
    page = html.unescape(client.get(EXPORTS).content.decode())
    assert f"Demandes reçues d'un formulaire\u00a0: {definition.title} (xlsx)" in page
