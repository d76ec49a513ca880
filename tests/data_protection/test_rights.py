"""A person's rights: find their data by contact, export it, erase it, in walls."""

import html
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from content.models import TerritoryRole
from data_protection.models import AnonymisationKind, AnonymisationRun
from data_protection.selectors import phone_key
from data_protection.services import personal_data_erase
from forms_library import exports as exports_module
from forms_library.exports import export_request, export_restart
from forms_library.models import (
    DataExport,
    ExportFormat,
    ExportKind,
    ExportStatus,
    Submission,
)
from tests.content.factories import TerritoryPageFactory, member_of
from tests.data_protection.factories import personal_fields, send
from tests.forms_library.factories import FormDefinitionFactory
from tests.workflows.factories import WorkflowDefinitionFactory, bound_intake_page

pytestmark = pytest.mark.django_db

INDEX = reverse("personal_data:index")
EXPORT = reverse("personal_data:export")
ERASE = reverse("personal_data:erase")


@pytest.fixture
def coordinator(intake_page):
    return member_of(intake_page.get_parent().specific, TerritoryRole.COORDINATION)


@pytest.fixture
def stranger():
    """A coordinator of another territory."""
    return member_of(TerritoryPageFactory(), TerritoryRole.COORDINATION)


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "+33 6 12 34 56 78",
        "0033612345678",
        "+33 (0)6 12 34 56 78",
        "+33 06 12 34 56 78",
    ],
)
def test_phone_numbers_in_any_shape_give_one_key(typed):
    assert phone_key(typed) == "33612345678"
    assert phone_key("(819) 555-0123") == phone_key("+1 819 555 0123")
    assert phone_key("12") is None


def test_search_finds_by_email_and_by_a_differently_written_phone(
    client, intake_page, coordinator
):
    mine = send(intake_page)
    in_text = send(intake_page, phone="", situation="Appelez le 06 12 34 56 78 svp")
    send(intake_page, email="lou@example.org", phone="0698765432")
    client.force_login(coordinator)

    by_email = client.post(INDEX, {"contact": "Awa.Diallo@example.org"})
    by_phone = client.post(INDEX, {"contact": "+33 6 12 34 56 78"})

    assert [s.pk for s in by_email.context["submissions"]] == [mine.pk, in_text.pk]
    assert [s.pk for s in by_phone.context["submissions"]] == [mine.pk, in_text.pk]
    assert mine.reference in by_phone.content.decode()


def test_bad_input_is_explained_not_a_server_error(client, coordinator):
    client.force_login(coordinator)
    for typed in ("", "bonjour", "12 34", "x" * 300):
        response = client.post(INDEX, {"contact": typed})
        assert response.status_code == 200
        assert response.context["form"].errors["contact"]
    assert client.post(EXPORT, {"contact": "bonjour"}).status_code == 302
    assert client.post(ERASE, {"submission": "abc"}).status_code == 404
    assert client.post(ERASE, {"submission": "²"}).status_code == 404
    assert client.post(ERASE, {"submission": str(10**23)}).status_code == 404
    assert client.post(ERASE, {}).status_code == 404
    assert client.get(ERASE).status_code == 302


def test_another_territory_finds_nothing_and_cannot_erase(
    client, intake_page, stranger
):
    submission = send(intake_page)
    client.force_login(stranger)

    found = client.post(INDEX, {"contact": "awa.diallo@example.org"})
    erase = client.post(
        ERASE, {"submission": submission.pk, "confirming": "1", "confirm": "on"}
    )

    assert found.context["submissions"] == []
    assert erase.status_code == 404
    assert Submission.objects.get(pk=submission.pk).anonymised_at is None


def test_a_person_outside_every_territory_is_refused(client):
    client.force_login(member_of(TerritoryPageFactory(), TerritoryRole.PARTNERS))
    # Wagtail turns the refusal into a redirect with a message.
    assert client.get(INDEX).status_code in (302, 403)


def test_social_workers_search_but_only_coordinators_erase(client, intake_page):
    submission = send(intake_page)
    worker = member_of(intake_page.get_parent().specific, TerritoryRole.INTERVENTION)
    client.force_login(worker)

    found = client.post(INDEX, {"contact": "0612345678"})

    assert [s.pk for s in found.context["submissions"]] == [submission.pk]
    assert found.context["erasable"] == []
    assert client.post(ERASE, {"submission": submission.pk}).status_code == 404


def test_the_export_holds_the_answers_and_the_cases(client, intake_page, coordinator):
    submission = send(intake_page)
    client.force_login(coordinator)

    as_json = client.post(EXPORT, {"contact": "06 12 34 56 78", "file_format": "json"})
    as_csv = client.post(EXPORT, {"contact": "06 12 34 56 78", "file_format": "csv"})

    assert as_json["Content-Disposition"].startswith("attachment;")
    document = json.loads(as_json.content)
    [exported] = document["submissions"]
    assert exported["reference"] == submission.reference
    answers = {a["name"]: a["answer"] for a in exported["answers"]}
    assert answers["email"] == "awa.diallo@example.org"
    assert answers["address"] == "3 rue des Lilas, Rennes"
    assert exported["cases"][0]["reference"] == submission.cases.get().reference
    text = as_csv.content.decode("utf-8-sig")
    assert "3 rue des Lilas, Rennes" in text and submission.reference in text


def test_the_csv_says_it_is_utf8_and_all_times_are_the_territorys(
    client, intake_page, coordinator
):
    territory = intake_page.form_definition.territory
    territory.time_zone = "America/Toronto"
    territory.save()
    submission = send(intake_page)
    client.force_login(coordinator)

    as_json = client.post(EXPORT, {"contact": "06 12 34 56 78", "file_format": "json"})
    as_csv = client.post(EXPORT, {"contact": "06 12 34 56 78", "file_format": "csv"})

    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    [exported] = json.loads(as_json.content)["submissions"]
    [consent] = exported["consents"]
    in_toronto = timezone.localtime(submission.created_at, ZoneInfo("America/Toronto"))
    offset = in_toronto.isoformat()[-6:]  # -05:00 in winter, -04:00 in summer
    assert exported["received_at"] == in_toronto.isoformat()
    assert consent["given_at"].endswith(offset)
    stored = datetime.fromisoformat(submission.consents[0]["given_at"])
    assert datetime.fromisoformat(consent["given_at"]) == stored  # the same moment
    assert exported["cases"][0]["opened_at"].endswith(offset)


def test_the_export_file_is_named_in_the_readers_language(
    client, intake_page, coordinator
):
    send(intake_page)
    client.force_login(coordinator)
    stamp = f"{timezone.localdate():%Y%m%d}"
    profile = UserProfile.get_for_user(coordinator)

    profile.preferred_language = "en"
    profile.save()
    as_csv = client.post(EXPORT, {"contact": "06 12 34 56 78", "file_format": "csv"})
    profile.preferred_language = "fr"
    profile.save()
    as_json = client.post(EXPORT, {"contact": "06 12 34 56 78", "file_format": "json"})

    assert f'filename="personal-data-{stamp}.csv"' in as_csv["Content-Disposition"]
    expected = f'filename="donnees-personnelles-{stamp}.json"'
    assert expected in as_json["Content-Disposition"]


def test_erasure_asks_to_confirm_then_wipes_and_is_recorded(
    client, intake_page, coordinator, django_capture_on_commit_callbacks
):
    submission = send(intake_page, with_file=True)
    other = send(intake_page, email="lou@example.org", phone="0698765432")
    client.force_login(coordinator)

    asked = client.post(ERASE, {"submission": submission.pk})
    unconfirmed = client.post(ERASE, {"submission": submission.pk, "confirming": "1"})
    assert asked.status_code == unconfirmed.status_code == 200
    assert unconfirmed.context["form"].errors["confirm"]
    assert Submission.objects.get(pk=submission.pk).anonymised_at is None

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            ERASE,
            {
                "submission": submission.pk,
                "confirming": "1",
                "confirm": "on",
                "note": "Courriel du 3 mars",
            },
        )

    assert done.status_code == 302
    submission.refresh_from_db()
    assert submission.anonymised_at is not None
    assert submission.answers["email"] is None
    assert submission.answers["household"] == 4
    assert not submission.files.exists()
    assert submission.cases.get().title == ""
    assert Submission.objects.get(pk=other.pk).answers["email"] == "lou@example.org"
    run = AnonymisationRun.objects.get()
    assert run.kind == AnonymisationKind.ERASURE
    assert run.performed_by == coordinator
    assert run.references == [submission.reference]
    assert run.note == "Courriel du 3 mars"
    assert run.files_deleted == 1
    # Nothing left to find, and the record shows in the list.
    found = client.post(INDEX, {"contact": "awa.diallo@example.org"})
    assert found.context["submissions"] == []
    runs = client.get(reverse("personal_data:runs"))
    assert submission.reference in runs.content.decode()


def test_the_record_of_erasures_is_walled(client, intake_page, coordinator, stranger):
    submission = send(intake_page)
    client.force_login(coordinator)
    client.post(
        ERASE,
        {"submission": submission.pk, "confirming": "1", "confirm": "on"},
        follow=True,  # reads the success message, so it is not the next page's
    )

    client.force_login(stranger)
    runs = client.get(reverse("personal_data:runs"))

    assert submission.reference not in runs.content.decode()


def test_search_spans_only_the_walls_when_the_email_is_in_two_territories(
    client, intake_page, coordinator
):
    elsewhere = bound_intake_page(WorkflowDefinitionFactory(), fields=personal_fields())
    send(elsewhere)
    mine = send(intake_page)
    client.force_login(coordinator)

    found = client.post(INDEX, {"contact": "awa.diallo@example.org"})

    assert [s.pk for s in found.context["submissions"]] == [mine.pk]


def test_the_pages_render_for_a_coordinator_and_a_superuser(
    client, intake_page, coordinator
):
    client.force_login(coordinator)
    assert "Courriel ou numéro de téléphone" in client.get(INDEX).content.decode()
    admin = member_of(intake_page.get_parent().specific, TerritoryRole.COORDINATION)
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("personal_data:runs")).status_code == 200


def test_an_erasure_reaches_the_exports_already_built(
    client, intake_page, coordinator, django_capture_on_commit_callbacks
):
    submission = send(intake_page)
    definition = intake_page.form_definition
    with django_capture_on_commit_callbacks(execute=True):
        built = export_request(
            user=coordinator,
            kind=ExportKind.SUBMISSIONS,
            form_definition=definition,
            file_format=ExportFormat.CSV,
        )
        other_form = FormDefinitionFactory(territory=definition.territory)
        untouched = export_request(
            user=coordinator,
            kind=ExportKind.SUBMISSIONS,
            form_definition=other_form,
            file_format=ExportFormat.CSV,
        )
    built.refresh_from_db()
    path = built.file.path
    assert "awa.diallo@example.org" in Path(path).read_text(encoding="utf-8-sig")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            ERASE,
            {"submission": submission.pk, "confirming": "1", "confirm": "on"},
            follow=True,
        )

    built.refresh_from_db()
    assert built.status == ExportStatus.WITHDRAWN and not built.file
    assert not Path(path).exists()
    with translation.override("fr"):
        assert "effacer" in built.withdrawal_reason
    with translation.override("en"):  # each reads it in their own language
        assert "erase" in built.withdrawal_reason
    untouched.refresh_from_db()
    assert untouched.status == ExportStatus.DONE and untouched.file
    assert AnonymisationRun.objects.get().exports_withdrawn == 1
    assert "1 fichier d'export contenant ces données a été supprimé" in html.unescape(
        done.content.decode()
    )
    listing = html.unescape(client.get("/admin/exports/").content.decode())
    assert "Retiré" in listing and "effacer" in listing
    assert "votre administrateur" not in listing  # not a failure to report
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/exports/{built.pk}/restart/")
    built.refresh_from_db()
    text = Path(built.file.path).read_text(encoding="utf-8-sig")
    assert submission.reference in text and "awa.diallo@example.org" not in text


def claimed_export(intake_page, coordinator, *, attempt: int) -> DataExport:
    """An export of the page's form that a worker has claimed and is building."""
    return DataExport.objects.create(
        requested_by=coordinator,
        kind=ExportKind.SUBMISSIONS,
        form_definition=intake_page.form_definition,
        file_format=ExportFormat.CSV,
        status=ExportStatus.RUNNING,
        attempt=attempt,
    )


def test_an_export_being_built_during_an_erasure_keeps_nothing(
    intake_page, coordinator
):
    submission = send(intake_page)
    export = claimed_export(intake_page, coordinator, attempt=0)
    personal_data_erase(
        submissions=Submission.objects.filter(pk=submission.pk), user=coordinator
    )
    export.refresh_from_db()
    assert export.status == ExportStatus.WITHDRAWN
    exports_dir = Path(settings.PRIVATE_MEDIA_ROOT) / "exports"
    files_before = set(exports_dir.rglob("*")) if exports_dir.exists() else set()
    # The worker finishes writing what it read: the file is not kept.
    assert exports_module._build(export) is False
    export.refresh_from_db()
    assert export.status == ExportStatus.WITHDRAWN and not export.file
    assert {f for f in exports_dir.rglob("*") if f.is_file()} <= files_before


def test_a_worker_still_on_a_withdrawn_export_does_not_publish_after_a_restart(
    intake_page, coordinator
):
    submission = send(intake_page)
    export = claimed_export(intake_page, coordinator, attempt=1)
    first_worker = DataExport.objects.get(pk=export.pk)  # it read the rows
    personal_data_erase(
        submissions=Submission.objects.filter(pk=submission.pk), user=coordinator
    )
    export_restart(export=export)  # the requester starts it again at once
    DataExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, attempt=2
    )  # a second worker claims it
    assert exports_module._build(first_worker) is False
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING and not export.file


def test_an_erasure_sent_twice_says_it_is_done_and_erases_the_rest(
    client, intake_page, coordinator
):
    submission = send(intake_page)
    other = send(intake_page, email="lou@example.org", phone="0698765432")
    client.force_login(coordinator)
    confirmed = {"confirming": "1", "confirm": "on"}
    # Two tabs confirm the erasure of the same submission; the second also
    # names another one.
    client.post(ERASE, {"submission": submission.pk, **confirmed})
    again = client.post(ERASE, {"submission": submission.pk, **confirmed}, follow=True)
    assert again.status_code == 200
    with translation.override("fr"):
        expected = translation.gettext(
            "Already erased: %(references)s. Nothing more to do for them."
        ) % {"references": submission.reference}
    assert expected in html.unescape(again.content.decode())
    both = client.post(
        ERASE, {"submission": [submission.pk, other.pk], **confirmed}, follow=True
    )
    assert both.status_code == 200
    assert Submission.objects.get(pk=other.pk).anonymised_at is not None
    assert AnonymisationRun.objects.count() == 2
    assert AnonymisationRun.objects.order_by("pk").last().references == [
        other.reference
    ]
