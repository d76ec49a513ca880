"""The inbox, the board, the case page and the workflow editor, inside the walls."""

import html
import json

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import APIToken

from content.models import PartnerOrganisation, TerritoryRole
from data_protection.services import personal_data_erase
from forms_library.library import field
from forms_library.models import Submission
from tests.content.factories import member_of
from tests.forms_library.factories import FormDefinitionFactory
from tests.workflows.factories import (
    WorkflowDefinitionFactory,
    accompaniment_graph,
    case_from_submission,
)
from workflows import views
from workflows.blocks import TransitionBlock
from workflows.demo import assign, state, transition, with_machine_names
from workflows.forms import EXPECTED_STATE
from workflows.models import Case, WorkflowDefinition
from workflows.services import case_open, case_take_transition

pytestmark = pytest.mark.django_db

INBOX = "/admin/cases/"


def shown(message: str, response, **params) -> bool:
    """Whether the page shows this message, in the person's language (French),
    as text or inside the StreamField's error data."""
    with translation.override("fr"):
        message = gettext(message)
    if params:
        message = message % params
    page = html.unescape(response.content.decode())
    return message in page or json.dumps(message)[1:-1] in page


def texts(response, selector: str) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [" ".join(e.get_text().split()) for e in page.select(selector)]


@pytest.fixture
def two_territories():
    here = WorkflowDefinitionFactory(title="Accompagnement ici")
    there = WorkflowDefinitionFactory(title="Accompagnement là-bas")
    return here, there


def test_the_inbox_shows_my_territory_only(client, two_territories):
    here, there = two_territories
    mine = case_from_submission(here, first_name="Awa")
    theirs = case_from_submission(there, first_name="Bertrand")
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    client.force_login(worker)
    response = client.get(INBOX)
    assert response.status_code == 200
    body = response.content.decode()
    assert mine.reference in body and "Awa" in body
    assert theirs.reference not in body
    searched = client.get(INBOX, {"q": "awa"})
    assert mine.reference in searched.content.decode()


def test_another_territory_gets_404_on_case_board_actions_and_api(
    client, two_territories
):
    here, there = two_territories
    theirs = case_from_submission(there)
    stranger = member_of(here.territory, TerritoryRole.COORDINATION)
    client.force_login(stranger)
    for url in (
        f"/admin/cases/{theirs.pk}/",
        f"/admin/cases/{theirs.pk}/act/prendre_en_charge/",
        f"/admin/cases/board/{there.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    posted = client.post(
        f"/admin/cases/{theirs.pk}/act/prendre_en_charge/",
        {EXPECTED_STATE: "accueil"},
    )
    assert posted.status_code == 404
    assert client.post(
        f"/admin/cases/{theirs.pk}/note/", {"text": "x"}
    ).status_code == (404)
    _token, key = APIToken.create_token(user=stranger, name="test")
    api = client.get(
        f"/api/v3/cases/{theirs.pk}/", headers={"authorization": f"Bearer {key}"}
    )
    assert api.status_code == 404
    listed = client.get("/api/v3/cases/", headers={"authorization": f"Bearer {key}"})
    assert listed.json() == []
    no_such_workflow = client.get(
        f"/api/v3/cases/?workflow={10**23}", headers={"authorization": f"Bearer {key}"}
    )
    assert no_such_workflow.json() == []
    theirs.refresh_from_db()
    assert theirs.state == "accueil" and not theirs.events.filter(kind="note")


def test_inbox_queries_do_not_grow_with_the_cases(
    client, two_territories, django_assert_max_num_queries
):
    here, _there = two_territories
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    client.force_login(worker)
    case_from_submission(here)
    with django_assert_max_num_queries(40) as few:
        client.get(INBOX)
    for _ in range(12):
        case_from_submission(here)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX)
    assert len(texts(response, "tbody tr")) == 13


def test_board_queries_do_not_grow_with_the_cards(
    client, two_territories, django_assert_max_num_queries
):
    here, _there = two_territories
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    client.force_login(worker)
    case_from_submission(here)
    board = f"/admin/cases/board/{here.pk}/"
    with django_assert_max_num_queries(40) as few:
        client.get(board)
    for _ in range(8):
        case_from_submission(here)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(board)
    assert len(texts(response, ".case-card")) == 9
    assert texts(response, ".case-board__column h2")[:2] == [
        "Accueil (9)",
        "Évaluation (0)",
    ]


def test_taking_a_transition_from_the_case_page(client, two_territories):
    here, _there = two_territories
    case = case_from_submission(here)
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    client.force_login(worker)
    page = client.get(f"/admin/cases/{case.pk}/")
    assert texts(page, ".case-transitions a") == ["Prendre en charge"]
    form = client.get(f"/admin/cases/{case.pk}/act/prendre_en_charge/")
    assert form.status_code == 200
    done = client.post(
        f"/admin/cases/{case.pk}/act/prendre_en_charge/",
        {EXPECTED_STATE: "accueil"},
        follow=True,
    )
    assert texts(done, "[data-case-state]") == ["Évaluation"]
    assert shown(
        "%(reference)s is now “%(state)s”.",
        done,
        reference=case.reference,
        state="Évaluation",
    )
    assert any("Prendre en charge" in t for t in texts(done, ".case-timeline li"))


def test_a_stale_post_says_the_case_moved_and_changes_nothing(client, two_territories):
    here, _there = two_territories
    case = case_from_submission(here)
    coordinator = member_of(here.territory, TerritoryRole.COORDINATION)
    client.force_login(coordinator)
    client.post(
        f"/admin/cases/{case.pk}/act/prendre_en_charge/", {EXPECTED_STATE: "accueil"}
    )
    # A second tab still showing "Accueil" tries to classify it.
    response = client.post(
        f"/admin/cases/{case.pk}/act/classer_sans_suite/",
        {EXPECTED_STATE: "accueil"},
        follow=True,
    )
    assert response.status_code == 200
    assert shown(
        "Someone acted on this case meanwhile: it is now “%(state)s”. "
        "Nothing was changed; look at it again before acting.",
        response,
        state="Évaluation",
    )
    case.refresh_from_db()
    assert case.state == "evaluation"
    # An action that is not theirs, on a case that did not move: said so.
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    client.force_login(worker)
    other = case_from_submission(here)
    refused = client.post(
        f"/admin/cases/{other.pk}/act/classer_sans_suite/",
        {EXPECTED_STATE: "accueil"},
        follow=True,
    )
    assert shown(
        "This action cannot be taken now: the case may have moved, or it is not "
        "yours to take.",
        refused,
    )


def test_an_empty_note_is_refused_with_a_message(client, two_territories):
    here, _there = two_territories
    case = case_from_submission(here)
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    response = client.post(f"/admin/cases/{case.pk}/note/", {"text": " "})
    assert response.status_code == 200
    assert shown("This field is required.", response)
    client.post(f"/admin/cases/{case.pk}/note/", {"text": "Rappeler lundi"})
    assert case.events.get(kind="note").text == "Rappeler lundi"


def test_a_note_sent_twice_is_added_once(client, two_territories):
    here, _there = two_territories
    case = case_from_submission(here)
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    client.force_login(worker)
    note = {"text": "Rappeler lundi"}

    for _tap in range(2):  # a double tap, or the page sent again
        response = client.post(f"/admin/cases/{case.pk}/note/", note, follow=True)
        assert shown("Your note was added.", response)

    assert case.events.filter(kind="note").count() == 1
    # Another note, or the same from a colleague, is added as usual.
    client.post(f"/admin/cases/{case.pk}/note/", {"text": "Rappelée"})
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    client.post(f"/admin/cases/{case.pk}/note/", note)
    assert case.events.filter(kind="note").count() == 3


def test_the_api_takes_a_transition_and_reports_a_stale_one(client, two_territories):
    here, _there = two_territories
    case = case_from_submission(here)
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    _token, key = APIToken.create_token(user=worker, name="test")
    auth = {"authorization": f"Bearer {key}"}
    detail = client.get(f"/api/v3/cases/{case.pk}/", headers=auth).json()
    assert [t["name"] for t in detail["transitions"]] == ["prendre_en_charge"]
    url = f"/api/v3/cases/{case.pk}/transitions/"
    body = {"transition": "prendre_en_charge", "expected_state": "accueil"}
    taken = client.post(url, body, content_type="application/json", headers=auth)
    assert taken.status_code == 200
    assert taken.json()["state"] == "evaluation"
    again = client.post(url, body, content_type="application/json", headers=auth)
    assert again.status_code == 409
    assert "Quelqu'un a agi sur ce dossier entre-temps" in again.json()["detail"]
    in_english = {**auth, "accept-language": "en"}
    again = client.post(url, body, content_type="application/json", headers=in_english)
    assert again.status_code == 409
    assert "Someone acted on this case meanwhile" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"transition": 5, "expected_state": "accueil"}, ["transition"]),
        ({"expected_state": "accueil"}, ["transition"]),
        ({}, ["expected_state", "transition"]),
        (
            {
                "transition": "prendre_en_charge",
                "expected_state": 3,
                "answers": "x",
                "assignee": "bob",
                "partner": {"id": 1},
            },
            ["answers", "assignee", "expected_state", "partner"],
        ),
        # Half a character, which no page could show back: refused whole.
        ({"transition": "prendre_en_charge\ud800", "expected_state": "x"}, []),
    ],
)
def test_the_api_names_each_field_of_a_body_of_the_wrong_shape(
    client, two_territories, body, fields
):
    here, _there = two_territories
    case = case_from_submission(here)
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    _token, key = APIToken.create_token(user=worker, name="test")
    response = client.post(
        f"/api/v3/cases/{case.pk}/transitions/",
        body,
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert sorted(response.json()["errors"] or []) == fields
    case.refresh_from_db()
    assert case.state == "accueil"


def test_the_transition_body_is_described_in_the_openapi_schema(client):
    schema = client.get("/api/v3/openapi.json").json()
    post = schema["paths"]["/api/v3/cases/{case_id}/transitions/"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["transition", "expected_state"]
    assert {"answers", "assignee", "partner"} <= set(body["properties"])


EDITOR = "/admin/snippets/workflows/workflowdefinition/"


def graph_post_data(territory_id: int, publish: bool) -> dict:
    """What the editor sends for a workflow with one lonely initial state."""
    data = {
        "title": "Brouillon",
        "territory": territory_id,
        "description": "",
        "graph-count": 1,
        "graph-0-type": "state",
        "graph-0-deleted": "",
        "graph-0-order": 0,
        "graph-0-value-label": "Accueil",
        "graph-0-value-name": "",
        "graph-0-value-kind": "initial",
        "graph-0-value-deadline_days": "",
        "graph-0-value-colour": "blue",
    }
    if publish:
        data["action-publish"] = "action-publish"
    return data


def test_an_invalid_workflow_saves_as_a_draft_but_does_not_publish(client):
    workflow = WorkflowDefinitionFactory()
    coordinator = member_of(workflow.territory, TerritoryRole.COORDINATION)
    client.force_login(coordinator)
    saved = client.post(EDITOR + "add/", graph_post_data(workflow.territory_id, False))
    assert saved.status_code == 302
    draft = WorkflowDefinition.objects.get(title="Brouillon")
    assert not draft.live
    assert draft.graph[0].value["name"] == "accueil"
    refused = client.post(
        EDITOR + f"edit/{draft.pk}/", graph_post_data(workflow.territory_id, True)
    )
    assert refused.status_code == 200
    assert shown(
        "No transition leaves “%(state)s”: add one, or make it final.",
        refused,
        state="Accueil",
    )
    assert shown("Add at least one final state, where cases end.", refused)
    draft.refresh_from_db()
    assert not draft.live
    assert draft.graph[0].value["label"] == "Accueil"


@pytest.mark.parametrize("posted", ["abc", "1.5", "999999"])
def test_a_garbled_choice_of_form_reads_as_none_not_a_crash(posted):
    form_choice = TransitionBlock().child_blocks["form"]
    assert form_choice.value_from_datadict({"t": posted}, {}, "t") is None


def test_the_preview_draws_every_state_and_transition(rf):
    workflow = WorkflowDefinitionFactory()
    request = rf.get("/")
    request.user = member_of(workflow.territory, TerritoryRole.COORDINATION)
    response = workflow.serve_preview(request, workflow.default_preview_mode)
    response.render()
    page = BeautifulSoup(response.content, "html.parser")
    svg = page.select_one("svg[role=img]")
    assert [t.get_text() for t in svg.select("rect + text")] == [
        "Accueil",
        "Évaluation",
        "Clôturé",
        "Sans suite",
    ]
    assert len(svg.select("path[marker-end]")) == 3
    assert "Prendre en charge: accueil → evaluation" in texts(response, "main li")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_files_on_a_case_are_checked_private_and_walled(client, two_territories):
    from django.core.files.uploadedfile import SimpleUploadedFile

    here, there = two_territories
    case = case_from_submission(here)
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    refused = client.post(
        f"/admin/cases/{case.pk}/attach/",
        {"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/pdf")},
    )
    assert refused.status_code == 200
    assert shown(
        "Send a file of one of these types: %(types)s.", refused, types="PDF, JPG, PNG"
    )
    assert not case.attachments.exists()
    client.post(
        f"/admin/cases/{case.pk}/attach/",
        {"file": SimpleUploadedFile("bilan.pdf", PDF, "application/pdf")},
    )
    attachment = case.attachments.get()
    assert not attachment.file.name.endswith("bilan.pdf")  # names stay private
    download = client.get(f"/admin/cases/{case.pk}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PDF
    client.force_login(member_of(there.territory, TerritoryRole.COORDINATION))
    url = f"/admin/cases/{case.pk}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 404


def test_a_pdf_named_as_an_image_is_attached_and_downloaded_as_a_pdf(
    client, two_territories
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    here, _there = two_territories
    case = case_from_submission(here)
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    client.post(
        f"/admin/cases/{case.pk}/attach/",
        {"file": SimpleUploadedFile("bilan.jpg", PDF, "image/jpeg")},
    )
    attachment = case.attachments.get()
    assert attachment.original_name == "bilan.pdf"
    assert attachment.file.name.endswith(".pdf")
    download = client.get(f"/admin/cases/{case.pk}/attachments/{attachment.pk}/")
    assert 'filename="bilan.pdf"' in download["Content-Disposition"]


def test_a_note_being_typed_is_given_back_when_a_file_is_added(client, two_territories):
    from django.core.files.uploadedfile import SimpleUploadedFile

    here, _there = two_territories
    case = case_from_submission(here)
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    attach = f"/admin/cases/{case.pk}/attach/"
    draft = "Appelée ce matin, rappeler"

    def note_box(response) -> str:
        return response.context["note_form"]["text"].value()

    # The case page sends the note box with the file (one form, two buttons).
    page = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert f'formaction="{attach}"' in page
    refused = client.post(
        attach,
        {"text": draft, "file": SimpleUploadedFile("x.exe", b"MZ", "text/plain")},
    )
    assert refused.status_code == 200 and note_box(refused) == draft
    added = client.post(
        attach,
        {"text": draft, "file": SimpleUploadedFile("bilan.pdf", PDF)},
        follow=True,
    )
    assert case.attachments.count() == 1
    assert note_box(added) == draft
    assert shown("Your note is not added yet: it is still in the note box.", added)
    # Unfinished, it was not added; given back once, not for ever.
    assert not case.events.filter(kind="note").exists()
    assert note_box(client.get(f"/admin/cases/{case.pk}/")) in ("", None)


def test_a_file_chosen_when_adding_a_note_is_said_not_added(client, two_territories):
    from django.core.files.uploadedfile import SimpleUploadedFile

    here, _there = two_territories
    case = case_from_submission(here)
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))

    response = client.post(
        f"/admin/cases/{case.pk}/note/",
        {"text": "Bilan joint", "file": SimpleUploadedFile("bilan.pdf", PDF)},
        follow=True,
    )

    assert case.events.get(kind="note").text == "Bilan joint"
    assert not case.attachments.exists()
    assert shown(
        "The file you chose was not added: choose it again, then press “Add the file”.",
        response,
    )


def test_the_inbox_filters_by_state_label_and_overdue(client, two_territories):
    here, _there = two_territories
    waiting = case_from_submission(here, first_name="Awa")
    moved = case_from_submission(here, first_name="Bertrand")
    worker = member_of(here.territory, TerritoryRole.COORDINATION)
    from workflows.services import case_take_transition

    case_take_transition(
        case=moved,
        transition_name="prendre_en_charge",
        user=worker,
        data={EXPECTED_STATE: "accueil"},
    )
    client.force_login(worker)
    page = client.get(INBOX)
    options = texts(page, "select[name=state] option")
    assert "Évaluation" in options and "Accueil" in options
    in_evaluation = client.get(INBOX, {"state": "evaluation"}).content.decode()
    assert moved.reference in in_evaluation and waiting.reference not in in_evaluation
    assert (
        waiting.reference not in client.get(INBOX, {"overdue": "true"}).content.decode()
    )
    mine = client.get(INBOX, {"scope": "mine"}).content.decode()
    assert moved.reference in mine and waiting.reference not in mine


def test_searching_the_inbox_finds_every_case_i_can_see(client, two_territories):
    here, _there = two_territories
    referred = case_from_submission(here, first_name="Diallo")
    coordinator = member_of(here.territory, TerritoryRole.COORDINATION)
    referred.assignee = coordinator  # waiting on someone else now
    referred.save()
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    assert referred.reference not in client.get(INBOX).content.decode()
    found = client.get(INBOX, {"q": "Diallo"}).content.decode()
    assert referred.reference in found


def test_searching_ignores_accents_and_capitals(client, two_territories):
    here, there = two_territories
    gwenaelle = case_from_submission(here, first_name="Gwenaëlle")
    elsewhere = case_from_submission(there, first_name="Gwenaëlle")
    other = case_from_submission(here, first_name="Gaëtan")
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    for typed in ("gwenaelle", "GWENAËLLE", "Gwenaelle"):
        found = client.get(INBOX, {"q": typed}).content.decode()
        assert gwenaelle.reference in found, typed
        assert elsewhere.reference not in found and other.reference not in found
    by_reference = client.get(INBOX, {"q": gwenaelle.reference.lower()})
    assert gwenaelle.reference in by_reference.content.decode()


def test_a_long_name_that_folding_lengthens_still_opens_its_case(two_territories):
    # "…" folds to "..." and "ß" to "ss": the folded name must fit its column
    # (PostgreSQL refuses what SQLite would store).
    here, _there = two_territories
    long_name = "Anne-Laure…ß " * 30
    case = case_from_submission(here, first_name=long_name)
    case.refresh_from_db()
    assert len(case.title) == 255 and len(case.title_folded) == 255
    assert case.title_folded.startswith("anne-laure...ss anne-laure")


def test_an_anonymised_case_is_not_found_by_its_former_name(two_territories):
    here, _there = two_territories
    case = case_from_submission(here, first_name="Gwenaëlle")
    assert Case.objects.filter(title_folded__contains="gwenaelle").exists()
    personal_data_erase(
        submissions=Submission.objects.filter(pk=case.submission_id),
        user=member_of(here.territory, TerritoryRole.COORDINATION),
    )
    case.refresh_from_db()
    assert case.title == "" and case.title_folded == ""


def test_the_admin_home_shows_the_cases_waiting(client, two_territories):
    here, there = two_territories
    mine = case_from_submission(here, first_name="Awa")
    theirs = case_from_submission(there, first_name="Bertrand")
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    home = client.get("/admin/").content.decode()
    assert shown("Cases waiting on you", client.get("/admin/"))
    assert mine.reference in home and theirs.reference not in home
    assert "/admin/cases/" in home


def test_the_case_page_reads_answers_and_people_as_people_do(client, two_territories):
    here, _there = two_territories
    here.graph = accompaniment_graph(
        form=FormDefinitionFactory(
            territory=here.territory,
            fields=[
                field("yes_no", "Besoin repéré ?", "besoin"),
                field("date", "Date de retrait", "retrait"),
                field("number", "Nombre de colis", "colis"),
            ],
        ).pk
    )
    here.save_revision().publish()
    here.refresh_from_db()
    case = case_from_submission(here)
    worker = member_of(
        here.territory,
        TerritoryRole.INTERVENTION,
        first_name="Gwenaëlle",
        last_name="Le Goff",
    )
    case_take_transition(
        case=case,
        transition_name="prendre_en_charge",
        user=worker,
        data={EXPECTED_STATE: "accueil"},
    )
    case.refresh_from_db()
    case_take_transition(
        case=case,
        transition_name="cloturer",
        user=worker,
        data={
            EXPECTED_STATE: case.state,
            "besoin": "yes",
            "retrait": "2026-12-10",
            "colis": "1.5",
        },
    )
    client.force_login(worker)
    timeline = " ".join(
        texts(client.get(f"/admin/cases/{case.pk}/"), ".case-timeline li")
    )
    assert "Oui" in timeline and "yes" not in timeline
    assert "10 décembre 2026" in timeline and "2026-12-10" not in timeline
    assert "1,5" in timeline
    assert "Gwenaëlle Le Goff" in timeline
    assert worker.username not in timeline


def board_links(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in page.select("a[href*='/admin/cases/board/']")]


def test_the_board_is_offered_only_to_those_it_opens_for(client, two_territories):
    here, _there = two_territories
    grocery = PartnerOrganisation.objects.create(
        territory=here.territory, name="Épicerie solidaire"
    )
    partner_staff = member_of(here.territory, TerritoryRole.PARTNERS)
    grocery.members.add(partner_staff)
    case = case_from_submission(here)
    case.partner = grocery
    case.save()
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    board = f"/admin/cases/board/{here.pk}/"

    client.force_login(partner_staff)
    case_page = client.get(f"/admin/cases/{case.pk}/")
    inbox = client.get(INBOX)
    assert client.get(board).status_code == 404
    assert case.reference in inbox.content.decode()
    assert board_links(case_page) == [] and board_links(inbox) == []
    assert here.title in " ".join(texts(case_page, ".case-facts dd"))

    client.force_login(worker)
    assert board in board_links(client.get(f"/admin/cases/{case.pk}/"))
    assert client.get(board).status_code == 200


def quoted(text: str) -> str:
    """French guillemets, held to the text by non-breaking spaces."""
    return f"«\N{NO-BREAK SPACE}{text}\N{NO-BREAK SPACE}»"


def test_the_case_history_quotes_states_the_french_way(client, two_territories):
    here, _there = two_territories
    case = case_from_submission(here)
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    case_page = html.unescape(client.get(f"/admin/cases/{case.pk}/").content.decode())
    assert f"Dossier ouvert à l'étape {quoted('Accueil')}" in case_page
    assert "“" not in case_page
    transition = client.get(f"/admin/cases/{case.pk}/act/prendre_en_charge/")
    assert (
        f"Le dossier passe de {quoted('Accueil')} à {quoted('Évaluation')}."
        in html.unescape(transition.content.decode())
    )


def test_the_inbox_filters_are_named_with_a_capital(client, two_territories):
    here, _there = two_territories
    case_from_submission(here)
    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    filters = texts(client.get(INBOX), ".w-drilldown__toggle")
    with translation.override("fr"):
        expected = [
            gettext(label)
            for label in (
                "Cases",
                "Workflow",
                "State",
                "Past its deadline",
                "Partner organisation",
            )
        ]
    assert filters == expected
    assert all(label[0].isupper() for label in filters)


def test_the_api_reports_a_refused_choice_under_the_name_the_client_sent(
    client, two_territories
):
    here, there = two_territories
    here.graph = with_machine_names(
        [
            state("Reçue", "recue", "initial"),
            state("Orientée", "orientee", "final_positive"),
            transition(
                "Orienter", "recue", "orientee", effects=[assign("chosen_partner")]
            ),
        ]
    )
    here.save_revision().publish()
    here.refresh_from_db()
    case = case_from_submission(here)
    elsewhere = PartnerOrganisation.objects.create(
        territory=there.territory, name="Épicerie d'ailleurs"
    )
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    _token, key = APIToken.create_token(user=worker, name="test")
    response = client.post(
        f"/api/v3/cases/{case.pk}/transitions/",
        {
            "transition": "orienter",
            "expected_state": "recue\x00",
            "partner": elsewhere.pk,
        },
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["expected_state", "partner"]
    # Said to a program, not on a page: nothing is "below".
    assert response.json()["detail"] == "Certaines réponses sont à corriger."
    case.refresh_from_db()
    assert case.state == "recue"


def test_a_quebec_coordinator_reads_the_case_times_in_quebec_time(client):
    from datetime import UTC, datetime

    from tests.content.factories import TerritoryPageFactory

    territory = TerritoryPageFactory(time_zone="America/Toronto")
    workflow = WorkflowDefinitionFactory(territory=territory)
    case = case_from_submission(workflow)
    # 01:28 in Paris's next day is 20:28 the evening before in Québec.
    case.deadline = datetime(2026, 12, 8, 1, 28, tzinfo=UTC)
    case.save(update_fields=["deadline"])
    client.force_login(member_of(territory, TerritoryRole.COORDINATION))
    page = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert "07/12/2026 20:28" in page
    assert "08/12/2026" not in page


def test_a_transition_named_with_a_slash_is_shown_and_taken(client):
    # A coordinator may write any machine name, "oui/non" included.
    graph = accompaniment_graph()
    take = next(b for b in graph if b["value"].get("name") == "prendre_en_charge")
    take["value"]["name"] = "accepter/orienter"
    workflow = WorkflowDefinitionFactory(graph=graph)
    case = case_from_submission(workflow)
    client.force_login(member_of(workflow.territory, TerritoryRole.COORDINATION))

    page = client.get(f"/admin/cases/{case.pk}/")
    board = client.get(f"/admin/cases/board/{workflow.pk}/")

    assert page.status_code == 200
    assert board.status_code == 200
    action = f"/admin/cases/{case.pk}/act/accepter/orienter/"
    assert action in page.content.decode()
    client.post(action, {EXPECTED_STATE: "accueil"})
    case.refresh_from_db()
    assert case.state == "evaluation"


def test_a_workflow_with_cases_stays_in_its_territory(client, two_territories):
    from content.services import territory_add_member

    here, there = two_territories
    case_from_submission(here)  # bound to a page of its territory, with a case
    coordinator = member_of(here.territory, TerritoryRole.COORDINATION)
    territory_add_member(
        territory=there.territory, user=coordinator, role=TerritoryRole.COORDINATION
    )
    client.force_login(coordinator)
    refused = client.post(
        EDITOR + f"edit/{here.pk}/", graph_post_data(there.territory_id, False)
    )
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["territory"]
    assert shown(
        "This workflow already opens cases in its territory: it cannot move to "
        "another one. Copy it instead.",
        refused,
    )
    here.refresh_from_db()
    assert here.territory_id != there.territory_id


@pytest.mark.parametrize("label", ["???", "🍎🍎", "— · —"])
def test_a_name_without_letters_asks_for_a_machine_name(label):
    from wagtail.blocks import StructBlockValidationError

    from workflows.blocks import StateBlock

    block = StateBlock()
    value = block.to_python(
        {"label": label, "name": "", "kind": "in_progress", "colour": "slate"}
    )
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert list(refused.value.block_errors) == ["name"]
    named = block.clean(block.to_python({**value, "label": "Étudiée ?"}))
    assert named["name"] == "etudiee"


@pytest.mark.parametrize("name", ["x/../y", "a b", "accepter/orienter"])
def test_a_machine_name_is_written_as_part_of_an_address(name):
    from wagtail.blocks import StructBlockValidationError

    from workflows.blocks import StateBlock

    block = StateBlock()
    value = block.to_python(
        {"label": "Accueil", "name": name, "kind": "in_progress", "colour": "slate"}
    )
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert list(refused.value.block_errors) == ["name"]


def draft_with_references(territory_id: int, *, form="", template="") -> dict:
    """A draft whose one transition fills a form and sends a message template."""
    data = graph_post_data(territory_id, False)
    data.update(
        {
            "graph-count": 2,
            "graph-1-type": "transition",
            "graph-1-deleted": "",
            "graph-1-order": 1,
            "graph-1-value-label": "Évaluer",
            "graph-1-value-name": "",
            "graph-1-value-source": "accueil",
            "graph-1-value-target": "accueil",
            "graph-1-value-allowed": ["coordination"],
            "graph-1-value-form": str(form),
            "graph-1-value-effects-count": 1,
            "graph-1-value-effects-0-type": "notify",
            "graph-1-value-effects-0-deleted": "",
            "graph-1-value-effects-0-order": 0,
            "graph-1-value-effects-0-value-recipient": "coordination",
            "graph-1-value-effects-0-value-template": str(template),
            "graph-1-value-effects-0-value-subject": "Objet",
            "graph-1-value-effects-0-value-message": "Bonjour",
            "graph-1-value-effects-0-value-channel": "email",
            "graph-1-value-effects-0-value-contact_field": "",
        }
    )
    return data


def test_a_draft_cannot_name_another_territorys_form_or_message(client):
    # Drafts are checked only when published; until then the editor showed
    # the title of whatever form or message id was sent, another territory's
    # too.
    from workflows.models import MessageTemplate

    here = WorkflowDefinitionFactory().territory
    there = WorkflowDefinitionFactory().territory
    form = FormDefinitionFactory(territory=there, title="Formulaire du voisin")
    message = MessageTemplate.objects.create(
        territory=there, title="Message du voisin", subject_fr="Objet", body_fr="Texte"
    )
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    for references, refusal in (
        ({"form": form.pk}, "Choose a form of this territory."),
        (
            {"template": message.pk},
            "Choose a message template of this territory, or a shared one.",
        ),
    ):
        response = client.post(
            EDITOR + "add/", draft_with_references(here.pk, **references)
        )
        assert response.status_code == 200
        assert shown(refusal, response)
        text = html.unescape(response.content.decode())
        assert "Formulaire du voisin" not in text
        assert "Message du voisin" not in text
        assert not WorkflowDefinition.objects.filter(title="Brouillon").exists()
    mine = FormDefinitionFactory(territory=here, title="Notre formulaire")
    saved = client.post(EDITOR + "add/", draft_with_references(here.pk, form=mine.pk))
    assert saved.status_code == 302


def test_a_refused_reference_is_said_on_the_step_where_the_editor_shows_it(client):
    here = WorkflowDefinitionFactory().territory
    theirs = FormDefinitionFactory(territory=WorkflowDefinitionFactory().territory)
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    # The transition, added second, was moved above the state.
    data = draft_with_references(here.pk, form=theirs.pk)
    data.update({"graph-0-order": 1, "graph-1-order": 0})
    response = client.post(EDITOR + "add/", data)
    assert response.status_code == 200
    [refusal] = response.context["form"].errors.as_data()["graph"]
    assert list(refusal.block_errors) == [0]
    assert list(refusal.block_errors[0].block_errors) == ["form"]


def test_a_deleted_step_naming_another_territory_does_not_stop_the_draft(client):
    here = WorkflowDefinitionFactory().territory
    theirs = FormDefinitionFactory(territory=WorkflowDefinitionFactory().territory)
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    data = draft_with_references(here.pk, form=theirs.pk)
    data["graph-1-deleted"] = "1"
    assert client.post(EDITOR + "add/", data).status_code == 302


def test_what_was_written_for_an_action_survives_the_case_moving(
    client, two_territories, monkeypatch
):
    here, _there = two_territories
    reason = FormDefinitionFactory(
        territory=here.territory,
        fields=[
            field("long_text", "Bilan", "bilan"),
            field("yes_no", "Orientation faite", "orientation"),
        ],
    )
    here.graph = accompaniment_graph(form=reason.pk)
    here.save_revision().publish()
    here.refresh_from_db()
    case = case_from_submission(here)
    coordinator = member_of(here.territory, TerritoryRole.COORDINATION)
    client.force_login(coordinator)
    client.post(
        f"/admin/cases/{case.pk}/act/prendre_en_charge/", {EXPECTED_STATE: "accueil"}
    )
    case.refresh_from_db()
    written = {"bilan": "Trois rendez-vous, dossier CAF déposé", "orientation": "yes"}

    def another_tab_closes_it_first(**kwargs):
        case_take_transition(
            case=Case.objects.get(pk=case.pk),
            transition_name="cloturer",
            user=coordinator,
            data={EXPECTED_STATE: "evaluation", "bilan": "Fait", "orientation": "no"},
        )
        return case_take_transition(**kwargs)

    # Closed while this request was on its way, then already closed when the
    # same page is sent again.
    monkeypatch.setattr(views, "case_take_transition", another_tab_closes_it_first)
    for _attempt in range(2):
        response = client.post(
            f"/admin/cases/{case.pk}/act/cloturer/",
            {EXPECTED_STATE: "evaluation", **written},
        )
        monkeypatch.undo()
        assert response.status_code == 200
        assert shown(
            "Someone acted on this case meanwhile: it is now “%(state)s”. "
            "Nothing was changed; look at it again before acting.",
            response,
            state="Clôturé",
        )
        note = response.context["note_form"]["text"].value()
        assert "Trois rendez-vous, dossier CAF déposé" in note
        assert "Orientation faite" in note and "Oui" in note
    case.refresh_from_db()
    assert case.state == "cloture"
    assert case.events.filter(kind="transition", to_state="cloture").count() == 1
    # Nothing written: back to the case page, as before.
    response = client.post(
        f"/admin/cases/{case.pk}/act/cloturer/", {EXPECTED_STATE: "evaluation"}
    )
    assert response.status_code == 302


def test_an_action_sent_twice_by_its_author_says_it_was_taken(client, two_territories):
    here, _there = two_territories
    case = case_from_submission(here)
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    client.force_login(worker)
    url = f"/admin/cases/{case.pk}/act/prendre_en_charge/"
    client.post(url, {EXPECTED_STATE: "accueil"})
    # A double tap: the browser shows the answer to the second post only.
    again = client.post(url, {EXPECTED_STATE: "accueil"}, follow=True)
    assert shown(
        "%(reference)s is now “%(state)s”.",
        again,
        reference=case.reference,
        state="Évaluation",
    )
    assert not shown(
        "Someone acted on this case meanwhile: it is now “%(state)s”. "
        "Nothing was changed; look at it again before acting.",
        again,
        state="Évaluation",
    )
    assert case.events.filter(kind="transition").count() == 1
    # Someone else's stale page is still told the case moved.
    colleague = member_of(here.territory, TerritoryRole.INTERVENTION)
    client.force_login(colleague)
    stale = client.post(url, {EXPECTED_STATE: "accueil"}, follow=True)
    assert shown(
        "Someone acted on this case meanwhile: it is now “%(state)s”. "
        "Nothing was changed; look at it again before acting.",
        stale,
        state="Évaluation",
    )


@pytest.mark.parametrize("token", [None, "wagtail_not-a-token"])
def test_the_api_says_in_french_what_to_send_without_a_valid_token(client, token):
    headers = {"accept-language": "fr"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    response = client.get("/api/v3/cases/", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert shown(
        "Send a personal API token in the header “Authorization: Bearer <token>”.",
        response,
    )
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    assert "401" in paths["/api/v3/cases/"]["get"]["responses"]


def test_the_cases_and_forms_apis_refuse_in_one_shape(client, two_territories):
    here, _there = two_territories
    worker = member_of(here.territory, TerritoryRole.INTERVENTION)
    _token, key = APIToken.create_token(user=worker, name="test")
    missing_case = client.get(
        "/api/v3/cases/999999/", headers={"authorization": f"Bearer {key}"}
    )
    missing_form = client.get("/api/v3/forms/999999/")

    assert missing_case.status_code == missing_form.status_code == 404
    assert missing_case.json() == {"detail": "Ce dossier n'existe pas.", "errors": {}}
    assert set(missing_form.json()) == {"detail", "errors"}
    schemas = client.get("/api/v3/openapi.json").json()["components"]["schemas"]
    assert schemas["ErrorsOut"]["properties"]["errors"]["type"] == "object"


def test_a_partner_is_not_sent_to_a_case_it_may_not_open(client, two_territories):
    """A linked case referred to a partner names the case it was opened from,
    but links to it only for those who may open it: the link answered 404."""
    here, _there = two_territories
    origin = case_from_submission(here, first_name="Awa")
    linked = case_open(workflow=here, territory=here.territory, opened_from=origin)
    partner = PartnerOrganisation.objects.create(
        territory=here.territory, name="Épicerie solidaire"
    )
    linked.partner = partner
    linked.save()
    member = member_of(here.territory, TerritoryRole.PARTNERS)
    partner.members.add(member)
    client.force_login(member)

    page = client.get(f"/admin/cases/{linked.pk}/")
    assert page.status_code == 200
    assert client.get(f"/admin/cases/{origin.pk}/").status_code == 404
    assert f"/admin/cases/{origin.pk}/" not in page.content.decode()
    assert origin.reference in texts(page, ".case-facts dd")

    client.force_login(member_of(here.territory, TerritoryRole.INTERVENTION))
    page = client.get(f"/admin/cases/{linked.pk}/")
    assert f'href="/admin/cases/{origin.pk}/"' in page.content.decode()


def test_a_partner_filters_the_cases_referred_to_it_by_workflow_and_state(
    client, two_territories
):
    """Partners and the steering committee see no workflow's board, but the
    cases handed to them still go through workflows: the inbox's workflow and
    state filters offered them nothing to choose."""
    here, there = two_territories
    referred = case_from_submission(here, first_name="Awa")
    moved = case_from_submission(here, first_name="Bertrand")
    case_from_submission(there, first_name="Chantal")
    partner = PartnerOrganisation.objects.create(
        territory=here.territory, name="Épicerie solidaire"
    )
    Case.objects.filter(pk__in=[referred.pk, moved.pk]).update(partner=partner)
    Case.objects.filter(pk=moved.pk).update(state="evaluation")
    member = member_of(here.territory, TerritoryRole.PARTNERS)
    partner.members.add(member)
    client.force_login(member)

    page = client.get(INBOX)
    assert texts(page, "select[name=workflow] option")[1:] == [here.title]
    states = texts(page, "select[name=state] option")
    assert "Accueil" in states and "Évaluation" in states
    in_evaluation = client.get(INBOX, {"state": "evaluation", "workflow": here.pk})
    assert moved.reference in in_evaluation.content.decode()
    assert referred.reference not in in_evaluation.content.decode()
