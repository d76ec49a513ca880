"""The demo loader builds the two programmes and is safe to run twice."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
)

from content.models import TerritoryGroup, TerritoryPage
from content.selectors import territories_for

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    models = [
        get_user_model(),
        Group,
        Page,
        TerritoryPage,
        TerritoryGroup,
        Revision,
        GroupPagePermission,
        GroupCollectionPermission,
        Collection,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    """Tests that read the demo, loaded once for them all."""

    def test_load_demo_twice_gives_the_same_rows(self, capsys):
        first = _row_counts()
        first_ids = set(get_user_model().objects.values_list("pk", "username"))
        call_command("load_demo")
        assert _row_counts() == first
        assert set(get_user_model().objects.values_list("pk", "username")) == first_ids

    def test_demo_has_one_quebec_mrc_and_six_brittany_territories(self):
        territories = TerritoryPage.objects.live()
        assert territories.filter(country="CA", kind="mrc").count() == 1
        assert (
            territories.filter(country="FR", kind="communaute_de_communes").count() == 6
        )


def test_demo_logins_use_the_given_password_and_hold_their_role(capsys):
    call_command("load_demo", password="autre-mot-de-passe")
    output = capsys.readouterr().out
    assert "coordination.haute-riviere" in output
    assert "autre-mot-de-passe" in output
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    for prefix in ("coordination", "intervention", "partenaire", "copil"):
        user = users.get(username=f"{prefix}.argoat-sud")
        assert user.check_password("autre-mot-de-passe")
        assert [t.code for t in territories_for(user)] == ["ARS"]
