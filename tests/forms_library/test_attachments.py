"""Attachments: checked by type and size, kept private, served behind the wall."""

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from content.models import TerritoryRole
from forms_library.library import field, step
from forms_library.models import Submission, SubmissionFile
from tests.content.factories import TerritoryPageFactory, member_of
from tests.forms_library.factories import IntakeFormPageFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def page():
    return IntakeFormPageFactory(
        form_definition__fields=[
            field("short_text", "Prénom", "prenom"),
            field(
                "file",
                "Justificatif de ressources",
                "justificatif",
                allowed_types=["pdf"],
                max_size_mb=1,
            ),
        ]
    )


def send(client, page, upload):
    client.get(page.url)
    prefix = f"intake_{page.pk}"
    step = client.post(
        page.url,
        {f"{prefix}-current_step": "0", "0-prenom": "Awa", "0-justificatif": upload},
    )
    if b"error-summary" in step.content:
        return step
    return client.post(page.url, {f"{prefix}-current_step": "review"})


def test_a_pdf_is_kept_privately_with_the_submission(client, page):
    response = send(client, page, SimpleUploadedFile("avis d'impot.pdf", PDF))
    assert response.status_code == 302
    attachment = SubmissionFile.objects.get()
    assert attachment.original_name == "avis d'impot.pdf"
    path = Path(attachment.file.path)
    assert path.read_bytes() == PDF
    assert str(path).startswith(settings.STORAGES["private"]["OPTIONS"]["location"])
    assert not str(path).startswith(settings.MEDIA_ROOT)
    assert "avis" not in path.name
    answer = Submission.objects.get().answers["justificatif"]
    assert answer == {"file": "avis d'impot.pdf", "size": len(PDF)}


def test_a_name_longer_than_a_disk_allows_is_kept_with_the_submission(client, page):
    # 126 accented letters: 252 bytes, 256 with ".pdf"; fine for a phone.
    name = "é" * 126 + ".pdf"
    response = send(client, page, SimpleUploadedFile(name, PDF))
    assert response.status_code == 302
    assert SubmissionFile.objects.get().original_name == name
    assert Submission.objects.get().answers["justificatif"]["file"] == name


def test_a_file_waits_under_a_name_that_says_nothing(client, page):
    before = _in_progress_names()
    client.get(page.url)
    client.post(
        page.url,
        {
            f"intake_{page.pk}-current_step": "0",
            "0-prenom": "Awa",
            "0-justificatif": SimpleUploadedFile("avis d'impot.pdf", PDF),
        },
    )
    (waiting,) = _in_progress_names() - before
    assert "avis" not in waiting and waiting.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("faux.pdf", b"pas un pdf"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40),
        ("gros.pdf", PDF + b"0" * (1024 * 1024)),
    ],
)
def test_wrong_type_or_size_is_explained_and_nothing_is_stored(
    client, page, name, content
):
    response = send(client, page, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    error = response.content.decode()
    assert "id_0-justificatif-error" in error
    assert Submission.objects.count() == 0


def test_a_pdf_named_as_an_image_is_kept_and_named_as_a_pdf(client, page):
    # A phone's scanner app may call its PDF "scan.png": the content decides,
    # so the social worker's computer opens it with the right program.
    response = send(client, page, SimpleUploadedFile("scan.png", PDF))
    assert response.status_code == 302
    attachment = SubmissionFile.objects.get()
    assert attachment.original_name == "scan.pdf"
    assert attachment.file.name.endswith(".pdf")
    assert Submission.objects.get().answers["justificatif"]["file"] == "scan.pdf"


def test_an_image_named_as_a_pdf_is_still_refused_where_only_pdf_is_allowed(
    client, page
):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
    response = send(client, page, SimpleUploadedFile("releve.pdf", png))
    assert response.status_code == 200
    assert "id_0-justificatif-error" in response.content.decode()
    assert not SubmissionFile.objects.exists()


def test_the_file_picker_offers_the_allowed_types_by_extension_and_media_type(
    client, page
):
    response = client.get(page.url)
    picker = BeautifulSoup(response.content, "html.parser").select_one(
        "[name='0-justificatif']"
    )
    assert picker["accept"] == ".pdf,application/pdf"


def test_download_only_within_the_territory(client, page):
    send(client, page, SimpleUploadedFile("releve.pdf", PDF))
    attachment = SubmissionFile.objects.get()
    url = f"/admin/submissions/{attachment.submission_id}/files/{attachment.pk}/"
    territory = page.get_parent().specific
    client.force_login(member_of(territory, TerritoryRole.INTERVENTION))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "releve.pdf" in response["Content-Disposition"]

    client.force_login(member_of(TerritoryPageFactory(), TerritoryRole.COORDINATION))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)


def test_the_detail_page_links_the_attachment(client, page):
    send(client, page, SimpleUploadedFile("releve.pdf", PDF))
    attachment = SubmissionFile.objects.get()
    client.force_login(
        member_of(page.get_parent().specific, TerritoryRole.COORDINATION)
    )
    detail = client.get(f"/admin/submissions/inspect/{attachment.submission_id}/")
    assert (
        f"/admin/submissions/{attachment.submission_id}/files/{attachment.pk}/"
        in detail.content.decode()
    )


def test_abandoned_uploads_are_deleted_after_a_day(client, page):
    import os
    import time

    from django.core.files.storage import storages

    from forms_library.tasks import abandoned_uploads_delete_task

    before = _in_progress_names()  # what other tests' unfinished forms left
    client.get(page.url)
    client.post(
        page.url,
        {
            f"intake_{page.pk}-current_step": "0",
            "0-prenom": "Awa",
            "0-justificatif": SimpleUploadedFile("oublie.pdf", PDF),
        },
    )
    in_progress = storages["private_in_progress"]
    names = sorted(_in_progress_names() - before)
    assert len(names) == 1  # the person left on the review step
    fresh = in_progress.save("recent.pdf", SimpleUploadedFile("recent.pdf", PDF))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(in_progress.path(names[0]), (two_days_ago, two_days_ago))

    abandoned_uploads_delete_task()  # immediate mode in tests: runs now

    assert not in_progress.exists(names[0])
    assert in_progress.exists(fresh)
    in_progress.delete(fresh)


def test_a_sent_form_leaves_nothing_in_progress(client, page):
    before = _in_progress_names()
    assert send(client, page, SimpleUploadedFile("releve.pdf", PDF)).status_code == 302
    assert _in_progress_names() == before


def _in_progress_names() -> set[str]:
    from django.core.files.storage import storages

    in_progress = storages["private_in_progress"]
    if not os.path.isdir(in_progress.location):
        return set()
    return set(in_progress.listdir("")[1])


def _two_steps_asking(file_question: dict):
    """A page whose first step asks a first name and this file, the second a town."""
    return IntakeFormPageFactory(
        form_definition__fields=[
            step("Vous"),
            field("short_text", "Prénom", "prenom"),
            file_question,
            step("Où"),
            field("short_text", "Ville", "ville"),
        ]
    )


@pytest.fixture
def two_step_page():
    return _two_steps_asking(
        field("file", "Justificatif", "justificatif", allowed_types=["pdf"])
    )


def _post(client, page, step_key: str, data: dict):
    return client.post(page.url, {f"intake_{page.pk}-current_step": step_key, **data})


def _send_from_the_second_step(client, page):
    _post(client, page, "1", {"1-ville": "Brest"})
    return _post(client, page, "review", {})


def _step_counter(response) -> str:
    html = BeautifulSoup(response.content, "html.parser")
    return html.select_one(".step-counter").get_text()


def test_coming_back_to_a_step_does_not_ask_for_its_file_again(client, two_step_page):
    page = two_step_page
    client.get(page.url)
    upload = SimpleUploadedFile("avis.pdf", PDF)
    _post(client, page, "0", {"0-prenom": "Awa", "0-justificatif": upload})
    back = _post(client, page, "1", {"1-ville": "Brest", "wizard_goto_step": "0"})
    note = BeautifulSoup(back.content, "html.parser").select_one(
        "#id_0-justificatif-kept"
    )
    assert "avis.pdf" in note.get_text()
    assert "id_0-justificatif-kept" in (
        BeautifulSoup(back.content, "html.parser")
        .select_one("#id_0-justificatif")
        .get("aria-describedby")
    )
    # Continue without choosing the file again: it is still there.
    again = _post(client, page, "0", {"0-prenom": "Awa"})
    assert _step_counter(again) == "Étape 2 sur 3"
    assert _send_from_the_second_step(client, page).status_code == 302
    attachment = SubmissionFile.objects.get()
    assert attachment.original_name == "avis.pdf"
    assert Path(attachment.file.path).read_bytes() == PDF


def test_a_file_is_kept_when_another_answer_of_its_step_is_wrong(client, two_step_page):
    page = two_step_page
    before = _in_progress_names()
    client.get(page.url)
    first = SimpleUploadedFile("avis.pdf", PDF)
    wrong = _post(client, page, "0", {"0-prenom": "", "0-justificatif": first})
    html = BeautifulSoup(wrong.content, "html.parser")
    assert html.select_one("#error-summary") is not None
    assert "avis.pdf" in html.select_one("#id_0-justificatif-kept").get_text()
    # Another file, another mistake: the second replaces the first.
    second = SimpleUploadedFile("releve.pdf", PDF + b"%second\n")
    _post(client, page, "0", {"0-prenom": "", "0-justificatif": second})
    fixed = _post(client, page, "0", {"0-prenom": "Awa"})
    assert _step_counter(fixed) == "Étape 2 sur 3"
    assert _send_from_the_second_step(client, page).status_code == 302
    attachment = SubmissionFile.objects.get()
    assert attachment.original_name == "releve.pdf"
    assert Path(attachment.file.path).read_bytes().endswith(b"%second\n")
    assert _in_progress_names() == before


@pytest.fixture
def optional_file_page():
    return _two_steps_asking(
        field("file", "Photo", "photo", allowed_types=["pdf"], required=False)
    )


def _back_to_the_first_step(client, page):
    back = _post(client, page, "1", {"1-ville": "Brest", "wizard_goto_step": "0"})
    return BeautifulSoup(back.content, "html.parser")


def test_an_optional_file_attached_can_be_removed(client, optional_file_page):
    page = optional_file_page
    before = _in_progress_names()
    client.get(page.url)
    upload = SimpleUploadedFile("avis.pdf", PDF)
    _post(client, page, "0", {"0-prenom": "Awa", "0-photo": upload})
    html = _back_to_the_first_step(client, page)
    remove = html.select_one("#id_0-photo-clear")
    assert remove["name"] == "0-photo-clear"
    assert html.select_one("label[for=id_0-photo-clear]").get_text() == (
        "Retirer le fichier avis.pdf"
    )

    _post(client, page, "0", {"0-prenom": "Awa", "0-photo-clear": "on"})
    html = _back_to_the_first_step(client, page)
    assert html.select_one("#id_0-photo-kept") is None  # nothing attached now
    _post(client, page, "0", {"0-prenom": "Awa"})
    assert _send_from_the_second_step(client, page).status_code == 302
    assert not SubmissionFile.objects.exists()
    assert Submission.objects.get().answers["photo"] is None  # as if never attached
    assert _in_progress_names() == before


def test_a_new_file_chosen_with_the_box_ticked_replaces_the_old(
    client, optional_file_page
):
    page = optional_file_page
    client.get(page.url)
    _post(
        client,
        page,
        "0",
        {"0-prenom": "Awa", "0-photo": SimpleUploadedFile("a.pdf", PDF)},
    )
    _back_to_the_first_step(client, page)
    replacement = SimpleUploadedFile("b.pdf", PDF + b"%b\n")
    moved_on = _post(
        client,
        page,
        "0",
        {"0-prenom": "Awa", "0-photo": replacement, "0-photo-clear": "on"},
    )
    assert _step_counter(moved_on) == "Étape 2 sur 3"
    assert _send_from_the_second_step(client, page).status_code == 302
    assert SubmissionFile.objects.get().original_name == "b.pdf"


def test_a_required_file_offers_no_removal(client, two_step_page):
    page = two_step_page
    client.get(page.url)
    _post(
        client,
        page,
        "0",
        {"0-prenom": "Awa", "0-justificatif": SimpleUploadedFile("a.pdf", PDF)},
    )
    html = _back_to_the_first_step(client, page)
    assert html.select_one("#id_0-justificatif-kept") is not None
    assert html.select_one("#id_0-justificatif-clear") is None
    # A tampered removal of a required file is not obeyed.
    _post(client, page, "0", {"0-prenom": "Awa", "0-justificatif-clear": "on"})
    assert _send_from_the_second_step(client, page).status_code == 302
    assert SubmissionFile.objects.get().original_name == "a.pdf"
