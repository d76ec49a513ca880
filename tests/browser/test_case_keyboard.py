"""A social worker on a phone takes a case from the inbox to closure, keyboard only."""

import pytest

from content.models import TerritoryRole
from tests.content.factories import member_of
from tests.workflows.factories import WorkflowDefinitionFactory, case_from_submission

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def tab_to(page, locator, *, presses: int = 120) -> None:
    """Press Tab until the element has the focus, as a keyboard user would."""
    target = locator.element_handle()
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("element => element === document.activeElement", target):
            return
    raise AssertionError(f"{locator} never received the keyboard focus")


def press_enter_on(page, locator) -> None:
    tab_to(page, locator)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_social_worker_moves_a_case_to_closure_with_the_keyboard(
    live_server, phone_page
):
    workflow = WorkflowDefinitionFactory(title="Accompagnement")
    case = case_from_submission(workflow, first_name="Lucie")
    member_of(
        workflow.territory,
        TerritoryRole.INTERVENTION,
        username="intervention.test",
        password="mot-de-passe-de-test",
    )
    page = phone_page
    page.goto(live_server.url + "/admin/login/")
    tab_to(page, page.get_by_label("Nom d’utilisateur"))
    page.keyboard.type("intervention.test")
    tab_to(page, page.locator("#id_password"))
    page.keyboard.type("mot-de-passe-de-test")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.goto(live_server.url + "/admin/cases/")
    press_enter_on(page, page.get_by_role("link", name=case.reference))
    assert page.locator("[data-case-state]").inner_text() == "Accueil"

    press_enter_on(page, page.get_by_role("link", name="Prendre en charge"))
    press_enter_on(page, page.get_by_role("button", name="Prendre en charge"))
    assert page.locator("[data-case-state]").inner_text() == "Évaluation"

    press_enter_on(page, page.get_by_role("link", name="Clôturer"))
    press_enter_on(page, page.get_by_role("button", name="Clôturer"))
    assert page.locator("[data-case-state]").inner_text() == "Clôturé"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    case.refresh_from_db()
    assert case.is_closed
