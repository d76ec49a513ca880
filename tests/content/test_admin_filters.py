"""The people offered in Wagtail's filters are those of the user's walls.

The page listings' "owner" and "edited by", the locked pages report's
"locked by" and the workflows report's "requested by" name whoever acted
on a page anywhere: another territory's people stay out of them.
"""

import pytest
from wagtail.models import Workflow

from content.models import TerritoryRole
from tests.content.factories import TerritoryPageFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour_at_work():
    """A coordinator of another territory who owns, edits, locks and submits
    a page there; the territory is returned with them."""
    there = TerritoryPageFactory()
    neighbour = member_of(
        there,
        TerritoryRole.COORDINATION,
        username="voisine.sud",
        first_name="Voisine",
        last_name="Dusud",
    )
    there.owner = neighbour
    there.locked, there.locked_by = True, neighbour
    there.save()
    there.save_revision(user=neighbour, log_action=True)
    Workflow.objects.create(name="Relecture").start(there, neighbour)
    return there


@pytest.fixture
def coordinator(client, neighbour_at_work):
    here = TerritoryPageFactory()
    me = member_of(here, TerritoryRole.COORDINATION, username="moi.nord")
    here.owner = me
    here.locked, here.locked_by = True, me
    here.save()
    here.save_revision(user=me, log_action=True)
    Workflow.objects.create(name="Relecture ici").start(here, me)
    client.force_login(me)
    return here


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/{here}/",
        "/admin/pages/{here}/results/",
        "/admin/pages/search/?q=Territoire",
        "/admin/pages/usage/content/territorypage/",
        "/admin/reports/locked/",
        "/admin/reports/workflow/",
    ],
)
def test_filters_name_no_one_of_another_territory(client, coordinator, url):
    response = client.get(url.format(here=coordinator.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dusud" not in text
    assert "voisine.sud" not in text


@pytest.mark.parametrize(
    "url",
    ["/admin/pages/{here}/", "/admin/reports/locked/", "/admin/reports/workflow/"],
)
def test_filters_still_name_the_people_of_ones_own_territory(client, coordinator, url):
    assert "moi.nord" in client.get(url.format(here=coordinator.pk)).content.decode()


def test_page_privacy_offers_only_the_groups_of_the_pages_territory(client):
    here, there = TerritoryPageFactory(code="ICI"), TerritoryPageFactory(code="LBAS")
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    response = client.get(f"/admin/pages/{here.pk}/privacy/")
    assert response.status_code == 200
    groups = response.context["form"].fields["groups"].queryset
    assert set(groups) == {g.group for g in here.territory_groups.all()}
    assert "LBAS" not in response.content.decode()
    # Nor can another territory's group be sent.
    theirs = there.territory_groups.get(role=TerritoryRole.PARTNERS).group
    client.post(
        f"/admin/pages/{here.pk}/privacy/",
        {"restriction_type": "groups", "groups": [theirs.pk]},
    )
    assert not here.view_restrictions.filter(groups=theirs).exists()


def test_page_privacy_still_asks_to_sign_in(client):
    here = TerritoryPageFactory()
    response = client.get(f"/admin/pages/{here.pk}/privacy/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
