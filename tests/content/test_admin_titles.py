"""Our admin screens say what they are in the header, as Wagtail's own do."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from content.models import TerritoryRole
from tests.content.factories import TerritoryPageFactory, member_of
from tests.forms_library.factories import FormDefinitionFactory

pytestmark = pytest.mark.django_db


def header_title(response) -> str:
    """The last crumb of the header: the title a sighted person reads."""
    crumbs = BeautifulSoup(response.content, "html.parser").select("header nav ol > li")
    return crumbs[-1].get_text(strip=True)


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/exports/", "Exports"),
        ("/admin/personal-data/", "Données personnelles d'une personne"),
        ("/admin/personal-data/anonymisations/", "Anonymisations"),
        ("/admin/submissions/enter/", "Saisir une demande pour quelqu'un"),
    ],
)
def test_each_screen_names_itself_in_the_header(client, url, title):
    client.force_login(member_of(TerritoryPageFactory(), TerritoryRole.COORDINATION))
    response = client.get(url)
    assert response.status_code == 200
    assert header_title(response) == title


def test_starting_from_a_template_is_under_the_forms(client):
    template = FormDefinitionFactory(territory=None)
    client.force_login(member_of(TerritoryPageFactory(), TerritoryRole.COORDINATION))
    url = f"/admin/snippets/forms_library/formdefinition/copy-template/{template.pk}/"
    response = client.get(url)
    assert header_title(response) == "Partir d'un modèle"
    assert "/admin/snippets/forms_library/formdefinition/" in str(
        BeautifulSoup(response.content, "html.parser").select("header nav ol > li")
    )


def test_staff_avatars_are_not_asked_of_a_third_party(client):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    client.force_login(member_of(TerritoryPageFactory(), TerritoryRole.COORDINATION))
    assert "gravatar" not in client.get("/admin/").content.decode()
