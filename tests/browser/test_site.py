"""A person on a phone opens the site in both languages and logs into the admin."""

import pytest

from content.models import TerritoryRole
from tests.content.factories import TerritoryPageFactory, home_page, member_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_home_page_in_french_then_english_on_a_phone(live_server, phone_page):
    TerritoryPageFactory(title="Communauté de communes du Lac")
    phone_page.goto(live_server.url + "/")
    assert phone_page.url == live_server.url + "/fr/"
    assert phone_page.locator("html").get_attribute("lang") == "fr"
    assert phone_page.get_by_role("heading", name="Territoires").is_visible()
    assert phone_page.get_by_role(
        "link", name="Communauté de communes du Lac"
    ).is_visible()
    # Nothing overflows sideways at 360 px.
    assert phone_page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )

    phone_page.get_by_role("link", name="English").click()
    phone_page.wait_for_url(live_server.url + "/en/")
    assert phone_page.locator("html").get_attribute("lang") == "en"
    assert phone_page.get_by_role("heading", name="Territories").is_visible()


def test_skip_link_is_the_first_stop_of_the_keyboard(live_server, phone_page):
    home_page()
    phone_page.goto(live_server.url + "/fr/")
    phone_page.keyboard.press("Tab")
    focused = phone_page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu principal"
    phone_page.keyboard.press("Enter")
    assert phone_page.evaluate("document.activeElement.id") == "main"


def test_a_coordinator_logs_into_the_admin_and_sees_their_territory(
    live_server, phone_page
):
    territory = TerritoryPageFactory(title="Pays de Brocéliande-Test")
    member_of(
        territory,
        TerritoryRole.COORDINATION,
        username="coordination.test",
        password="mot-de-passe-de-test",
    )
    phone_page.goto(live_server.url + "/admin/")
    phone_page.get_by_label("Nom d’utilisateur").fill("coordination.test")
    # Wagtail's login form labels its password field from the field name,
    # untranslated; the field is found by its id.
    phone_page.locator("#id_password").fill("mot-de-passe-de-test")
    phone_page.get_by_role("button", name="S'identifier").click()
    phone_page.wait_for_url(live_server.url + "/admin/")
    phone_page.goto(live_server.url + f"/admin/pages/{territory.pk}/edit/")
    name = phone_page.get_by_role("textbox", name="Nom du territoire")
    assert name.input_value() == "Pays de Brocéliande-Test"
