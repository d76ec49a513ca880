"""French first, English available: URLs, switcher and catalogues."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from django.conf import settings

from tests.content.factories import TerritoryPageFactory

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])


def test_root_redirects_to_french_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_root_follows_the_browsers_language(client):
    response = client.get("/", headers={"accept-language": "en"})
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("prefix", "lang", "heading", "skip_link"),
    [
        ("fr", "fr", "Territoires", "Aller au contenu principal"),
        ("en", "en", "Territories", "Skip to main content"),
    ],
)
def test_home_page_speaks_the_language_of_its_prefix(
    client, prefix, lang, heading, skip_link
):
    response = client.get(f"/{prefix}/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == lang
    assert soup.find("h2", id="territories-heading").get_text() == heading
    assert soup.find("a", class_="skip-link").get_text() == skip_link


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    territory = TerritoryPageFactory(slug="pays-test")
    response = client.get("/fr/pays-test/")
    soup = BeautifulSoup(response.content, "html.parser")
    links = {a["hreflang"]: a for a in soup.select(".language-switcher a[hreflang]")}
    assert links["fr"]["href"] == "/fr/pays-test/"
    assert links["fr"]["aria-current"] == "true"
    assert links["en"]["href"] == "/en/pays-test/"
    assert client.get(links["en"]["href"]).status_code == 200
    assert territory.title in client.get("/en/pays-test/").content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogues_exist_and_are_compiled(language):
    messages = LOCALE_DIR / language / "LC_MESSAGES"
    assert (messages / "django.po").is_file()
    assert (messages / "django.mo").is_file(), "run `make compile-messages`"


def test_every_french_message_is_translated():
    with open(LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po", "rb") as po:
        catalogue = read_po(po, locale="fr")
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
            or message.fuzzy
        )
    ]
    assert untranslated == []


def test_french_keeps_its_punctuation_on_the_line_of_the_word_before():
    # On a 320 px phone an ordinary space lets "?" or "»" start a line alone:
    # French puts a non-breaking space inside « » and before : ; ! ?.
    with open(LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po", "rb") as po:
        catalogue = read_po(po, locale="fr")
    breakable = [
        text
        for message in catalogue
        if message.id
        for text in (
            message.string if isinstance(message.string, tuple) else [message.string]
        )
        if re.search(r"« | »| [:;!?]", text or "")
    ]
    assert breakable == []
