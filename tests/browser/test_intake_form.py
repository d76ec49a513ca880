"""A resident fills a multi-step conditional form on a phone, by keyboard."""

import re
from pathlib import Path

import pytest

from forms_library.library import field, when
from forms_library.models import Submission
from tests.browser.conftest import PHONE, settle_and_close
from tests.forms_library.factories import IntakeFormPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `make browser` (npm ci).")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations"
        ".map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))",
        WCAG_AA,
    )
    return violations


@pytest.fixture
def intake_page():
    return IntakeFormPageFactory(parent__code="ARS", title="Demande d'aide")


def type_into(page, selector: str, text: str) -> None:
    page.focus(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_resident_fills_the_form_by_keyboard(live_server, phone_page, intake_page):
    page = phone_page
    page.goto(live_server.url + intake_page.url)
    assert page.locator(".step-counter").inner_text() == "Étape 1 sur 4"
    assert axe_violations(page) == []
    # The number of children is hidden until "yes" is chosen.
    assert page.locator("#id_0-children").is_hidden()

    type_into(page, "#id_0-first_name", "Awa")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.focus("#id_0-has_children_0")
    page.keyboard.press("Space")
    assert page.locator("#id_0-children").is_visible()
    type_into(page, "#id_0-children", "2")
    page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    summary.wait_for()
    page.wait_for_function("document.activeElement.id === 'error-summary'")
    assert "Téléphone" in summary.inner_text()
    assert page.locator("#id_0-first_name").input_value() == "Awa"
    assert axe_violations(page) == []

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_0-phone"
    page.keyboard.press("Control+A")
    page.keyboard.type("06 12 34 56 78")
    page.keyboard.press("Enter")

    page.locator("h2", has_text="Votre situation").wait_for()
    page.focus("#id_1-housing_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_1-housing_2").is_checked()
    type_into(page, "#id_1-postal_code", "29200")
    page.keyboard.press("Enter")

    page.locator("h2", has_text="Hébergement").wait_for()
    assert page.locator(".step-counter").inner_text() == "Étape 3 sur 5"
    type_into(page, "#id_2-where_sleeping", "Chez une amie")
    page.focus("button.button--primary")
    page.keyboard.press("Enter")

    page.locator("h2", has_text="Accord").wait_for()
    page.focus("#id_3-consent")
    page.keyboard.press("Space")
    page.focus("button.button--primary")
    page.keyboard.press("Enter")

    page.locator("h2", has_text="Vérifiez vos réponses").wait_for()
    assert "Chez une amie" in page.locator(".review").inner_text()
    assert axe_violations(page) == []
    page.focus("button.button--primary")
    page.keyboard.press("Enter")

    page.locator(".reference").wait_for()
    reference = page.locator(".reference strong").inner_text()
    assert re.fullmatch(r"ARS-\d{4}-0001", reference)
    assert axe_violations(page) == []
    submission = Submission.objects.get()
    assert submission.answers["children"] == "2"
    assert submission.answers["phone"] == "0612345678"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_form_works_without_javascript(live_server, browser, intake_page):
    narrowest = {**PHONE, "viewport": {"width": 320, "height": 640}}
    context = browser.new_context(
        locale="fr-FR", java_script_enabled=False, **narrowest
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + intake_page.url)
        assert page.evaluate("document.documentElement.scrollWidth <= 320")
        # Without JavaScript the conditional field stays visible, and optional.
        assert page.locator("#id_0-children").is_visible()
        page.fill("#id_0-first_name", "Awa")
        page.fill("#id_0-phone", "(819) 555-0123")
        page.check("#id_0-has_children_1")
        page.fill("#id_0-children", "4")
        page.click("button.button--primary")
        page.locator("h2", has_text="Votre situation").wait_for()
        page.click("button.button--primary")
        assert page.locator("#error-summary").is_visible()
        # Without JavaScript too, the keyboard starts from the error summary.
        assert page.evaluate("document.activeElement.id") == "error-summary"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.hash") == "#id_1-housing_0"
        assert page.evaluate("document.documentElement.scrollWidth <= 320")
        page.check("#id_1-housing_0")
        page.fill("#id_1-postal_code", "29200")
        page.click("button.button--primary")
        page.locator("h2", has_text="Accord").wait_for()
        page.check("#id_3-consent")
        page.click("button.button--primary")
        page.locator("h2", has_text="Vérifiez vos réponses").wait_for()
        page.click("button.button--primary")
        page.locator(".reference").wait_for()
    finally:
        settle_and_close(context)
    submission = Submission.objects.get()
    # The answer to the field hidden by its condition was dropped.
    assert "children" not in submission.answers


def test_the_browser_reads_a_decimal_comma_in_a_condition_as_the_server(
    live_server, phone_page
):
    page = IntakeFormPageFactory(
        form_definition__fields=[
            field("number", "Reste à vivre par jour", "rav", unit="€"),
            field(
                "short_text",
                "Qui vous aide déjà ?",
                "aide",
                show_if=when("rav", "less_than", "2,5"),
            ),
        ]
    )
    phone_page.goto(live_server.url + page.url)
    question = phone_page.locator("[data-show-if]")
    type_into(phone_page, "#id_0-rav", "2,2")  # under two and a half: asked
    assert question.is_visible()
    type_into(phone_page, "#id_0-rav", "2,7")
    assert question.is_hidden()
    type_into(phone_page, "#id_0-rav", "2,2")
    phone_page.fill("#id_0-aide", "Le CCAS")
    phone_page.click("button[type=submit].button--primary")
    phone_page.wait_for_load_state()
    # The server agrees: the question was shown and its answer is on review.
    assert "Le CCAS" in phone_page.locator(".review").inner_text()


def test_a_long_french_title_fits_the_narrowest_phone(live_server, browser):
    # "d'accompagnement" is wider than a 320-pixel screen at the title's size.
    long_title = IntakeFormPageFactory(title="Demande d'accompagnement")
    narrowest = {**PHONE, "viewport": {"width": 320, "height": 640}}
    context = browser.new_context(locale="fr-FR", **narrowest)
    page = context.new_page()
    try:
        page.goto(live_server.url + long_title.url)
        assert page.evaluate("document.documentElement.scrollWidth <= 320")
    finally:
        settle_and_close(context)


def test_the_browser_reads_spaced_thousands_in_a_condition_as_the_server(
    live_server, phone_page
):
    page = IntakeFormPageFactory(
        form_definition__fields=[
            field("number", "Revenu mensuel", "revenu", unit="€"),
            field(
                "short_text",
                "Qui vous aide déjà ?",
                "aide",
                show_if=when("revenu", "greater_than", "1000"),
            ),
        ]
    )
    phone_page.goto(live_server.url + page.url)
    question = phone_page.locator("[data-show-if]")
    type_into(phone_page, "#id_0-revenu", "1 200")  # twelve hundred: asked
    assert question.is_visible()
    phone_page.fill("#id_0-aide", "Le CCAS")
    phone_page.click("button[type=submit].button--primary")
    phone_page.wait_for_load_state()
    assert "Le CCAS" in phone_page.locator(".review").inner_text()


def test_a_resident_removes_an_optional_file_by_keyboard(
    live_server, phone_page, tmp_path
):
    from forms_library.library import step
    from forms_library.models import SubmissionFile

    intake = IntakeFormPageFactory(
        form_definition__fields=[
            step("Vos justificatifs"),
            field("short_text", "Prénom", "prenom"),
            field(
                "file",
                "Avis d'imposition",
                "avis",
                allowed_types=["pdf"],
                required=False,
            ),
            step("Où"),
            field("short_text", "Ville", "ville"),
        ]
    )
    scan = tmp_path / "avis.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    page = phone_page
    page.goto(live_server.url + intake.url)
    type_into(page, "#id_0-prenom", "Awa")
    page.set_input_files("#id_0-avis", str(scan))
    page.click("button.button--primary")
    page.locator("h2", has_text="Où").wait_for()
    page.click("button[name=wizard_goto_step]")
    page.locator("#id_0-avis-kept", has_text="avis.pdf").wait_for()
    assert axe_violations(page) == []
    assert page.locator("#id_0-avis").bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.focus("#id_0-avis-clear")
    page.keyboard.press("Space")
    page.click("button.button--primary")
    page.locator("h2", has_text="Où").wait_for()
    type_into(page, "#id_1-ville", "Brest")
    page.click("button.button--primary")
    review = page.locator(".review")
    review.wait_for()
    assert "avis.pdf" not in review.inner_text()
    page.click("button.button--primary")
    page.locator(".reference").wait_for()
    assert not SubmissionFile.objects.exists()
