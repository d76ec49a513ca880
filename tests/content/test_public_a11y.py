"""What a resident, a partner or an elected official meets beyond what axe
checks: errors tied to their fields, the language of each piece of text,
French and English typography."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from content.models import TerritoryRole
from tests.content.factories import ActionPageFactory, member_of

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
