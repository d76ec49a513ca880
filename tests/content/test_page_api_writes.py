"""Wagtail's API v3 writes pages through the pages' own admin forms, which
must take a form limited to the fields the API writes (title, slug…)."""

import json

import pytest
from wagtail.models import APIToken, Page

from content.models import TerritoryRole
from forms_library.models import IntakeFormPage
from tests.content.factories import ActionPageFactory, member_of
from tests.forms_library.factories import IntakeFormPageFactory

pytestmark = pytest.mark.django_db


def coordinator_headers(territory) -> dict:
    user = member_of(territory, TerritoryRole.COORDINATION)
    _token, key = APIToken.create_token(user=user, name="test")
    return {"authorization": f"Bearer {key}", "accept-language": "fr"}


def patch(client, page: Page, headers: dict, **fields):
    return client.patch(
        f"/api/v3/pages/{page.pk}/",
        json.dumps({"meta": {"type": page.specific_class._meta.label}, **fields}),
        content_type="application/json",
        headers=headers,
    )


def test_an_intake_page_is_renamed_through_the_api(client):
    page = IntakeFormPageFactory()
    headers = coordinator_headers(page.get_parent().specific)
    response = patch(client, page, headers, title="Demande d'aide alimentaire")
    assert response.status_code == 200, response.content
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "Demande d'aide alimentaire"
    assert page.form_definition_id is not None


def test_an_action_is_renamed_through_the_api_and_keeps_its_axis(client):
    action = ActionPageFactory(audiences=["concerned"])
    territory = action.get_parent().get_parent().specific
    response = patch(client, action, coordinator_headers(territory), title="Ateliers")
    assert response.status_code == 200, response.content
    draft = Page.objects.get(pk=action.pk).specific.get_latest_revision_as_object()
    assert (draft.title, draft.axis, draft.audiences) == (
        "Ateliers",
        "Accès",
        ["concerned"],
    )


def test_an_intake_page_without_a_form_is_refused_not_a_server_error(client):
    page = IntakeFormPageFactory()
    territory = page.get_parent().specific
    response = client.post(
        "/api/v3/pages/",
        json.dumps(
            {
                "meta": {
                    "type": "forms_library.IntakeFormPage",
                    "parent_id": territory.pk,
                },
                "title": "Sans formulaire",
            }
        ),
        content_type="application/json",
        headers=coordinator_headers(territory),
    )
    assert 400 <= response.status_code < 500, response.content
    assert "admin" in json.dumps(response.json(), ensure_ascii=False)
    assert IntakeFormPage.objects.count() == 1
