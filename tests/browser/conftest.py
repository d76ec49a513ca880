"""Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "Debian's chromium is needed for the browser tests: "
            "apt-get install chromium (or `make browser`)."
        )
    return path


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the tests make are still synchronous and safe. Set only while the
    # browser runs, so no other test (or subprocess) inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A fresh phone-sized page, French first, like a resident's."""
    context = browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    yield page
    settle_and_close(context)


def settle_and_close(context) -> None:
    """Let the pages' last requests finish before the database is emptied."""
    for page in context.pages:
        page.wait_for_load_state("networkidle")
        page.goto("about:blank")  # stops the admin's background requests
    context.close()
