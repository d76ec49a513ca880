"""Validators for the values residents type: phone numbers and postal codes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_FRENCH_PHONE = re.compile(r"^(?:\+33|0033|0)[1-9]\d{8}$")
_NORTH_AMERICAN_PHONE = re.compile(r"^(?:\+?1)?[2-9]\d{2}[2-9]\d{6}$")
_FRENCH_POSTAL_CODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8]|2[AB])\d{3}$")
_CANADIAN_POSTAL_CODE = re.compile(
    r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$"
)


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


def validate_phone(value: str) -> None:
    """A French or a Canadian phone number, spaces, dots and dashes allowed."""
    digits = normalise_phone(value)
    if not (_FRENCH_PHONE.match(digits) or _NORTH_AMERICAN_PHONE.match(digits)):
        raise ValidationError(
            _("Enter a phone number such as 06 12 34 56 78 or (819) 555-0123."),
            code="invalid_phone",
        )


def validate_french_postal_code(value: str) -> None:
    if not _FRENCH_POSTAL_CODE.match((value or "").strip()):
        raise ValidationError(
            _("Enter a French postal code of 5 digits, such as 29200."),
            code="invalid_postal_code",
        )


def validate_canadian_postal_code(value: str) -> None:
    if not _CANADIAN_POSTAL_CODE.match((value or "").strip().upper()):
        raise ValidationError(
            _("Enter a Canadian postal code such as J1H 5N4."),
            code="invalid_postal_code",
        )
