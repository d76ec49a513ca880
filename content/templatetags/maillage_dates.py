"""`long_date`: a date in words, "1er janvier" in French."""

from django import template

from content.dates import long_date as _long_date

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value, format_name: str = "DATE_FORMAT") -> str:
    return _long_date(value, format_name)
