"""The incident register: each territory's coordination sees and edits its own."""

import pytest
from django.urls import reverse

from content.models import TerritoryRole
from data_protection.models import DataIncident
from tests.content.factories import TerritoryPageFactory, member_of

pytestmark = pytest.mark.django_db

LIST = reverse("wagtailsnippets_data_protection_dataincident:list")
ADD = reverse("wagtailsnippets_data_protection_dataincident:add")


def edit_url(incident: DataIncident) -> str:
    return reverse(
        "wagtailsnippets_data_protection_dataincident:edit", args=[incident.pk]
    )


def incident(territory, **fields) -> DataIncident:
    return DataIncident.objects.create(
        territory=territory,
        title=fields.pop("title", "Dossier envoyé au mauvais partenaire"),
        discovered_on="2026-03-02",
        nature="Envoi par erreur",
        personal_data_concerned="Nom, situation familiale",
        **fields,
    )


def form_data(territory, **overrides) -> dict:
    return {
        "territory": territory.pk,
        "title": "Clé USB perdue",
        "discovered_on": "2026-03-02",
        "occurred_on": "2026-03-01",
        "nature": "Perte",
        "personal_data_concerned": "Noms et adresses",
        "people_affected": "12",
        "measures_taken": "Mots de passe changés",
        "reported_to_authority_on": "",
        "reported_to_people_on": "",
        **overrides,
    }


@pytest.fixture
def two_territories():
    here, there = TerritoryPageFactory(), TerritoryPageFactory()
    return here, there


def test_a_coordinator_lists_and_edits_only_their_territory(client, two_territories):
    here, there = two_territories
    mine = incident(here, title="Le nôtre")
    theirs = incident(there, title="Le leur")
    client.force_login(member_of(here, TerritoryRole.COORDINATION))

    listing = client.get(LIST).content.decode()

    assert "Le nôtre" in listing and "Le leur" not in listing
    assert client.get(edit_url(mine)).status_code == 200
    assert client.get(edit_url(theirs)).status_code == 404
    delete = reverse(
        "wagtailsnippets_data_protection_dataincident:delete", args=[theirs.pk]
    )
    assert client.post(delete).status_code == 404
    assert DataIncident.objects.filter(pk=theirs.pk).exists()


def test_recording_an_incident_records_who_and_only_in_my_territories(
    client, two_territories
):
    here, there = two_territories
    coordinator = member_of(here, TerritoryRole.COORDINATION)
    client.force_login(coordinator)

    elsewhere = client.post(ADD, form_data(there))
    recorded = client.post(ADD, form_data(here))

    assert elsewhere.status_code == 200  # the territory is not among the choices
    assert recorded.status_code == 302
    saved = DataIncident.objects.get()
    assert (saved.territory, saved.recorded_by) == (here.specific, coordinator)


def test_impossible_dates_are_explained(client, two_territories):
    here, _there = two_territories
    client.force_login(member_of(here, TerritoryRole.COORDINATION))

    response = client.post(
        ADD,
        form_data(
            here, occurred_on="2026-03-05", reported_to_authority_on="2026-01-01"
        ),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "après sa découverte" in errors["occurred_on"][0]
    assert "avant d'avoir été découvert" in errors["reported_to_authority_on"][0]
    assert not DataIncident.objects.exists()


def test_a_report_dated_in_the_future_is_refused_beside_it(client, two_territories):
    here, _there = two_territories
    client.force_login(member_of(here, TerritoryRole.COORDINATION))

    response = client.post(
        ADD,
        form_data(
            here,
            reported_to_authority_on="2062-03-03",
            reported_to_people_on="2062-03-04",
        ),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["reported_to_authority_on"] == ["Cette date est dans le futur."]
    assert errors["reported_to_people_on"] == ["Cette date est dans le futur."]
    assert not DataIncident.objects.exists()


def test_social_workers_do_not_see_the_register(client, two_territories):
    here, _there = two_territories
    incident(here)
    client.force_login(member_of(here, TerritoryRole.INTERVENTION))

    assert client.get(LIST).status_code in (302, 403)
