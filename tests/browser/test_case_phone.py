"""A social worker, a partner or the steering committee reach every part of a
case screen on a phone: nothing runs off the right edge out of reach."""

import pytest

from content.models import PartnerOrganisation, TerritoryRole
from tests.content.factories import member_of
from tests.workflows.factories import (
    WorkflowDefinitionFactory,
    accompaniment_graph,
    case_from_submission,
)
from workflows.demo import assign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test"

# The right edge of every element, compared with the screen's.
BEYOND_THE_SCREEN = """selector => [...document.querySelectorAll(selector)]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.textContent.trim())"""


def sign_in_as_social_worker(page, base_url: str, territory) -> None:
    """A new social worker of the territory signs in on the phone."""
    member_of(
        territory,
        TerritoryRole.INTERVENTION,
        username="intervention.test",
        password=PASSWORD,
    )
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("intervention.test")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def workflow():
    return WorkflowDefinitionFactory(title="Co-construction d’une action")


def test_the_cases_waiting_on_the_home_page_fit_the_phone(
    live_server, phone_page, workflow
):
    case = case_from_submission(
        workflow,
        first_name="Épicerie mobile dans les bourgs",
        last_name="et les hameaux de la communauté",
    )
    sign_in_as_social_worker(phone_page, live_server.url, workflow.territory)

    waiting = phone_page.locator("#cases-waiting-title + p + ul .button")
    assert case.reference in waiting.first.inner_text()
    assert phone_page.evaluate(BEYOND_THE_SCREEN, ".case-transitions .button") == []


def test_every_column_of_the_inbox_can_be_scrolled_to(
    live_server, phone_page, workflow
):
    case_from_submission(workflow, first_name="Gwenaëlle")
    sign_in_as_social_worker(phone_page, live_server.url, workflow.territory)
    phone_page.goto(live_server.url + "/admin/cases/")

    # The table is wider than a phone: some box between it and the page
    # must scroll sideways, or its last columns (deadline, partner) are cut
    # off with no way to reach them.
    scrollable = phone_page.evaluate(
        """() => {
            const table = document.querySelector('table.listing');
            for (let box = table.parentElement; box && box.id !== 'main';
                 box = box.parentElement) {
                const sideways = getComputedStyle(box).overflowX;
                if (['auto', 'scroll'].includes(sideways)
                    && box.scrollWidth > box.clientWidth) {
                    return box.scrollWidth >= table.scrollWidth;
                }
            }
            return false;
        }"""
    )
    assert scrollable
    # The region takes the keyboard focus, so arrows scroll it too.
    region = phone_page.get_by_role("region", name="Mes dossiers")
    assert region.get_attribute("tabindex") == "0"


def test_the_referral_form_fits_the_phone(live_server, phone_page, workflow):
    workflow.graph = accompaniment_graph(
        effects_on_take=[assign("chosen_partner")],
    )
    workflow.save_revision().publish()
    workflow.refresh_from_db()
    case = case_from_submission(workflow, first_name="Lucie")
    PartnerOrganisation.objects.create(
        territory=workflow.territory,
        name="Centre communal d’action sociale de la communauté de communes",
    )
    sign_in_as_social_worker(phone_page, live_server.url, workflow.territory)
    phone_page.goto(f"{live_server.url}/admin/cases/{case.pk}/act/prendre_en_charge/")

    partner = phone_page.get_by_label("Orienter vers la structure partenaire")
    assert partner.is_visible()
    assert (
        phone_page.evaluate(BEYOND_THE_SCREEN, "#main form .w-field, #main form select")
        == []
    )
