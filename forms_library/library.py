"""Building blocks of a form written in Python, as a coordinator would
build it in the admin: plain StreamField data (the shipped templates, the
demo, the tests and the benchmarks write their forms with these)."""

import uuid

NO_CONDITION = {"match": "all", "rules": []}


def field(
    block_type: str,
    label: str,
    name: str,
    *,
    required: bool = True,
    show_if: dict | None = None,
    help_text: str = "",
    **extra,
) -> dict:
    """One answerable block, as stored in a form's StreamField."""
    return {
        "type": block_type,
        "id": str(uuid.uuid4()),
        "value": {
            "label": label,
            "name": name,
            "required": required,
            "help_text": help_text,
            "show_if": show_if or NO_CONDITION,
            **extra,
        },
    }


def step(title: str, *, show_if: dict | None = None) -> dict:
    """A step break with its title."""
    return {
        "type": "step_break",
        "id": str(uuid.uuid4()),
        "value": {"title": title, "show_if": show_if or NO_CONDITION},
    }


def when(field_name: str, operator: str, value: str = "") -> dict:
    """A one-rule condition."""
    return {
        "match": "all",
        "rules": [{"field": field_name, "operator": operator, "value": value}],
    }


def consent(purpose: str) -> dict:
    return field(
        "consent", "J'ai compris et j'accepte", "consentement", purpose=purpose
    )
