"""Walls between territories for people holding roles in several of them."""

import pytest
from bs4 import BeautifulSoup

from content.models import TerritoryRole
from content.services import territory_add_member
from forms_library.models import FormDefinition
from forms_library.services import submission_create
from tests.content.factories import TerritoryPageFactory, member_of
from tests.forms_library.factories import (
    FormDefinitionFactory,
    admin_fields_data,
    field,
)

pytestmark = pytest.mark.django_db

FORMS = "/admin/snippets/forms_library/formdefinition/"


def edit_data(client, url, block_id: str) -> dict:
    """The edit form's own values, as a browser would send them back."""
    page = BeautifulSoup(client.get(url).content, "html.parser")
    data = {}
    fields = "#w-editor-form input, #w-editor-form select, #w-editor-form textarea"
    for element in page.select(fields):
        name = element.get("name")
        if not name or element.get("type") in ("checkbox", "radio"):
            continue
        if element.name == "textarea":
            data[name] = element.get_text()
        elif element.name == "select":
            option = element.find("option", selected=True) or element.find("option")
            data[name] = option.get("value") if option else ""
        else:
            data[name] = element.get("value", "")
    data.update(admin_fields_data(("short_text", "Nom", "nom"), ids=(block_id,)))
    data["action-publish"] = "publish"
    return data


@pytest.fixture
def north_and_south():
    return (
        TerritoryPageFactory(title="Nord", code="NRD"),
        TerritoryPageFactory(title="Sud", code="SUD"),
    )


def test_coordinator_here_partner_there_cannot_edit_there(client, north_and_south):
    north, south = north_and_south
    theirs = FormDefinitionFactory(
        territory=south,
        title="Formulaire du Sud",
        fields=[field("short_text", "Nom", "nom")],
    )
    user = member_of(north, TerritoryRole.COORDINATION)
    territory_add_member(territory=south, user=user, role=TerritoryRole.PARTNERS)
    client.force_login(user)
    url = f"{FORMS}edit/{theirs.pk}/"
    assert client.get(url).status_code == 404
    client.post(url, {"title": "Piraté", "action-publish": "publish"})
    theirs.refresh_from_db()
    assert theirs.title == "Formulaire du Sud"


def test_social_worker_here_partner_there_cannot_read_there(client, north_and_south):
    north, south = north_and_south
    definition = FormDefinitionFactory(territory=south)
    submission, _ = submission_create(
        revision=definition.live_revision,
        territory=south,
        answers={"first_name": "Yann"},
    )
    user = member_of(north, TerritoryRole.INTERVENTION)
    territory_add_member(territory=south, user=user, role=TerritoryRole.PARTNERS)
    client.force_login(user)
    assert client.get(f"/admin/submissions/inspect/{submission.pk}/").status_code == 404
    assert (
        submission.reference not in client.get("/admin/submissions/").content.decode()
    )
    for view in ("history", "usage", "edit", "delete"):
        response = client.get(f"/admin/submissions/{view}/{submission.pk}/")
        assert response.status_code in (302, 403, 404), view
        assert b"Yann" not in response.content


def test_coordinators_cannot_change_shared_templates(client, north_and_south):
    north, _south = north_and_south
    template = FormDefinitionFactory(
        territory=None,
        title="Modèle partagé",
        fields=[field("short_text", "Nom", "nom")],
    )
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    assert client.get(f"{FORMS}edit/{template.pk}/").status_code == 404
    client.post(
        f"{FORMS}edit/{template.pk}/", {"title": "Modèle piraté", "territory": north.pk}
    )
    client.post(f"{FORMS}unpublish/{template.pk}/")
    client.post(f"{FORMS}lock/{template.pk}/")
    template.refresh_from_db()
    assert (template.title, template.territory_id, template.live, template.locked) == (
        "Modèle partagé",
        None,
        True,
        False,
    )


def test_the_listing_filters_do_not_name_other_territories(client, north_and_south):
    north, _south = north_and_south
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    assert ">Sud<" not in client.get(FORMS).content.decode()


def test_a_coordinator_still_edits_and_publishes_own_form(client, north_and_south):
    north, _south = north_and_south
    mine = FormDefinitionFactory(
        territory=north, fields=[field("short_text", "Nom", "nom")]
    )
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    url = f"{FORMS}edit/{mine.pk}/"
    data = edit_data(client, url, mine.fields[0].id)
    data["title"] = "Nouveau titre"
    response = client.post(url, data)
    assert response.status_code == 302
    assert FormDefinition.objects.get(pk=mine.pk).title == "Nouveau titre"


def test_the_form_chooser_offers_only_own_published_forms(client, north_and_south):
    north, south = north_and_south
    FormDefinitionFactory(territory=north, title="Formulaire du Nord")
    secret = FormDefinitionFactory(territory=south, title="Secret du Sud")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    chooser = "/admin/snippets/choose/forms_library/formdefinition/"
    text = client.get(chooser).content.decode()
    assert "Formulaire du Nord" in text
    assert "Secret du Sud" not in text
    assert client.get(f"{chooser}chosen/{secret.pk}/").status_code == 404
    client.force_login(member_of(north, TerritoryRole.PARTNERS))
    assert "Formulaire du Nord" not in client.get(chooser).content.decode()


def test_an_intake_page_cannot_show_another_territorys_form(north_and_south):
    from django.core.exceptions import ValidationError

    from tests.forms_library.factories import IntakeFormPageFactory

    north, south = north_and_south
    page = IntakeFormPageFactory(parent=north)
    page.form_definition = FormDefinitionFactory(territory=south)
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    assert "form_definition" in caught.value.message_dict
