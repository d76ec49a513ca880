"""Dates in words: "1er janvier" in French, as French typography writes it."""

import datetime

import pytest
from django.utils import translation

from content.dates import long_date
from tests.content.factories import ActionPageFactory


@pytest.mark.parametrize(
    ("language", "value", "format_name", "expected"),
    [
        ("fr", datetime.date(2026, 1, 1), "DATE_FORMAT", "1er janvier 2026"),
        ("fr", datetime.date(2026, 1, 11), "DATE_FORMAT", "11 janvier 2026"),
        ("fr", datetime.date(2026, 1, 21), "j F Y", "21 janvier 2026"),
        ("fr", datetime.date(2026, 11, 1), "j F Y", "1er novembre 2026"),
        (
            "fr",
            datetime.datetime(2026, 3, 1, 9, 30),
            "DATETIME_FORMAT",
            "1er mars 2026 09:30",
        ),
        ("en", datetime.date(2026, 11, 1), "j F Y", "1 November 2026"),
    ],
)
def test_the_first_of_the_month_is_an_ordinal_in_french(
    language, value, format_name, expected
):
    with translation.override(language):
        assert long_date(value, format_name) == expected


@pytest.mark.django_db
def test_an_action_starting_on_the_first_says_1er(client):
    action = ActionPageFactory(
        start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 6, 30)
    )
    response = client.get(action.url)
    assert "1er septembre 2026 – 30 juin 2027" in response.text
