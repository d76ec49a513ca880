"""What a resident, a partner or an elected official meets beyond what axe
checks: errors tied to their fields, the language of each piece of text,
French and English typography."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.views.defaults import permission_denied, server_error
from wagtail.users.models import UserProfile

from content.models import Indicator, IndicatorValue, TerritoryRole
from tests.content.factories import (
    ActionPageFactory,
    PartnerOrganisationFactory,
    member_of,
)
from tests.forms_library.factories import IntakeFormPageFactory

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_each_report_field_names_the_error_it_is_described_by(client):
    plan = ActionPageFactory().get_parent().specific
    client.force_login(
        member_of(plan.get_parent().specific, TerritoryRole.COORDINATION)
    )
    url = reverse("content_plan_report", args=[plan.pk])

    response = client.get(url, {"start": "demain", "end": "2025-13-01"})

    assert response.status_code == 400
    soup = soup_of(response)
    for name in ("start", "end"):
        field = soup.find("input", attrs={"name": name})
        assert field["aria-invalid"] == "true"
        described = [soup.find(id=i) for i in field["aria-describedby"].split()]
        assert all(described), f"{name}: {field['aria-describedby']} is not on the page"
        assert any("form-error" in element["class"] for element in described)


def test_percentages_follow_the_typography_of_each_language(client):
    action = ActionPageFactory(status="in_progress")
    plan = action.get_parent().specific
    coordinator = member_of(plan.get_parent().specific, TerritoryRole.COORDINATION)
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(coordinator)

    english = soup_of(client.get(plan.get_url().replace("/fr/", "/en/", 1)))
    shown = english.select_one(f"#progress-{action.pk} + .progress__value")
    assert shown.get_text() == f"{action.progress_percent}%"

    report = soup_of(client.get(reverse("content_plan_report", args=[plan.pk])))
    line = report.find(string=lambda text: text and "Progress of the plan" in text)
    assert line.parent.get_text() == f"Progress of the plan: {plan.progress_percent}%"
    meta = report.select_one("section .card__meta").get_text()
    assert f"{action.progress_percent}%" in [part.strip() for part in meta.split("·")]


def in_french(soup: BeautifulSoup, text: str) -> list[bool]:
    """For each place `text` is shown, whether it is marked as French."""
    places = soup.main.find_all(string=lambda string: string and text in string)
    assert places, f"{text!r} is not on the page"
    return [place.find_parent(attrs={"lang": True})["lang"] == "fr" for place in places]


def test_under_en_what_coordinators_wrote_in_french_is_marked_french(client):
    # Units, partner names and the committee's roles are written by the
    # coordination, in French: a screen reader must not voice them in English.
    action = ActionPageFactory(status="in_progress")
    plan = action.get_parent().specific
    territory = plan.get_parent().specific
    grocery = PartnerOrganisationFactory(territory=territory, name="Épicerie solidaire")
    action.lead_partner = grocery
    action.save_revision().publish()
    action.partners.add(grocery)
    plan.partners.add(grocery)
    plan.committee = json.dumps(
        [
            {
                "type": "member",
                "value": {
                    "name": "Maryvonne Le Goff",
                    "organisation": "Mairie",
                    "role": "Adjointe aux solidarités",
                },
            }
        ]
    )
    plan.save_revision().publish()
    workshops = Indicator.objects.create(
        page=action, label="Ateliers animés", unit="séances", target=40
    )
    for day, value in [(1, 4), (15, 9)]:
        IndicatorValue.objects.create(
            indicator=workshops, day=datetime.date(2025, 3, day), value=value
        )

    for page in (territory, plan, action):
        url = page.get_url().replace("/fr/", "/en/", 1)
        soup = soup_of(client.get(url))
        assert soup.html["lang"] == "en"
        assert all(in_french(soup, "séances")), url
        if page is not territory:
            assert all(in_french(soup, "Épicerie solidaire")), url
    plan_soup = soup_of(client.get(plan.get_url().replace("/fr/", "/en/", 1)))
    assert all(in_french(plan_soup, "Adjointe aux solidarités"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_missing_page_leads_back_home_in_its_own_language(client, language):
    response = client.get(
        f"/{language}/nowhere-at-all/", headers={"accept-language": "fr"}
    )
    assert response.status_code == 404
    links = [a["href"] for a in soup_of(response).main.find_all("a")]
    assert links == [f"/{language}/"]


def assert_in_the_sites_look(response, language: str) -> None:
    """A page a phone can read, in the language of its address, with a way on."""
    soup = soup_of(response)
    assert soup.html["lang"] == language
    assert soup.find("meta", attrs={"name": "viewport"})
    assert soup.find("a", class_="skip-link")
    assert soup.main.h1.get_text(strip=True)
    assert "CSRF" not in soup.get_text()
    assert soup.main.find("a", href=f"/{language}/")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_form_sent_without_its_security_cookie_is_refused_in_plain_words(
    language,
):
    form_page = IntakeFormPageFactory()
    client = Client(enforce_csrf_checks=True)
    url = form_page.get_url().replace("/fr/", f"/{language}/", 1)

    response = client.post(url, {"intake-current_step": "0"})

    assert response.status_code == 403
    assert_in_the_sites_look(response, language)
    # Back to the form, where the answers already given are waiting.
    assert soup_of(response).main.find("a", href=url)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_refused_page_speaks_the_language_of_its_address(rf, language):
    request = rf.get(f"/{language}/somewhere/")
    with translation.override(language):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert_in_the_sites_look(response, language)


def test_the_server_error_page_leads_home_in_both_languages(rf):
    response = server_error(rf.get("/fr/quelque-part/"))

    assert response.status_code == 500
    page = soup_of(response)
    assert page.find("link", rel="stylesheet")["href"].endswith("maillage.css")
    homes = {
        link.find_parent(attrs={"lang": True})["lang"]: link["href"]
        for link in page.select("main a")
    }
    assert homes == {"fr": "/fr/", "en": "/en/"}


def test_a_figure_stays_on_the_line_of_its_unit(client):
    # "3 / personnes" split over two lines of a 320 px phone reads as nonsense.
    action = ActionPageFactory(status="in_progress")
    workshops = Indicator.objects.create(
        page=action, label="Ateliers animés", unit="séances", target=40
    )
    meals = Indicator.objects.create(page=action, label="Repas servis", unit="repas")
    for indicator in (workshops, meals):
        IndicatorValue.objects.create(
            indicator=indicator, day=datetime.date(2025, 3, 1), value=12
        )
    plan = action.get_parent().specific
    territory = plan.get_parent().specific
    for page in (territory, plan, action):
        main = soup_of(client.get(page.url)).main
        for unit in ("séances", "repas"):
            texts = [
                element.get_text()
                for element in main.find_all(["p", "dd", "strong"])
                if unit in element.get_text()
            ]
            assert texts, page.url
            # Only a non-breaking space may come between a figure and its unit.
            breakable = [
                text for text in texts if re.search(rf"\d\s*[ \n]\s*{unit}", text)
            ]
            assert breakable == [], page.url
