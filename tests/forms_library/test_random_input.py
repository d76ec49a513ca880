"""Random values sent to every field type: never a server error, never half a record."""

import json

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from forms_library.library import field, when
from forms_library.models import Submission
from tests.forms_library.factories import IntakeFormPageFactory

pytestmark = pytest.mark.django_db

EVERY_FIELD_TYPE = [
    field("short_text", "Texte", "texte", max_length=20),
    field("long_text", "Texte long", "texte_long", required=False),
    field("email", "Courriel", "courriel", required=False),
    field("phone", "Téléphone", "telephone", required=False),
    field("number", "Nombre", "nombre", min_value=0, max_value=100, unit="kg"),
    field("date", "Date", "date", required=False),
    field("single_choice", "Choix", "choix", choices=["A", "B"], display="select"),
    field(
        "multiple_choice", "Plusieurs", "plusieurs", choices=["x", "y"], required=False
    ),
    field("yes_no", "Oui ou non", "oui_non"),
    field("number", "Si oui", "si_oui", show_if=when("oui_non", "equals", "yes")),
    field("consent", "Accord", "accord", purpose="Pour le test."),
    field("postal_code", "Code postal", "code_postal", country="FR", required=False),
    field("address", "Adresse", "adresse", required=False),
]
NAMES = [block["value"]["name"] for block in EVERY_FIELD_TYPE]

scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(
        ["A", "B", "x", "yes", "no", "29200", "2026-02-30", "06 12 34 56 78", "1e400"]
    ),
)
answers = st.dictionaries(
    st.sampled_from(NAMES),
    st.one_of(scalar, st.lists(scalar, max_size=3)),
    max_size=len(NAMES),
)
VALID = {"texte": "a", "nombre": 5, "choix": "A", "oui_non": "no", "accord": True}
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def page():
    return IntakeFormPageFactory(form_definition__fields=EVERY_FIELD_TYPE)


@override_settings(MAILLAGE_SUBMISSIONS_PER_ADDRESS=(10**6, 3600))
@PROPERTY
@given(body=answers)
@example(body=VALID)
def test_api_answers_random_values_with_201_or_400(client, page, body):
    before = Submission.objects.count()
    response = client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        data=json.dumps({"answers": body}),
        content_type="application/json",
    )
    assert response.status_code in (201, 400)
    created = Submission.objects.count() - before
    assert created == (1 if response.status_code == 201 else 0)
    if response.status_code == 400:
        assert response.json()["errors"]


def _form_data(body: dict) -> dict:
    data = {}
    for name, value in body.items():
        values = value if isinstance(value, list) else [value]
        data[f"0-{name}"] = ["" if v is None else str(v) for v in values]
    return data


@override_settings(MAILLAGE_SUBMISSIONS_PER_ADDRESS=(10**6, 3600))
@PROPERTY
@given(body=answers)
@example(body=VALID)
def test_page_answers_random_values_without_a_server_error(client, page, body):
    client.get(page.url)
    before = Submission.objects.count()
    response = client.post(
        page.url, {f"intake_{page.pk}-current_step": "0", **_form_data(body)}
    )
    assert response.status_code == 200
    if client.cookies and response.content.count(b"error-summary") == 0:
        response = client.post(page.url, {f"intake_{page.pk}-current_step": "review"})
        assert response.status_code == 302
        assert Submission.objects.count() == before + 1
    else:
        assert Submission.objects.count() == before
