"""A date question that takes only past or only future days counts them from
the day it is answered in the form's territory, not on the server's clock."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone

from forms_library.blocks import DatePeriod
from forms_library.library import field
from forms_library.models import Submission
from tests.forms_library.factories import IntakeFormPageFactory

pytestmark = pytest.mark.django_db

# Twenty-five hours apart: at any moment one of them is on another day than
# the server's own time zone.
FAR_WEST, FAR_EAST = "Pacific/Pago_Pago", "Pacific/Kiritimati"


def server_today() -> datetime.date:
    return timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE))


def territory_on_another_day() -> tuple[str, str]:
    """A territory time zone whose day differs from the server's now, and the
    period that makes the server's today refused there: behind the server,
    its today is the territory's tomorrow (not past); ahead, its yesterday
    (not future)."""
    for zone, period in ((FAR_WEST, DatePeriod.PAST), (FAR_EAST, DatePeriod.FUTURE)):
        if timezone.localdate(timezone=ZoneInfo(zone)) != server_today():
            return zone, period
    raise AssertionError("no zone on another day: the clock moved under the test")


@pytest.fixture
def page():
    zone, period = territory_on_another_day()
    page = IntakeFormPageFactory(
        parent__time_zone=zone,
        form_definition__fields=[
            field("date", "Date souhaitée", "jour", period=period),
        ],
    )
    page.period = period
    return page


def test_the_page_offers_the_territorys_days(client, page):
    territory_today = timezone.localdate(timezone=ZoneInfo(page.territory.time_zone))

    form = BeautifulSoup(client.get(page.url).content, "html.parser")

    date_input = form.select_one("[name='0-jour']")
    limit = "max" if page.period == DatePeriod.PAST else "min"
    assert date_input[limit] == territory_today.isoformat()


def test_the_wizard_refuses_the_servers_today_when_the_territory_is_not_there(
    client, page
):
    client.get(page.url)
    response = client.post(
        page.url,
        {
            f"intake_{page.pk}-current_step": "0",
            "0-jour": server_today().isoformat(),
        },
    )

    assert response.status_code == 200
    error = BeautifulSoup(response.content, "html.parser").select_one(
        "#id_0-jour-error"
    )
    assert error is not None and "Saisissez une date" in error.get_text()


def test_the_api_describes_and_applies_the_territorys_days(client, page):
    territory_today = timezone.localdate(timezone=ZoneInfo(page.territory.time_zone))

    described = client.get(f"/api/v3/forms/{page.pk}/").json()
    [question] = described["steps"][0]["fields"]
    assert question["period"] == page.period
    limit = "max" if page.period == DatePeriod.PAST else "min"
    assert question[limit] == territory_today.isoformat()

    refused = client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        data=json.dumps({"answers": {"jour": server_today().isoformat()}}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["jour"]
    accepted = client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        data=json.dumps({"answers": {"jour": territory_today.isoformat()}}),
        content_type="application/json",
    )
    assert accepted.status_code == 201
    assert Submission.objects.get().answers == {"jour": territory_today.isoformat()}
