"""The blocks a coordinator assembles into a form, and their edit-time checks."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from forms_library.conditions import ConditionMatch, ConditionOperator, rule_problem

MACHINE_NAME_HELP = _(
    "Stable name used in exports and the API. Filled from the label if left "
    "empty; never changes once the form is published."
)


class ConditionRuleBlock(blocks.StructBlock):
    field = blocks.CharBlock(
        label=_("earlier field"), help_text=_("Machine name of an earlier field.")
    )
    operator = blocks.ChoiceBlock(
        label=_("operator"),
        choices=ConditionOperator.choices,
        default=ConditionOperator.EQUALS,
    )
    value = blocks.CharBlock(label=_("value"), required=False)

    class Meta:
        label = _("rule")


class ShowIfBlock(blocks.StructBlock):
    match = blocks.ChoiceBlock(
        label=_("show when"), choices=ConditionMatch.choices, default="all"
    )
    rules = blocks.ListBlock(
        ConditionRuleBlock(), label=_("rules"), min_num=0, default=[]
    )

    class Meta:
        label = _("show only if")
        collapsed = True


def machine_name_from(label: str) -> str:
    """A machine name derived from a label: lowercase ASCII and underscores."""
    name = slugify(label).replace("-", "_")[:58] or "field"
    return name if name[0].isalpha() else f"f_{name}"


class FieldBlock(blocks.StructBlock):
    """What every answerable field has: label, help, required, name, condition."""

    label = blocks.CharBlock(label=_("label"), max_length=255)
    help_text = blocks.CharBlock(label=_("help text"), required=False)
    required = blocks.BooleanBlock(label=_("required"), required=False, default=True)
    name = blocks.RegexBlock(
        label=_("machine name"),
        regex=r"^[a-z][a-z0-9_]{0,59}$",
        error_messages={
            "invalid": _(
                "Use lowercase letters, digits and underscores, starting with a letter."
            )
        },
        required=False,
        help_text=MACHINE_NAME_HELP,
    )
    show_if = ShowIfBlock()

    def clean(self, value):
        value = super().clean(value)
        if not value.get("name"):
            value["name"] = machine_name_from(value["label"])
        return value


class TextFieldBlock(FieldBlock):
    max_length = blocks.IntegerBlock(
        label=_("maximum length"), required=False, min_value=1, max_value=10000
    )

    class Meta:
        label = _("Short text")
        icon = "pilcrow"


class LongTextFieldBlock(FieldBlock):
    class Meta:
        label = _("Long text")
        icon = "doc-full"


class EmailFieldBlock(FieldBlock):
    class Meta:
        label = _("Email")
        icon = "mail"


class PhoneFieldBlock(FieldBlock):
    country = blocks.ChoiceBlock(
        label=_("numbers of"),
        choices=[
            ("FR", _("France (06 12 34 56 78)")),
            ("CA", _("Canada ((819) 555-0123)")),
        ],
        required=False,
        help_text=_("Empty: French and Canadian numbers are both accepted."),
    )

    class Meta:
        label = _("Phone")
        icon = "mobile-alt"


# What a number answer may hold; its limits may hold no more, or the
# question could never be answered.
NUMBER_MAX_DIGITS, NUMBER_DECIMAL_PLACES = 14, 4


class NumberFieldBlock(FieldBlock):
    min_value = blocks.DecimalBlock(
        label=_("minimum"),
        required=False,
        max_digits=NUMBER_MAX_DIGITS,
        decimal_places=NUMBER_DECIMAL_PLACES,
    )
    max_value = blocks.DecimalBlock(
        label=_("maximum"),
        required=False,
        max_digits=NUMBER_MAX_DIGITS,
        decimal_places=NUMBER_DECIMAL_PLACES,
    )
    unit = blocks.CharBlock(
        label=_("unit"), required=False, max_length=20, help_text=_("e.g. kg")
    )
    whole = blocks.BooleanBlock(
        label=_("whole numbers only"),
        required=False,
        help_text=_("For what is counted: people, meals, parcels."),
    )

    class Meta:
        label = _("Number")
        icon = "order"

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_value"), value.get("max_value")
        if low is not None and high is not None and low > high:
            raise StructBlockValidationError(
                {"max_value": ValidationError(_("The maximum is below the minimum."))}
            )
        return value


class DatePeriod(models.TextChoices):
    """Which days a date question takes, counted from the day it is answered:
    fixed limits go stale, "not in the future" does not."""

    ANY = "any", _("Any date")
    PAST = "past", _("Today or earlier (a date of birth, of a donation)")
    FUTURE = "future", _("Today or later (a wished-for date, an appointment)")


def date_limits(value, *, today: date) -> tuple[date | None, date | None]:
    """The earliest and latest dates a date question takes on `today`: its
    fixed limits, narrowed by the period it takes (past or future)."""
    earliest, latest = value.get("min_date"), value.get("max_date")
    period = value.get("period") or DatePeriod.ANY
    if period == DatePeriod.PAST:
        latest = min(latest, today) if latest else today
    elif period == DatePeriod.FUTURE:
        earliest = max(earliest, today) if earliest else today
    return earliest, latest


class DateFieldBlock(FieldBlock):
    period = blocks.ChoiceBlock(
        label=_("dates taken"),
        choices=DatePeriod.choices,
        default=DatePeriod.ANY,
        help_text=_("Counted from the day the person answers, in your territory."),
    )
    min_date = blocks.DateBlock(label=_("earliest date"), required=False)
    max_date = blocks.DateBlock(label=_("latest date"), required=False)

    class Meta:
        label = _("Date")
        icon = "date"

    def clean(self, value):
        value = super().clean(value)
        earliest, latest = value.get("min_date"), value.get("max_date")
        if earliest and latest and earliest > latest:
            raise StructBlockValidationError(
                {
                    "max_date": ValidationError(
                        _("The latest date is before the earliest date.")
                    )
                }
            )
        # The period narrows the fixed limits from the day of answering: a
        # limit on the wrong side of today leaves no date to choose at all.
        # Today in the editor's time zone, which the admin sets to their
        # territory's: a day apart from the residents' at most.
        low, high = date_limits(value, today=timezone.localdate())
        if low and high and low > high:
            if value.get("period") == DatePeriod.PAST:
                limit, message = (
                    "min_date",
                    _(
                        "This earliest date is after today, and the question "
                        "takes only today or earlier: no date could be "
                        "chosen. Change the date or the dates taken."
                    ),
                )
            else:
                limit, message = (
                    "max_date",
                    _(
                        "This latest date is past, and the question takes "
                        "only today or later: no date could be chosen. "
                        "Change the date or the dates taken."
                    ),
                )
            raise StructBlockValidationError({limit: ValidationError(message)})
        return value


class ChoiceFieldBlock(FieldBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("choice")), label=_("choices"), min_num=0
    )

    def clean(self, value):
        value = super().clean(value)
        choices = [choice.strip() for choice in value.get("choices") or []]
        if not any(choices):
            raise StructBlockValidationError(
                {"choices": ValidationError(_("Add at least one choice."))}
            )
        if len(set(choices)) != len(choices):
            raise StructBlockValidationError(
                {"choices": ValidationError(_("Each choice must appear only once."))}
            )
        return value


class SingleChoiceFieldBlock(ChoiceFieldBlock):
    display = blocks.ChoiceBlock(
        label=_("display"),
        choices=[("radio", _("buttons")), ("select", _("drop-down list"))],
        default="radio",
    )

    class Meta:
        label = _("Single choice")
        icon = "radio-full"


class MultipleChoiceFieldBlock(ChoiceFieldBlock):
    class Meta:
        label = _("Multiple choice")
        icon = "tasks"


class YesNoFieldBlock(FieldBlock):
    class Meta:
        label = _("Yes / no")
        icon = "tick"


class ConsentFieldBlock(FieldBlock):
    purpose = blocks.TextBlock(
        label=_("what the person agrees to"),
        help_text=_("Say plainly what is done with the data, and for how long."),
    )

    class Meta:
        label = _("Consent")
        icon = "success"


class PostalCodeFieldBlock(FieldBlock):
    country = blocks.ChoiceBlock(
        label=_("country"),
        choices=[("FR", _("France (5 digits)")), ("CA", _("Canada (A1A 1A1)"))],
        default="FR",
    )

    class Meta:
        label = _("Postal code")
        icon = "site"


class AddressFieldBlock(FieldBlock):
    class Meta:
        label = _("Address")
        icon = "home"


FILE_TYPE_CHOICES = [
    ("pdf", "PDF"),
    ("jpg", "JPEG"),
    ("png", "PNG"),
    ("heic", "HEIC"),
]


class FileFieldBlock(FieldBlock):
    allowed_types = blocks.MultipleChoiceBlock(
        label=_("allowed file types"),
        choices=FILE_TYPE_CHOICES,
        default=["pdf", "jpg", "png"],
    )
    max_size_mb = blocks.IntegerBlock(
        label=_("maximum size (MB)"), default=10, min_value=1, max_value=25
    )

    class Meta:
        label = _("File")
        icon = "doc-full-inverse"


class InformationBlock(blocks.StructBlock):
    """Text shown to the person, with nothing to answer."""

    text = blocks.RichTextBlock(
        label=_("text"), features=["bold", "italic", "link", "ul", "ol"]
    )
    show_if = ShowIfBlock()

    class Meta:
        label = _("Information text")
        icon = "info-circle"


class StepBreakBlock(blocks.StructBlock):
    """Starts a new step of the form."""

    title = blocks.CharBlock(label=_("step title"), max_length=120)
    show_if = ShowIfBlock()

    class Meta:
        label = _("Step break")
        icon = "arrow-right"


# Questions whose choices the coordinator writes (yes and no are the
# interface's words), and every question answered by choosing.
WRITTEN_CHOICE_BLOCK_TYPES = {"single_choice", "multiple_choice"}
CHOICE_BLOCK_TYPES = {*WRITTEN_CHOICE_BLOCK_TYPES, "yes_no"}

ANSWERABLE_BLOCK_TYPES = {
    "short_text",
    "long_text",
    "email",
    "phone",
    "number",
    "date",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "consent",
    "postal_code",
    "address",
    "file",
}


def empty_step_breaks(stream) -> set[int]:
    """The positions of the step breaks that open a step with nothing in it:
    another step break, or the end of the form, comes right after them."""
    kinds = [child.block_type for child in stream]
    return {
        index
        for index, kind in enumerate(kinds)
        if kind == "step_break"
        and (index + 1 == len(kinds) or kinds[index + 1] == "step_break")
    }


class FormFieldsBlock(blocks.StreamBlock):
    """The ordered fields and step breaks of a form, checked as a whole."""

    short_text = TextFieldBlock()
    long_text = LongTextFieldBlock()
    email = EmailFieldBlock()
    phone = PhoneFieldBlock()
    number = NumberFieldBlock()
    date = DateFieldBlock()
    single_choice = SingleChoiceFieldBlock()
    multiple_choice = MultipleChoiceFieldBlock()
    yes_no = YesNoFieldBlock()
    consent = ConsentFieldBlock()
    postal_code = PostalCodeFieldBlock()
    address = AddressFieldBlock()
    file = FileFieldBlock()
    information = InformationBlock()
    step_break = StepBreakBlock()

    def clean(self, value):
        value = super().clean(value)
        block_errors = {}
        seen: dict[str, Any] = {}
        empty_steps = empty_step_breaks(value)
        for index, child in enumerate(value):
            error = self._check_child(
                child, seen, opens_empty_step=index in empty_steps
            )
            if error:
                block_errors[index] = error
            if child.block_type in ANSWERABLE_BLOCK_TYPES:
                seen.setdefault(child.value["name"], child)
        if not any(c.block_type in ANSWERABLE_BLOCK_TYPES for c in value):
            raise blocks.StreamBlockValidationError(
                non_block_errors=[_("Add at least one field to answer.")]
            )
        if block_errors:
            raise blocks.StreamBlockValidationError(block_errors=block_errors)
        return value

    @staticmethod
    def _check_child(child, earlier: dict[str, Any], *, opens_empty_step: bool = False):
        errors = {}
        if opens_empty_step:
            # The resident would be shown a page with nothing on it but
            # "Continue", counted in "Step 2 of 3".
            errors["title"] = ValidationError(
                _(
                    "Nothing follows this step break: add questions or a text "
                    "after it, or remove it."
                )
            )
        if child.block_type in ANSWERABLE_BLOCK_TYPES:
            name = child.value["name"]
            if name in earlier:
                errors["name"] = ValidationError(
                    _("Another field is already called “%(name)s”."),
                    params={"name": name},
                )
        rules = child.value["show_if"]["rules"]
        unknown = [rule["field"] for rule in rules if rule["field"] not in earlier]
        if unknown:
            errors["show_if"] = ValidationError(
                _(
                    "The condition refers to “%(names)s”, which is not an earlier "
                    "field of this form."
                ),
                params={"names": ", ".join(unknown)},
            )
        else:
            problems = [
                problem
                for rule in rules
                if (problem := rule_problem(rule, earlier[rule["field"]]))
            ]
            if problems:
                errors["show_if"] = ValidationError(" ".join(problems))
        return StructBlockValidationError(errors) if errors else None
