"""Coordinators read their territory's submissions, labelled by their revision."""

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from content.models import TerritoryRole
from forms_library.services import submission_create
from tests.content.factories import TerritoryPageFactory, member_of
from tests.forms_library.factories import FormDefinitionFactory, field

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/submissions/"


def submit(definition, **answers):
    submission, _ = submission_create(
        revision=definition.live_revision,
        territory=definition.territory,
        answers=answers,
    )
    return submission


@pytest.fixture
def north_and_south():
    return (
        TerritoryPageFactory(title="Nord", code="NRD"),
        TerritoryPageFactory(title="Sud", code="SUD"),
    )


def test_listing_shows_only_own_territory(
    client, north_and_south, django_assert_max_num_queries
):
    north, south = north_and_south
    for _ in range(5):
        submit(FormDefinitionFactory(territory=north), first_name="Awa")
    submit(FormDefinitionFactory(territory=south), first_name="Yann")
    client.force_login(member_of(north, TerritoryRole.INTERVENTION))
    with django_assert_max_num_queries(40):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert text.count("NRD-") == 5
    assert "SUD-" not in text


def test_detail_uses_the_labels_of_its_own_revision(client, north_and_south):
    north, _south = north_and_south
    definition = FormDefinitionFactory(
        territory=north, fields=[field("short_text", "Prénom", "first_name")]
    )
    submission = submit(definition, first_name="Awa")
    definition.fields[0].value["label"] = "Votre prénom (nouveau libellé)"
    definition.save_revision().publish()
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    response = client.get(f"{LIST_URL}inspect/{submission.pk}/")
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "Prénom" in text
    assert "nouveau libellé" not in text
    assert "Awa" in text


def test_another_territory_gets_404_on_a_submission(client, north_and_south):
    north, south = north_and_south
    theirs = submit(FormDefinitionFactory(territory=south), first_name="Yann")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    assert client.get(f"{LIST_URL}inspect/{theirs.pk}/").status_code == 404


def test_partners_cannot_read_submissions(client, north_and_south):
    north, _south = north_and_south
    client.force_login(member_of(north, TerritoryRole.PARTNERS))
    assert client.get(LIST_URL).status_code in (302, 403)


def test_the_form_filter_offers_only_own_territorys_forms(client, north_and_south):
    north, south = north_and_south
    FormDefinitionFactory(territory=north, title="Formulaire du Nord")
    FormDefinitionFactory(territory=south, title="Formulaire du Sud")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    text = client.get(LIST_URL).content.decode()
    assert "Formulaire du Nord" in text
    assert "Formulaire du Sud" not in text


def test_search_by_reference(client, north_and_south):
    north, _south = north_and_south
    definition = FormDefinitionFactory(territory=north)
    first, second = submit(definition), submit(definition)
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    text = client.get(LIST_URL, {"q": second.reference}).content.decode()
    assert second.reference in text
    assert first.reference not in text


def test_filter_by_an_answer_and_by_date(client, north_and_south):
    north, _south = north_and_south
    definition = FormDefinitionFactory(territory=north)
    awa = submit(definition, first_name="Awa", housing="Locataire")
    yann = submit(definition, first_name="Yann", housing="Hébergé")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    text = client.get(LIST_URL, {"answer": "hébergé"}).content.decode()
    assert yann.reference in text
    assert awa.reference not in text
    today = timezone.localdate(awa.created_at).isoformat()
    text = client.get(
        LIST_URL, {"created_at_from": today, "created_at_to": today}
    ).content.decode()
    assert awa.reference in text and yann.reference in text
    text = client.get(
        LIST_URL, {"created_at_from": "2000-01-01", "created_at_to": "2000-01-02"}
    ).content.decode()
    assert awa.reference not in text
