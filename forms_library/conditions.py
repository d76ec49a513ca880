"""Conditions: "show this field or step only if earlier answers match".

Evaluated on the server (the source of truth) and mirrored in the browser by
`static/forms_library/intake_form.js` for progressive enhancement.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConditionOperator(models.TextChoices):
    """How an earlier answer is compared with a condition's value."""

    EQUALS = "equals", _("equals")
    NOT_EQUALS = "not_equals", _("does not equal")
    ONE_OF = "one_of", _("is one of (separate with |)")
    IS_CHECKED = "is_checked", _("is checked / yes")
    GREATER_THAN = "greater_than", _("is greater than")
    LESS_THAN = "less_than", _("is less than")


class ConditionMatch(models.TextChoices):
    ALL = "all", _("all the rules match")
    ANY = "any", _("any rule matches")


def _as_text_values(answer: Any) -> list[str]:
    if answer is None:
        return []
    if isinstance(answer, list | tuple | set):
        return [str(item) for item in answer]
    if isinstance(answer, bool):
        return ["yes" if answer else "no"]
    return [str(answer)]


def _as_number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def rule_matches(rule: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """Whether one rule (field, operator, value) holds for the answers so far."""
    answer = answers.get(rule["field"])
    operator = rule["operator"]
    expected = (rule.get("value") or "").strip()
    values = _as_text_values(answer)
    if operator == ConditionOperator.IS_CHECKED:
        return answer is True or values in (["yes"], ["on"], ["true"])
    if operator == ConditionOperator.EQUALS:
        return expected in values
    if operator == ConditionOperator.NOT_EQUALS:
        return expected not in values
    if operator == ConditionOperator.ONE_OF:
        options = {option.strip() for option in expected.split("|")}
        return bool(options.intersection(values))
    number, threshold = _as_number(answer), _as_number(expected)
    if number is None or threshold is None:
        return False
    if operator == ConditionOperator.GREATER_THAN:
        return number > threshold
    return number < threshold


CHOICE_KINDS = ("single_choice", "multiple_choice")
YES_NO_KINDS = ("yes_no", "consent")


def rule_problem(rule: Mapping[str, Any], question) -> str | None:
    """Why a rule could never hold as written for the earlier question it
    reads (a choice that does not exist, a number compared with a text…),
    in the coordinator's words; None when it is sound."""
    operator, kind = rule["operator"], question.block_type
    expected = (rule.get("value") or "").strip()
    label = question.value["label"]
    if operator == ConditionOperator.IS_CHECKED:
        if kind in YES_NO_KINDS:
            return None
        return _(
            "“Is checked / yes” reads a yes/no question; “%(label)s” is not one."
        ) % {"label": label}
    if not expected and operator == ConditionOperator.NOT_EQUALS:
        return None  # "is not empty": a rule forms published before rely on
    if not expected:
        return _("Write the answer to “%(label)s” that the rule compares with.") % {
            "label": label
        }
    if operator in (ConditionOperator.GREATER_THAN, ConditionOperator.LESS_THAN):
        if kind != "number":
            return _(
                "“%(label)s” is not a number: compare it with “equals” or “is one of”."
            ) % {"label": label}
        if _as_number(expected) is None:
            return _("Write a number to compare “%(label)s” with.") % {"label": label}
        return None
    wanted = (
        [option.strip() for option in expected.split("|") if option.strip()]
        if operator == ConditionOperator.ONE_OF
        else [expected]
    )
    if kind in YES_NO_KINDS and not set(wanted) <= {"yes", "no"}:
        return _("For “%(label)s”, choose “is checked / yes”.") % {"label": label}
    if kind in CHOICE_KINDS:
        choices = [choice.strip() for choice in question.value["choices"]]
        missing = [option for option in wanted if option not in choices]
        if missing:
            return _(
                "“%(value)s” is not a choice of “%(label)s”; its choices are: "
                "%(choices)s."
            ) % {
                "value": ", ".join(missing),
                "label": label,
                "choices": ", ".join(choices),
            }
    return None


def is_shown(show_if: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Whether a field or step with these conditions is shown; no rule, shown."""
    rules = list((show_if or {}).get("rules") or [])
    if not rules:
        return True
    results = (rule_matches(rule, answers) for rule in rules)
    if (show_if or {}).get("match") == ConditionMatch.ANY:
        return any(results)
    return all(results)


def condition_sentence(
    show_if: Mapping[str, Any] | None, labels: Mapping[str, str]
) -> str:
    """When a question applies, said to the person who fills the form: a page
    without JavaScript shows it even when it does not apply.

    `labels` gives each earlier question's label by machine name.
    """
    rules = list((show_if or {}).get("rules") or [])
    parts = [_rule_sentence(rule, labels) for rule in rules]
    if not parts:
        return ""
    joined = (
        _(" or ") if (show_if or {}).get("match") == ConditionMatch.ANY else _(" and ")
    ).join(parts)
    return _("Only if %(conditions)s.") % {"conditions": joined}


def _rule_sentence(rule: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    label = labels.get(rule["field"], rule["field"])
    expected = (rule.get("value") or "").strip()
    words = {"label": label, "value": _YES_NO_WORDS.get(expected, expected)}
    operator = rule["operator"]
    if operator == ConditionOperator.IS_CHECKED:
        return _("you answered yes to “%(label)s”") % words
    if operator == ConditionOperator.NOT_EQUALS and not expected:
        return _("you answered “%(label)s”") % words
    if operator == ConditionOperator.NOT_EQUALS:
        return _("the answer to “%(label)s” is not “%(value)s”") % words
    if operator == ConditionOperator.ONE_OF:
        options = [option.strip() for option in expected.split("|") if option.strip()]
        words["value"] = ", ".join(
            str(_YES_NO_WORDS.get(option, option)) for option in options
        )
        return _("the answer to “%(label)s” is one of: %(value)s") % words
    if operator == ConditionOperator.GREATER_THAN:
        return _("the answer to “%(label)s” is more than %(value)s") % words
    if operator == ConditionOperator.LESS_THAN:
        return _("the answer to “%(label)s” is less than %(value)s") % words
    return _("the answer to “%(label)s” is “%(value)s”") % words


_YES_NO_WORDS = {"yes": _("Yes"), "no": _("No")}
