"""The rule deciding which answers survive anonymisation, and in what form.

Kept: what counts and indicators need and no one can be found by alone:
numbers, choices from a fixed list, yes/no, consents (the record that
consent was given), and the first digits of a postal code (the French
département, the Canadian forward sortation area). Wiped: everything a
person typed freely or that points at them: text, email, phone, address,
dates (a date of birth identifies), files, and any answer whose question is
no longer known. A wiped answer stays as a key with a null value, so
"answered or not" can still be counted.
"""

from typing import Any

from wagtail.models import Revision

from forms_library.forms import answerable_fields

KEPT_AS_IS = frozenset(
    {"number", "single_choice", "multiple_choice", "yes_no", "consent"}
)
# Characters of a postal code kept, by country: the département (FR) or the
# forward sortation area (CA), regions of tens of thousands of people.
POSTAL_PREFIX = {"FR": 2, "CA": 3}


def field_kinds(revision: Revision | None) -> dict[str, dict[str, Any]]:
    """Machine name → {"type", "country"} of the answerable fields of a revision."""
    if revision is None:
        return {}
    return {
        child.value["name"]: {
            "type": child.block_type,
            "country": child.value.get("country", "FR"),
        }
        for child in answerable_fields(revision)
    }


def answer_anonymised(value: Any, kind: dict[str, Any] | None) -> Any:
    """One answer as it may be kept once the person can no longer be known."""
    if value is None or kind is None:
        return None
    if kind["type"] in KEPT_AS_IS:
        return value
    if kind["type"] == "postal_code" and isinstance(value, str):
        return value.strip().upper()[: POSTAL_PREFIX.get(kind["country"], 2)] or None
    return None


def answers_anonymised(
    answers: dict[str, Any], kinds: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """All answers of a submission or transition form, anonymised."""
    if not isinstance(answers, dict):
        return {}
    return {
        name: answer_anonymised(value, kinds.get(name))
        for name, value in answers.items()
    }
