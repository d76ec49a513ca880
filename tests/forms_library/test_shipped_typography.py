"""The French that Maillage itself writes for residents keeps its punctuation
on the line of the word before, as the catalogues do."""

import re

import pytest
from wagtail.models import Page

from forms_library.shipped_templates import FRANCE, QUEBEC, shipped_templates

# An ordinary space lets "?" or "»" start a line alone on a 320 px phone:
# French puts a non-breaking space inside « » and before : ; ! ?.
BREAKABLE = re.compile(r"« | »| [:;!?](?=\s|$|<)")


def texts_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_of(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in texts_of(item)]
    return []


@pytest.mark.parametrize("wording", [FRANCE, QUEBEC], ids=["France", "Québec"])
def test_the_shipped_templates_keep_french_punctuation_on_its_line(wording):
    texts = texts_of(shipped_templates(wording))
    assert texts
    assert [text for text in texts if BREAKABLE.search(text)] == []


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestTheDemoPages:
    def test_every_public_page_of_the_demo_keeps_french_punctuation_on_its_line(
        self, client
    ):
        pages = Page.objects.live().filter(depth__gt=1).specific()
        breakable = {}
        for page in pages:
            main = client.get(page.url).content.decode().split("<main", 1)[1]
            found = BREAKABLE.findall(re.sub(r"<[^>]+>", " ", main).replace("  ", " "))
            if found:
                breakable[page.url] = found
        assert breakable == {}
