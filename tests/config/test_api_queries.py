"""The API answers queries the database cannot run with 400, never 500."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.content.factories import TerritoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "/api/v3/pages/?search=%00",
        "/api/v3/pages/?search=pain%00",
        "/api/v3/pages/?offset=99999999999999999999",
        "/api/v3/documents/?offset=99999999999999999999",
        "/api/v3/images/?offset=9223372036854775808",
    ],
)
def test_a_query_the_database_cannot_run_gets_400(client, query):
    TerritoryPageFactory()
    response = client.get(query, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "paramètre" in response.json()["detail"]


def test_the_largest_stored_offset_still_answers(client):
    TerritoryPageFactory()
    response = client.get("/api/v3/pages/?offset=9223372036854775807")
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_nul_character_outside_the_api_is_left_to_the_forms(client):
    TerritoryPageFactory()
    response = client.get("/fr/?q=%00")
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["offset=%C2%B2", "limit=%C2%B2", "offset=%D9%A3"])
def test_a_number_in_other_digits_is_left_to_the_api(client, query):
    # "²" and "٣" are digits to str.isdigit(), not to int(): the guard must
    # not fail on them; the API refuses them as it refuses any non-number.
    TerritoryPageFactory()
    response = client.get(f"/api/v3/pages/?{query}")
    assert response.status_code in (400, 422)


@pytest.mark.parametrize(
    "query",
    [
        "/admin/api/main/pages/?search=a%00b",
        "/admin/api/main/pages/?offset=99999999999999999999999",
    ],
)
def test_the_admins_own_api_is_guarded_too(client, query):
    from tests.content.factories import UserFactory

    TerritoryPageFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(query)
    assert response.status_code == 400


def in_french(message: str, **params) -> str:
    """The message as a French reader gets it (once the catalogue has it)."""
    with translation.override("fr"):
        return gettext(message) % params if params else gettext(message)


@pytest.fixture
def bearer():
    from wagtail.models import APIToken

    from content.models import TerritoryRole
    from tests.content.factories import member_of

    worker = member_of(TerritoryPageFactory(), TerritoryRole.INTERVENTION)
    _token, key = APIToken.create_token(user=worker, name="test")
    return {"authorization": f"Bearer {key}", "accept-language": "fr"}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("/api/v3/cases/?workflow=abc", "workflow"),
        ("/api/v3/cases/?workflow=", "workflow"),
        ("/api/v3/cases/?workflow=1.5", "workflow"),
        (f"/api/v3/cases/?workflow={'9' * 5000}", "workflow"),
        ("/api/v3/cases/abc/", "case_id"),
        ("/api/v3/cases/abc/transitions/", "case_id"),
        ("/api/v3/forms/abc/", "page_id"),
        ("/api/v3/forms/abc/submissions/", "page_id"),
        ("/api/v3/pages/abc/", "page_id"),
        ("/api/v3/pages/?limit=-1", "limit"),
        ("/api/v3/pages/?type=nothing.Here", "type"),
    ],
)
def test_a_parameter_the_api_cannot_read_gets_400_by_name_in_french(
    client, bearer, query, parameter
):
    if query.endswith(("transitions/", "submissions/")):
        response = client.post(
            query, {}, content_type="application/json", headers=bearer
        )
    else:
        response = client.get(query, headers=bearer)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["title"]) == (400, "Bad Request")
    assert problem["detail"] == in_french(
        "The parameter “%(name)s” is not valid.", name=parameter
    )
    assert list(problem["errors"]) == [parameter]
    assert all(message[-1] == "." for message in problem["errors"][parameter])


def test_a_parameter_error_names_what_the_parameter_takes(client, bearer):
    response = client.get("/api/v3/cases/?workflow=abc", headers=bearer)
    assert response.json()["errors"] == {
        "workflow": [in_french("A whole number, such as 12.")]
    }
    english = {**bearer, "accept-language": "en"}
    response = client.get("/api/v3/cases/?workflow=abc", headers=english)
    assert response.json()["detail"] == "The parameter “workflow” is not valid."
    assert response.json()["errors"] == {"workflow": ["A whole number, such as 12."]}
    several = client.get("/api/v3/pages/?limit=-1&offset=x", headers=english)
    assert several.json()["detail"] == (
        "These parameters are not valid: limit, offset."
    )
    assert set(several.json()["errors"]) == {"limit", "offset"}


def test_a_body_wagtail_cannot_read_keeps_wagtails_answer(client):
    from wagtail.models import APIToken

    from tests.content.factories import UserFactory

    _token, key = APIToken.create_token(
        user=UserFactory(is_superuser=True), name="test"
    )
    response = client.post(
        "/api/v3/pages/",
        {"meta": {"type": "content.HomePage"}},
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
    )
    assert response.status_code == 422


def test_the_schema_says_a_parameter_can_be_refused(client):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v3/cases/", "get"),
        ("/api/v3/cases/{case_id}/", "get"),
        ("/api/v3/cases/{case_id}/transitions/", "post"),
        ("/api/v3/forms/{page_id}/", "get"),
        ("/api/v3/forms/{page_id}/submissions/", "post"),
    ]:
        assert "400" in paths[path][method]["responses"], path
