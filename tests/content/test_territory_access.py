"""Territories are walls: groups, the selector and the admin respect them."""

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import GroupPagePermission

from content.models import TerritoryGroup, TerritoryRole
from content.selectors import roles_in_territory, territories_for
from content.services import territory_set_up_groups
from tests.content.factories import TerritoryPageFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_a_new_territory_gets_one_group_per_role_with_admin_access():
    territory = TerritoryPageFactory(code="ABC")
    groups = TerritoryGroup.objects.filter(territory=territory)
    assert {g.role for g in groups} == set(TerritoryRole.values)
    access_admin = Permission.objects.get(codename="access_admin")
    for territory_group in groups:
        assert access_admin in territory_group.group.permissions.all()
    coordination = groups.get(role=TerritoryRole.COORDINATION).group
    assert set(
        GroupPagePermission.objects.filter(
            group=coordination, page=territory
        ).values_list("permission__codename", flat=True)
    ) == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
    social_workers = groups.get(role=TerritoryRole.INTERVENTION).group
    assert not GroupPagePermission.objects.filter(group=social_workers).exists()
    assert territory.collection is not None


def test_setting_up_groups_twice_adds_nothing():
    territory = TerritoryPageFactory()
    before = (TerritoryGroup.objects.count(), GroupPagePermission.objects.count())
    territory_set_up_groups(territory=territory)
    assert (TerritoryGroup.objects.count(), GroupPagePermission.objects.count()) == (
        before
    )


def test_territories_for_scopes_to_the_users_groups():
    north, south, east = TerritoryPageFactory.create_batch(3)
    worker = member_of(north, TerritoryRole.INTERVENTION)
    territory_set_up_groups(territory=south)
    worker.groups.add(
        TerritoryGroup.objects.get(territory=south, role=TerritoryRole.PARTNERS).group
    )
    assert set(territories_for(worker)) == {north, south}
    assert list(territories_for(worker, roles=[TerritoryRole.INTERVENTION])) == [north]
    assert roles_in_territory(worker, north) == {"intervention"}
    assert east not in territories_for(worker)


def test_superusers_see_every_territory_and_strangers_none():
    territories = TerritoryPageFactory.create_batch(2)
    admin = UserFactory(is_superuser=True)
    stranger = UserFactory()
    assert set(territories_for(admin)) == set(territories)
    assert not territories_for(stranger).exists()


def test_anonymous_and_inactive_people_see_nothing(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    territory = TerritoryPageFactory()
    inactive = member_of(territory, TerritoryRole.COORDINATION, is_active=False)
    assert not territories_for(AnonymousUser()).exists()
    assert not territories_for(inactive).exists()


def test_selector_query_count_is_bounded(django_assert_max_num_queries):
    territories = TerritoryPageFactory.create_batch(5)
    worker = member_of(territories[0], TerritoryRole.COORDINATION)
    for territory in territories[1:]:
        worker.groups.add(territory.territory_groups.get(role="coordination").group)
    with django_assert_max_num_queries(1):
        assert len(list(territories_for(worker))) == 5


class TestAdminWalls:
    """A coordinator works on their territory and cannot reach another's."""

    @pytest.fixture
    def two_territories(self):
        return TerritoryPageFactory(title="Nord"), TerritoryPageFactory(title="Sud")

    def test_coordinator_edits_own_territory(self, client, two_territories):
        north, _south = two_territories
        coordinator = member_of(north, TerritoryRole.COORDINATION)
        client.force_login(coordinator)
        assert client.get(f"/admin/pages/{north.pk}/edit/").status_code == 200

    def test_coordinator_cannot_edit_or_explore_another(self, client, two_territories):
        north, south = two_territories
        coordinator = member_of(north, TerritoryRole.COORDINATION)
        client.force_login(coordinator)
        for url in (
            f"/admin/pages/{south.pk}/edit/",
            f"/admin/pages/add/content/territorypage/{south.pk}/",
            f"/admin/pages/{south.pk}/delete/",
        ):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), url
            if response.status_code == 302:
                assert "/admin/" in response["Location"]
                assert f"/pages/{south.pk}/" not in response["Location"]
        south_listing = client.get(f"/admin/pages/{south.pk}/")
        assert "Sud" not in _page_titles(south_listing)

    def test_admin_search_hides_other_territories(self, client, two_territories):
        north, _south = two_territories
        coordinator = member_of(north, TerritoryRole.COORDINATION)
        client.force_login(coordinator)
        response = client.get("/admin/pages/search/", {"q": "Sud"})
        assert response.status_code == 200
        assert "Sud" not in _page_titles(response)

    def test_posting_an_edit_to_another_territory_changes_nothing(
        self, client, two_territories
    ):
        north, south = two_territories
        coordinator = member_of(north, TerritoryRole.COORDINATION)
        client.force_login(coordinator)
        client.post(f"/admin/pages/{south.pk}/edit/", {"title": "Piraté"})
        south.refresh_from_db()
        assert south.title == "Sud"


def _page_titles(response) -> str:
    """The titles shown as page links in an admin listing."""
    from bs4 import BeautifulSoup

    if response.status_code != 200:
        return ""
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(
        link.get_text(" ", strip=True) for link in soup.select("table a, .listing a")
    )


def test_a_member_given_a_quebec_group_in_the_user_admin_reads_quebec_time(client):
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    from content.models import TerritoryGroup

    quebec = TerritoryPageFactory(time_zone="America/Toronto")
    group = TerritoryGroup.objects.get(
        territory=quebec, role=TerritoryRole.COORDINATION
    ).group
    newcomer = get_user_model().objects.create_user(
        "newcomer", "newcomer@example.org", first_name="Nadia", last_name="Roy"
    )
    admin = get_user_model().objects.create_superuser("root", "root@example.org")
    client.force_login(admin)
    response = client.post(
        f"/admin/users/edit/{newcomer.pk}/",
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "first_name": "Nadia",
            "last_name": "Roy",
            "is_active": "on",
            "groups": [group.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert UserProfile.get_for_user(newcomer).current_time_zone == "America/Toronto"


def test_members_of_before_read_their_territory_time_after_migrating():
    import importlib

    from django.apps import apps
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    from content.models import TerritoryGroup

    migration = importlib.import_module(
        "content.migrations.0006_members_read_dates_in_their_territory_time"
    )
    quebec = TerritoryPageFactory(time_zone="America/Toronto")
    member = get_user_model().objects.create_user("ancien")
    member.groups.add(
        TerritoryGroup.objects.get(
            territory=quebec, role=TerritoryRole.INTERVENTION
        ).group
    )
    chose = get_user_model().objects.create_user("choisi")
    UserProfile.objects.create(user=chose, current_time_zone="Europe/Paris")
    chose.groups.add(member.groups.get())
    migration.territory_time_zones(apps, None)
    assert UserProfile.get_for_user(member).current_time_zone == "America/Toronto"
    assert UserProfile.get_for_user(chose).current_time_zone == "Europe/Paris"
