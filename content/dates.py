"""Dates in words as French readers write them: the first is "1er janvier".

Django's French formats write "1 janvier"; French typography (in France and
in Québec) writes the first day of a month as an ordinal.
"""

import datetime
import re

from django.utils import formats, translation


def long_date(value: datetime.date | None, format_name: str = "DATE_FORMAT") -> str:
    """The date in the active language's words, "1er" on the first in French."""
    if value is None:
        return ""
    text = formats.date_format(value, format_name)
    if value.day != 1 or not (translation.get_language() or "").startswith("fr"):
        return text
    month = formats.date_format(value, "F")
    return re.sub(rf"(?<!\d)1 {re.escape(month)}", f"1er {month}", text)
