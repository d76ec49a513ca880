"""A partner reads their territory's action plan and its indicators on a phone."""

import datetime

import pytest

from content.models import Indicator, IndicatorValue, TerritoryRole
from tests.browser.test_intake_form import axe_violations
from tests.content.factories import (
    ActionPageFactory,
    ActionPlanPageFactory,
    TerritoryPageFactory,
    member_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def action():
    territory = TerritoryPageFactory(title="Communauté de communes du Lac")
    plan = ActionPlanPageFactory(parent=territory, title="Plan Mieux manger")
    action = ActionPageFactory(
        parent=plan,
        title="Ateliers cuisine",
        status="in_progress",
        audiences=["concerned", "volunteers"],
        partner_section="<p>Budget prévisionnel : 12 000 €</p>",
    )
    meals = Indicator.objects.create(
        page=action, label="Ateliers animés", unit="séances", target=40
    )
    for day, value in [(1, 4), (15, 9), (30, 17)]:
        IndicatorValue.objects.create(
            indicator=meals, day=datetime.date(2025, 3, day), value=value
        )
    member_of(
        territory,
        TerritoryRole.PARTNERS,
        username="partenaire.lac",
        password="mot-de-passe-de-test",
    )
    return action


def sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("partenaire.lac")
    page.locator("#id_password").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(base_url + "/admin/")


def test_partner_reads_the_plan_and_its_indicators(live_server, phone_page, action):
    page = phone_page
    sign_in(page, live_server.url)

    page.goto(live_server.url + action.get_parent().url)
    assert page.get_by_role("heading", name="Plan Mieux manger").is_visible()
    progress = page.locator("#progress-plan")
    assert progress.get_attribute("value") == "50"
    assert page.get_by_text("50 %").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Ateliers cuisine").click()
    page.wait_for_url(live_server.url + action.url)
    table = page.locator("article.indicator table")
    assert "Ateliers animés" in table.locator("caption").inner_text()
    assert table.locator("tbody tr").count() == 3
    assert page.locator("svg.chart circle").count() == 3
    assert page.get_by_text("Budget prévisionnel : 12 000 €").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []


def test_without_signing_in_the_partner_section_stays_hidden(
    live_server, phone_page, action
):
    phone_page.goto(live_server.url + action.url)
    assert phone_page.get_by_role("heading", name="Ateliers cuisine").is_visible()
    assert phone_page.get_by_text("Budget prévisionnel").count() == 0
    assert axe_violations(phone_page) == []
