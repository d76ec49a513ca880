"""Validators for what residents send: phone numbers, postal codes, files."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from forms_library.attachments import detected_type

# Metropolitan France (33) and the overseas departments with their own
# country codes (Réunion and Mayotte 262, Guadeloupe 590, Guyane 594,
# Martinique 596) share one plan: nine digits after the code or the 0.
_FRENCH_PHONE = re.compile(r"^(?:(?:\+|00)(?:33|262|590|594|596)|0)[1-9]\d{8}$")
_FRENCH_CODE_AND_ZERO = re.compile(
    r"^\s*((?:\+|00)(?:33|262|590|594|596))[\s.\-]*0(?=[\s.\-]*[1-9])"
)
_NORTH_AMERICAN_PHONE = re.compile(r"^(?:\+?1)?[2-9]\d{2}[2-9]\d{6}$")
# Corsica's postal codes are 20xxx: 2A and 2B are its département numbers.
_FRENCH_POSTAL_CODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")
_CANADIAN_POSTAL_CODE = re.compile(
    r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$"
)


def normalise_phone(value: str) -> str:
    # "+33 (0)6 12 34 56 78" is how many write a French number for abroad,
    # and "+33 06 12 34 56 78" how many others do: the 0 is not dialled
    # after the country code.
    value = re.sub(r"^\s*((?:\+|00)\d{1,3})\s*\(0\)", r"\1", value or "")
    value = re.sub(_FRENCH_CODE_AND_ZERO, r"\1", value)
    return re.sub(r"[\s.\-()]", "", value)


_PHONES = {"FR": _FRENCH_PHONE, "CA": _NORTH_AMERICAN_PHONE}

# How people write the numbers they read: pairs of digits in France, the area
# code in brackets in North America.
_PHONE_LAYOUTS = [
    (re.compile(r"^0(\d)(\d\d)(\d\d)(\d\d)(\d\d)$"), "0{} {} {} {} {}"),
    (re.compile(r"^(?:\+|00)33(\d)(\d\d)(\d\d)(\d\d)(\d\d)$"), "+33 {} {} {} {} {}"),
    (
        re.compile(r"^(?:\+|00)(262|590|594|596)(\d{3})(\d\d)(\d\d)(\d\d)$"),
        "+{} {} {} {} {}",
    ),
    (re.compile(r"^(\d{3})(\d{3})(\d{4})$"), "({}) {}-{}"),
    (re.compile(r"^\+?1(\d{3})(\d{3})(\d{4})$"), "+1 ({}) {}-{}"),
]


def phone_display(value: str) -> str:
    """A stored number as people write it ("0612345678": 06 12 34 56 78)."""
    digits = normalise_phone(value)
    for pattern, layout in _PHONE_LAYOUTS:
        if match := pattern.match(digits):
            return layout.format(*match.groups())
    return value


def validate_phone(value: str, country: str = "") -> None:
    """A phone number of the form's country, spaces, dots and dashes allowed:
    French ("FR"), Canadian ("CA"), or either (no country)."""
    digits = normalise_phone(value)
    patterns = [_PHONES[country]] if country in _PHONES else _PHONES.values()
    if not any(pattern.match(digits) for pattern in patterns):
        raise ValidationError(_phone_example(country), code="invalid_phone")


def _phone_example(country: str) -> str:
    if country == "FR":
        return _("Enter a phone number such as 06 12 34 56 78.")
    if country == "CA":
        return _("Enter a phone number such as (819) 555-0123.")
    return _("Enter a phone number such as 06 12 34 56 78 or (819) 555-0123.")


def normalise_postal_code(value: str, *, canadian: bool) -> str:
    """As the post writes it: 29200, J0K 1A0 (typed j0k1a0 or "29 200")."""
    compact = re.sub(r"\s", "", value or "").upper()
    if canadian and len(compact) == 6:
        return f"{compact[:3]} {compact[3:]}"
    return compact


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


@deconstructible
class AttachmentValidator:
    """An attachment of an allowed type, read from its content, and size.

    The name's extension is not asked to match: `AttachmentField` renames a
    file after what it holds.
    """

    def __init__(self, allowed_types: list[str], max_size_mb: int) -> None:
        self.allowed_types = allowed_types
        self.max_size_mb = max_size_mb

    def __call__(self, upload) -> None:
        if upload.size > self.max_size_mb * 1024 * 1024:
            raise ValidationError(
                _("This file is larger than %(size)s MB."),
                params={"size": self.max_size_mb},
                code="file_too_large",
            )
        if detected_type(upload) not in self.allowed_types:
            raise ValidationError(
                _("Send a file of one of these types: %(types)s."),
                params={"types": ", ".join(t.upper() for t in self.allowed_types)},
                code="file_type",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, AttachmentValidator) and (
            self.allowed_types,
            self.max_size_mb,
        ) == (other.allowed_types, other.max_size_mb)
