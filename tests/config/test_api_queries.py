"""The API answers queries the database cannot run with 400, never 500."""

import pytest

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
