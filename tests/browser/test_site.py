"""A person on a phone opens the site in both languages and logs into the admin."""

import pytest

from content.models import PartnerDirectoryPage, TerritoryRole
from tests.browser.conftest import PHONE, settle_and_close
from tests.content.factories import (
    PartnerOrganisationFactory,
    TerritoryPageFactory,
    home_page,
    member_of,
)
from tests.forms_library.factories import IntakeFormPageFactory

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


# What a thumb must hit on a phone: every link standing alone (not inside a
# sentence, as in the texts coordinators write) is at least 44 px high, at
# 320 and 375 px wide.
SMALL_TARGETS = """() => [...document.querySelectorAll('main a')]
  .filter(a => !a.closest('.lead, .information'))
  .filter(a => a.getBoundingClientRect().height < 44)
  .map(a => a.textContent.trim())"""


@pytest.mark.parametrize("width", [320, 375])
def test_every_link_of_the_public_pages_is_a_large_target(live_server, browser, width):
    territory = TerritoryPageFactory(
        title="Communauté de communes du Lac",
        contact_name="Gwenaëlle Le Bihan",
        contact_email="contact@lac.example.org",
        contact_phone="02 96 00 00 00",
    )
    form_page = IntakeFormPageFactory(parent=territory, title="Demande d'aide")
    directory = territory.add_child(
        instance=PartnerDirectoryPage(title="Annuaire des partenaires", slug="annuaire")
    )
    PartnerOrganisationFactory(
        territory=territory,
        name="Épicerie solidaire",
        email="epicerie@lac.example.org",
        phone="02 96 11 11 11",
    )
    context = browser.new_context(
        locale="fr-FR", **{**PHONE, "viewport": {"width": width, "height": 740}}
    )
    page = context.new_page()
    try:
        for url in (territory.url, directory.url, form_page.url, "/fr/nowhere/"):
            page.goto(live_server.url + url)
            assert page.evaluate(SMALL_TARGETS) == [], url
            assert page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth"
            ), url
    finally:
        settle_and_close(context)
