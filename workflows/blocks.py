"""The blocks a coordinator builds a workflow with: states, then transitions.

States and transitions live in one StreamField so that the whole graph is
checked together and each error lands on the block it is about.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from content.models import TerritoryRole
from workflows.placeholders import placeholder_errors


class StateKind:
    INITIAL = "initial"
    IN_PROGRESS = "in_progress"
    FINAL_POSITIVE = "final_positive"
    FINAL_NEGATIVE = "final_negative"

    choices = [
        (INITIAL, _("Initial: where every case starts")),
        (IN_PROGRESS, _("In progress")),
        (FINAL_POSITIVE, _("Final: ended well")),
        (FINAL_NEGATIVE, _("Final: refused or abandoned")),
    ]
    final = {FINAL_POSITIVE, FINAL_NEGATIVE}


# Colours with a contrast of at least 4.5:1 against white text.
COLOUR_CHOICES = [
    ("slate", _("Grey")),
    ("blue", _("Blue")),
    ("green", _("Green")),
    ("orange", _("Orange")),
    ("red", _("Red")),
    ("purple", _("Purple")),
]

ASSIGNEE = "assignee"
PARTNER = "partner"
ACTOR_CHOICES = [
    *TerritoryRole.choices,
    (ASSIGNEE, _("The person the case is assigned to")),
    (PARTNER, _("The partner organisation the case is referred to")),
]

RESIDENT = "resident"
RECIPIENT_CHOICES = [
    (RESIDENT, _("The person who filled the form (email answer)")),
    (ASSIGNEE, _("The person the case is assigned to")),
    (PARTNER, _("The partner organisation the case is referred to")),
    *TerritoryRole.choices,
]


class AssignTo:
    ACTOR = "actor"
    CHOSEN_PERSON = "chosen_person"
    CHOSEN_PARTNER = "chosen_partner"
    NOBODY = "nobody"

    choices = [
        (ACTOR, _("The person taking the transition")),
        (CHOSEN_PERSON, _("A person of the territory, chosen when taking it")),
        (
            CHOSEN_PARTNER,
            _("A partner organisation, chosen when taking it (a referral)"),
        ),
        (NOBODY, _("Nobody: remove the person assigned")),
        (TerritoryRole.COORDINATION, _("The territory's coordination group")),
        (TerritoryRole.INTERVENTION, _("The territory's social workers")),
        (TerritoryRole.PARTNERS, _("The territory's partners group")),
        (TerritoryRole.STEERING_COMMITTEE, _("The territory's steering committee")),
    ]


def named_from_label(value):
    """A state's or transition's machine name, made from its name when left
    empty; a name of punctuation or emoji alone gives none, so one is asked."""
    if not value["name"]:
        value["name"] = slugify(value["label"]).replace("-", "_")[:60]
    if not value["name"]:
        message = _(
            "Write a machine name of letters or digits: the name above has none "
            "to make one from."
        )
    elif not re.fullmatch(r"[\w-]+", value["name"]):
        # It is part of an address: "a/../b" would act on "b".
        message = _("Use only letters, digits, _ and - in a machine name.")
    else:
        return value
    raise StructBlockValidationError({"name": ValidationError(message)})


class StateBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Name of the state"), max_length=80)
    name = blocks.CharBlock(
        label=_("Machine name"),
        required=False,
        max_length=60,
        help_text=_("Filled from the name if left empty; transitions may use either."),
    )
    kind = blocks.ChoiceBlock(
        label=_("Kind"), choices=StateKind.choices, default=StateKind.IN_PROGRESS
    )
    deadline_days = blocks.IntegerBlock(
        label=_("Deadline (days in this state)"),
        required=False,
        min_value=1,
        max_value=3650,
    )
    colour = blocks.ChoiceBlock(
        label=_("Colour"), choices=COLOUR_CHOICES, default="slate"
    )

    class Meta:
        icon = "circle-check"
        label = _("State")
        label_format = "{label}"
        form_classname = "struct-block workflow-state"

    def clean(self, value):
        return named_from_label(super().clean(value))


class Channel:
    EMAIL = "email"
    SMS = "sms"
    PREFERRED = "preferred"

    choices = [
        (EMAIL, _("Email")),
        (SMS, _("Text message (SMS)")),
        (PREFERRED, _("As the person chose in the form")),
    ]


class SnippetChoiceBlock(SnippetChooserBlock):
    """A snippet chooser that reads an id that is not one as no choice.

    Wagtail's raises (a server error) when the posted id is not a number;
    only a tampered or garbled request sends one, and it deserves the usual
    "this field is required" rather than a crash.
    """

    def value_from_form(self, value):
        try:
            return super().value_from_form(value)
        except (ValueError, TypeError, ValidationError):
            return None


class NotifyBlock(blocks.StructBlock):
    recipient = blocks.ChoiceBlock(label=_("Who"), choices=RECIPIENT_CHOICES)
    template = SnippetChoiceBlock(
        "workflows.MessageTemplate",
        label=_("Message template"),
        required=False,
        help_text=_("A shared message, in French and English; or write one below."),
    )
    subject = blocks.CharBlock(label=_("Subject"), max_length=150, required=False)
    message = blocks.TextBlock(
        label=_("Message"),
        required=False,
        help_text=_(
            "You may write {reference}, {name}, {first_name}, {state}, {territory}, "
            "{deadline} and {link}: they are replaced by the case's own."
        ),
    )
    channel = blocks.ChoiceBlock(
        label=_("Channel"), choices=Channel.choices, default=Channel.EMAIL
    )
    channel_question = blocks.CharBlock(
        label=_("Question of the form where the person chose"),
        required=False,
        max_length=60,
        help_text=_(
            "Its machine name. An answer mentioning SMS or texto sends a text "
            "message; otherwise an email. Without it: email when the person gave "
            "an address, else a text message."
        ),
    )

    class Meta:
        icon = "mail"
        label = _("Notify")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["template"] is None:
            for name in ("subject", "message"):
                if not value[name]:
                    errors[name] = ValidationError(
                        _("Write it, or choose a message template.")
                    )
        for name in ("subject", "message"):
            problems = placeholder_errors(value[name])
            if problems and name not in errors:
                errors[name] = ValidationError(" ".join(problems))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class AssignBlock(blocks.StructBlock):
    to = blocks.ChoiceBlock(label=_("Assign to"), choices=AssignTo.choices)

    class Meta:
        icon = "user"
        label = _("Assign")


class DeadlineBlock(blocks.StructBlock):
    days = blocks.IntegerBlock(
        label=_("Deadline in days"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Leave empty to remove the deadline."),
    )

    class Meta:
        icon = "time"
        label = _("Set or clear a deadline")


class OpenCaseBlock(blocks.StructBlock):
    workflow = SnippetChoiceBlock(
        "workflows.WorkflowDefinition", label=_("Workflow of the new case")
    )

    class Meta:
        icon = "link"
        label = _("Open a linked case")


class EffectsBlock(blocks.StreamBlock):
    notify = NotifyBlock()
    assign = AssignBlock()
    deadline = DeadlineBlock()
    open_case = OpenCaseBlock()

    class Meta:
        required = False


class TransitionBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        label=_("Label of the action"),
        max_length=80,
        help_text=_("What the button says, e.g. “Start the evaluation”."),
    )
    name = blocks.CharBlock(label=_("Machine name"), required=False, max_length=60)
    source = blocks.CharBlock(
        label=_("From state"), max_length=80, help_text=_("The name of a state above.")
    )
    target = blocks.CharBlock(
        label=_("To state"), max_length=80, help_text=_("The name of a state above.")
    )
    allowed = blocks.MultipleChoiceBlock(
        label=_("Who may take it"),
        choices=ACTOR_CHOICES,
        default=[TerritoryRole.COORDINATION, TerritoryRole.INTERVENTION],
    )
    form = SnippetChoiceBlock(
        "forms_library.FormDefinition",
        label=_("Form to fill when taking it"),
        required=False,
        help_text=_("For example evaluation notes or the reason for a refusal."),
    )
    effects = EffectsBlock(label=_("Effects"), required=False)

    class Meta:
        icon = "arrow-right"
        label = _("Transition")
        label_format = "{label}: {source} → {target}"
        form_classname = "struct-block workflow-transition"

    def clean(self, value):
        return named_from_label(super().clean(value))


DUPLICATE_MESSAGES = {
    "state": _("Another state already has the name “%s”: give each its own."),
    "transition": _("Another transition already has the name “%s”: give each its own."),
}


class WorkflowGraphBlock(blocks.StreamBlock):
    """States and transitions; names must be unique among each kind."""

    state = StateBlock()
    transition = TransitionBlock()

    def clean(self, value):
        value = super().clean(value)
        errors: dict[int, ValidationError] = {}
        for kind in ("state", "transition"):
            seen: set[str] = set()
            for index, child in enumerate(value):
                if child.block_type != kind:
                    continue
                name = child.value["name"]
                if name in seen:
                    errors[index] = StructBlockValidationError(
                        {"name": ValidationError(DUPLICATE_MESSAGES[kind] % name)}
                    )
                seen.add(name)
        if errors:
            raise StreamBlockValidationError(block_errors=errors)
        return value
