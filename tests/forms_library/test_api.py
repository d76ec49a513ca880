"""The headless API: describe a published form, submit with the same rules."""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext

from forms_library.models import Submission
from tests.content.factories import TerritoryPageFactory
from tests.forms_library.factories import IntakeFormPageFactory

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Awa",
    "phone": "06 12 34 56 78",
    "has_children": "yes",
    "children": "2",
    "housing": "Sans logement",
    "postal_code": "29200",
    "where_sleeping": "Chez une amie",
    "consent": True,
}


@pytest.fixture
def page():
    return IntakeFormPageFactory(parent__code="API")


def in_french(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


def submit(client, page, body) -> "object":
    return client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        data=body if isinstance(body, str | bytes) else json.dumps(body),
        content_type="application/json",
    )


def test_describes_steps_fields_choices_and_conditions(client, page):
    response = client.get(f"/api/v3/forms/{page.pk}/")
    assert response.status_code == 200
    form = response.json()
    assert [step["title"] for step in form["steps"]] == [
        "Vous",
        "Votre situation",
        "Hébergement",
        "Accord",
    ]
    children = form["steps"][0]["fields"][3]
    assert children["type"] == "number"
    assert children["min"] == "1"
    assert children["show_if"]["rules"][0] == {
        "field": "has_children",
        "operator": "equals",
        "value": "yes",
    }
    assert form["steps"][1]["fields"][0]["choices"] == [
        "Locataire",
        "Hébergé",
        "Sans logement",
    ]
    assert form["steps"][2]["show_if"]["rules"][0]["field"] == "housing"
    assert form["retention_months"] == 24
    postal_code = form["steps"][1]["fields"][1]
    assert (postal_code["type"], postal_code["country"]) == ("postal_code", "FR")


def test_a_valid_submission_gets_a_reference(client, page):
    response = submit(client, page, {"answers": VALID})
    assert response.status_code == 201, response.content
    submission = Submission.objects.get()
    assert response.json() == {"reference": submission.reference}
    assert submission.source == "api"
    assert submission.answers["where_sleeping"] == "Chez une amie"


def test_field_errors_come_back_as_json_and_nothing_is_stored(client, page):
    answers = {**VALID, "phone": "12", "postal_code": "ABCDE"}
    response = submit(client, page, {"answers": answers})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"phone", "postal_code"}
    assert Submission.objects.count() == 0


def test_hidden_answers_are_dropped_and_hidden_steps_not_required(client, page):
    answers = {**VALID, "has_children": "no", "housing": "Locataire"}
    del answers["where_sleeping"]
    response = submit(client, page, {"answers": answers})
    assert response.status_code == 201, response.content
    assert "children" not in Submission.objects.get().answers


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"answers": []}',
        "{}",
        b"\xff\xfe",
        '{"answers": {}, "idempotency_key": 5}',
        # Half a character: valid JSON, no text any database can store.
        '{"answers": {"first_name": "\\ud800"}}',
        '{"answers": {}, "idempotency_key": "\\udfff"}',
        "[" * 100_000,
    ],
)
def test_malformed_payloads_get_400(client, page, body):
    assert submit(client, page, body).status_code == 400
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": []}, "answers"),
        ({}, "answers"),
        ({"answers": VALID, "idempotency_key": 5}, "idempotency_key"),
        ({"answers": VALID, "idempotency_key": "k" * 41}, "idempotency_key"),
    ],
)
def test_a_payload_of_the_wrong_shape_names_the_field(client, page, body, field):
    response = submit(client, page, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert Submission.objects.count() == 0


def test_an_id_no_database_holds_is_not_found(client):
    huge = 10**23
    assert client.get(f"/api/v3/forms/{huge}/").status_code == 404
    sent = client.post(
        f"/api/v3/forms/{huge}/submissions/", data="{}", content_type="application/json"
    )
    assert sent.status_code == 404


def test_unknown_fields_are_reported(client, page):
    response = submit(client, page, {"answers": {**VALID, "surprise": 1}})
    assert response.status_code == 400
    assert "surprise" in response.json()["errors"]["__all__"][0]


def test_retrying_with_the_same_key_gives_the_same_submission(client, page):
    body = {"answers": VALID, "idempotency_key": "abc-123"}
    first = submit(client, page, body).json()
    again = submit(client, page, body).json()
    assert first == again
    assert Submission.objects.count() == 1


def test_an_unpublished_page_is_not_found(client, page):
    page.unpublish()
    assert client.get(f"/api/v3/forms/{page.pk}/").status_code == 404
    assert submit(client, page, {"answers": VALID}).status_code == 404


def test_both_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/v3/openapi.json").json()
    assert "/api/v3/forms/{page_id}/" in schema["paths"]
    post = schema["paths"]["/api/v3/forms/{page_id}/submissions/"]["post"]
    assert (
        "answers"
        in post["requestBody"]["content"]["application/json"]["schema"]["properties"]
    )


def test_an_idempotency_key_belongs_to_one_form(client, page):
    other = IntakeFormPageFactory(parent__code="AUT")
    first = submit(client, page, {"answers": VALID, "idempotency_key": "1"})
    second = submit(client, other, {"answers": VALID, "idempotency_key": "1"})
    assert first.status_code == second.status_code == 201
    assert first.json() != second.json()
    assert Submission.objects.count() == 2


def test_the_same_key_with_other_answers_is_a_conflict(client, page):
    submit(client, page, {"answers": VALID, "idempotency_key": "k"})
    changed = {**VALID, "first_name": "Yann"}
    response = submit(client, page, {"answers": changed, "idempotency_key": "k"})
    assert response.status_code == 409
    assert Submission.objects.get().answers["first_name"] == "Awa"


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def page_with_file():
    from tests.forms_library.factories import FormDefinitionFactory, field

    definition = FormDefinitionFactory(
        fields=[
            field("short_text", "Prénom", "first_name"),
            field(
                "file",
                "Justificatif",
                "proof",
                allowed_types=["pdf"],
                max_size_mb=1,
            ),
        ]
    )
    return IntakeFormPageFactory(
        parent=definition.territory, form_definition=definition
    )


def as_json_file(name: str, content: bytes) -> dict:
    import base64

    return {"name": name, "content_base64": base64.b64encode(content).decode()}


def test_a_file_travels_in_json_and_lands_in_private_storage(client, page_with_file):
    described = client.get(f"/api/v3/forms/{page_with_file.pk}/").json()
    proof = described["steps"][0]["fields"][1]
    assert (proof["type"], proof["allowed_types"], proof["max_size_mb"]) == (
        "file",
        ["pdf"],
        1,
    )
    body = {
        "answers": {"first_name": "Awa", "proof": as_json_file("avis.pdf", PDF)},
        "idempotency_key": "with-file",
    }
    response = submit(client, page_with_file, body)
    assert response.status_code == 201, response.content
    submission = Submission.objects.get()
    attachment = submission.files.get()
    assert attachment.original_name == "avis.pdf"
    assert attachment.file.read() == PDF
    assert submission.answers["proof"] == {"file": "avis.pdf", "size": len(PDF)}
    again = submit(client, page_with_file, body)
    assert again.status_code == 201
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    "proof",
    [
        "avis.pdf",
        {"name": "avis.pdf"},
        {"name": "avis.pdf", "content_base64": "not base64!"},
        {"name": "", "content_base64": ""},
        {"name": "..", "content_base64": ""},
        {"name": ".", "content_base64": ""},
    ],
)
def test_a_file_in_the_wrong_shape_gets_a_field_error(client, page_with_file, proof):
    body = {"answers": {"first_name": "Awa", "proof": proof}}
    response = submit(client, page_with_file, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["proof"]
    assert Submission.objects.count() == 0


def test_a_file_of_the_wrong_type_is_refused_by_its_content(client, page_with_file):
    disguised = as_json_file("avis.pdf", b"MZ\x90\x00 not a pdf at all")
    body = {"answers": {"first_name": "Awa", "proof": disguised}}
    response = submit(client, page_with_file, body)
    assert response.status_code == 400
    assert "proof" in response.json()["errors"]
    assert Submission.objects.count() == 0


def test_a_page_whose_form_is_no_longer_published_is_not_found(client, page):
    page.form_definition.unpublish()
    response = client.get(f"/api/v3/forms/{page.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response.json()["detail"] == in_french("This form is not published.")
    assert submit(client, page, {"answers": VALID}).status_code == 409


@pytest.mark.parametrize(
    "page_id", ["0", "-1", str(10**23), "{other}", "{unpublished}"]
)
def test_a_form_not_found_is_said_in_the_persons_language(client, page, page_id):
    other = TerritoryPageFactory()
    unpublished = IntakeFormPageFactory(parent__code="UNP", live=False)
    page_id = page_id.format(other=other.pk, unpublished=unpublished.pk)
    for response in (
        client.get(f"/api/v3/forms/{page_id}/", HTTP_ACCEPT_LANGUAGE="fr"),
        client.post(
            f"/api/v3/forms/{page_id}/submissions/",
            data=json.dumps({"answers": VALID}),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="fr",
        ),
    ):
        assert response.status_code == 404
        assert response.json()["detail"] == in_french("No such form.")


def test_the_schema_says_a_form_may_not_be_found(client):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    assert "404" in paths["/api/v3/forms/{page_id}/"]["get"]["responses"]
