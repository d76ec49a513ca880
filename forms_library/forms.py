"""Django forms built from a form definition's revision, one per step."""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import formats, timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from content.content_language import foreign_content_language
from content.dates import long_date
from forms_library.attachments import accepted_by_pickers, detected_type, named_as
from forms_library.blocks import (
    ANSWERABLE_BLOCK_TYPES,
    NUMBER_DECIMAL_PLACES,
    NUMBER_MAX_DIGITS,
    WRITTEN_CHOICE_BLOCK_TYPES,
    date_limits,
)
from forms_library.conditions import condition_sentence, is_shown
from forms_library.validators import (
    AttachmentValidator,
    normalise_phone,
    normalise_postal_code,
    phone_display,
    validate_canadian_postal_code,
    validate_french_postal_code,
    validate_phone,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


@dataclass
class Step:
    """One step of a form: its title, condition and blocks (fields, texts)."""

    key: str
    title: str
    show_if: dict = field(default_factory=dict)
    blocks: list = field(default_factory=list)

    def answerable(self) -> list:
        return [b for b in self.blocks if b.block_type in ANSWERABLE_BLOCK_TYPES]

    def is_shown(self, earlier: dict[str, Any]) -> bool:
        """Whether the step is shown after these earlier answers: its own
        condition holds, and the answers already given do not hide every one
        of its questions (an empty step would only ask to click on)."""
        if not is_shown(self.show_if, earlier):
            return False
        questions = self.answerable()
        own = {block.value["name"] for block in questions}
        return not questions or any(
            # A condition on a question of this same step is not known yet.
            _rule_fields(block.value["show_if"]) & own
            or is_shown(block.value["show_if"], earlier)
            for block in questions
        )

    @property
    def may_be_hidden(self) -> bool:
        return bool(self.show_if.get("rules")) or any(
            _rule_fields(block.value["show_if"]) for block in self.answerable()
        )


def steps_of(fields_stream) -> list[Step]:
    """Split a form's blocks into steps at each step break."""
    steps: list[Step] = []
    for child in fields_stream:
        if child.block_type == "step_break":
            steps.append(
                Step(
                    str(len(steps)), child.value["title"], dict(child.value["show_if"])
                )
            )
            continue
        if not steps:
            steps.append(Step("0", ""))
        steps[-1].blocks.append(child)
    return steps


_PUBLISHED: dict[tuple[int, str], tuple[Any, tuple[Step, ...]]] = {}


def published_form(revision) -> tuple[Any, tuple[Step, ...]]:
    """The form definition as one revision holds it, and its steps.

    A revision never changes, so each process reads it once: every step of
    every resident's form is then served without deserialising it again.
    Callers must not change what it returns.
    """
    key = (revision.pk, revision.created_at.isoformat())
    if key not in _PUBLISHED:
        if len(_PUBLISHED) > 256:
            _PUBLISHED.clear()
        definition = revision.as_object()
        _PUBLISHED[key] = (definition, tuple(steps_of(definition.fields)))
    return _PUBLISHED[key]


# Names a person's browser can fill in (WCAG 1.3.5), known by machine name.
NAME_AUTOCOMPLETE = {
    "prenom": "given-name",
    "first_name": "given-name",
    "nom": "family-name",
    "last_name": "family-name",
    "nom_complet": "name",
    "name": "name",
}


def answerable_fields(revision) -> list:
    """The questions of one form revision, in order (no texts, no step breaks)."""
    return [
        block for step in published_form(revision)[1] for block in step.answerable()
    ]


def answer_of_kind(revision, answers: dict[str, Any], block_type: str) -> str:
    """The first answer given to a question of this kind (the person's email
    address, phone number), or "" when they gave none."""
    for block in answerable_fields(revision):
        if block.block_type == block_type and answers.get(block.value["name"]):
            return answers[block.value["name"]]
    return ""


def _text_field(value, **kwargs) -> forms.Field:
    purpose = NAME_AUTOCOMPLETE.get(value.get("name", ""))
    attrs = {"autocomplete": purpose} if purpose else {}
    return forms.CharField(
        max_length=value.get("max_length") or 1000,
        widget=forms.TextInput(attrs=attrs),
        **kwargs,
    )


def _long_text_field(value, **kwargs) -> forms.Field:
    return forms.CharField(
        max_length=10000, widget=forms.Textarea(attrs={"rows": 5}), **kwargs
    )


def _email_field(value, **kwargs) -> forms.Field:
    return forms.EmailField(
        widget=forms.EmailInput(attrs={"autocomplete": "email"}), **kwargs
    )


class PhoneField(forms.CharField):
    widget = forms.TextInput(
        attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}
    )

    def __init__(self, *, country: str = "", **kwargs):
        super().__init__(**kwargs)
        self.validators.append(partial(validate_phone, country=country))

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_phone(value) if value else value


def _phone_field(value, **kwargs) -> forms.Field:
    return PhoneField(country=value.get("country") or "", max_length=32, **kwargs)


class _SpacedThousands:
    """A number as it is written in French: "1 200" or "1 200,50", its
    thousands apart (a space, a non-breaking or a narrow one)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())
        return super().to_python(value)


class WholeNumberField(_SpacedThousands, forms.IntegerField):
    pass


class DecimalNumberField(_SpacedThousands, forms.DecimalField):
    pass


def _number_field(value, **kwargs) -> forms.Field:
    if value.get("whole"):
        return WholeNumberField(
            min_value=value.get("min_value"),
            max_value=value.get("max_value"),
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            **kwargs,
        )
    attrs = {"inputmode": "decimal", "step": "any"}
    return DecimalNumberField(
        min_value=value.get("min_value"),
        max_value=value.get("max_value"),
        max_digits=NUMBER_MAX_DIGITS,
        decimal_places=NUMBER_DECIMAL_PLACES,
        localize=True,
        widget=forms.TextInput(attrs=attrs),
        **kwargs,
    )


def _date_field(value, *, today: date, **kwargs) -> forms.Field:
    validators = []
    attrs = {"type": "date"}
    earliest, latest = date_limits(value, today=today)
    if earliest:
        validators.append(
            MinValueValidator(
                earliest,
                _("Enter a date on or after %(date)s.") % {"date": long_date(earliest)},
            )
        )
        attrs["min"] = earliest.isoformat()
    if latest:
        validators.append(
            MaxValueValidator(
                latest,
                _("Enter a date on or before %(date)s.") % {"date": long_date(latest)},
            )
        )
        attrs["max"] = latest.isoformat()
    return forms.DateField(
        input_formats=DATE_INPUT_FORMATS,
        validators=validators,
        widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"),
        **kwargs,
    )


class WrittenChoicesSelect(forms.Select):
    """A list of the coordinator's choices: each says its language when the
    page speaks another ("Choose…" is the interface's and does not)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        language = foreign_content_language()
        if value and language:
            option["attrs"]["lang"] = language
        return option


def _single_choice_field(value, **kwargs) -> forms.Field:
    choices = [(choice, choice) for choice in value["choices"]]
    if value.get("display") == "select":
        return forms.ChoiceField(
            choices=[("", _("Choose…")), *choices],
            widget=WrittenChoicesSelect,
            **kwargs,
        )
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kwargs)


def _multiple_choice_field(value, **kwargs) -> forms.Field:
    return forms.MultipleChoiceField(
        choices=[(choice, choice) for choice in value["choices"]],
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


def _yes_no_field(value, **kwargs) -> forms.Field:
    return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **kwargs)


def _consent_field(value, **kwargs) -> forms.Field:
    kwargs["help_text"] = value["purpose"]
    return forms.BooleanField(**kwargs)


class PostalCodeField(forms.CharField):
    """A French or a Canadian postal code, stored as the post writes it."""

    def __init__(self, *, canadian: bool, **kwargs):
        self.canadian = canadian
        attrs = {"autocomplete": "postal-code"}
        if not canadian:
            attrs["inputmode"] = "numeric"
        validator = (
            validate_canadian_postal_code if canadian else validate_french_postal_code
        )
        super().__init__(
            max_length=10,
            validators=[validator],
            widget=forms.TextInput(attrs=attrs),
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_postal_code(value, canadian=self.canadian) if value else value


def _postal_code_field(value, **kwargs) -> forms.Field:
    return PostalCodeField(canadian=value.get("country") == "CA", **kwargs)


def _address_field(value, **kwargs) -> forms.Field:
    return forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        **kwargs,
    )


class RemovableFileInput(forms.ClearableFileInput):
    """A file input whose file already received may be removed.

    Django's clearable input, drawn as a plain input: the step's template
    says which file is kept and offers the box to remove it (named
    `<name>-clear`), for optional questions only. A new file chosen with the
    box ticked replaces the old one rather than asking to choose.
    """

    template_name = "django/forms/widgets/file.html"

    def value_from_datadict(self, data, files, name):
        upload = forms.FileInput.value_from_datadict(self, data, files, name)
        return upload or super().value_from_datadict(data, files, name)


class AttachmentField(forms.FileField):
    """A file of the allowed types, named after what it holds once valid."""

    def __init__(self, *, allowed_types: list[str], max_size_mb: int, **kwargs):
        kwargs.setdefault(
            "widget",
            RemovableFileInput(attrs={"accept": accepted_by_pickers(allowed_types)}),
        )
        super().__init__(
            validators=[AttachmentValidator(allowed_types, max_size_mb)], **kwargs
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is False:  # the person removed the file received before
            return None
        kind = detected_type(upload) if upload else None
        if kind:
            upload.name = named_as(upload.name, kind)
        return upload


def _file_field(value, **kwargs) -> forms.Field:
    return AttachmentField(
        allowed_types=list(value.get("allowed_types") or ["pdf", "jpg", "png"]),
        max_size_mb=value.get("max_size_mb") or 10,
        **kwargs,
    )


FIELD_BUILDERS: dict[str, Callable[..., forms.Field]] = {
    "short_text": _text_field,
    "long_text": _long_text_field,
    "email": _email_field,
    "phone": _phone_field,
    "number": _number_field,
    "date": _date_field,
    "single_choice": _single_choice_field,
    "multiple_choice": _multiple_choice_field,
    "yes_no": _yes_no_field,
    "consent": _consent_field,
    "postal_code": _postal_code_field,
    "address": _address_field,
    "file": _file_field,
}


def build_field(
    block_type: str, value, *, conditional: bool, today: date | None = None
) -> forms.Field:
    """The Django field for one block; a conditional field checks `required` later.

    `today` is the day the question is answered, where the person lives: a
    date question's period counts from it (the active time zone's by default).
    """
    kwargs = {"today": today or timezone.localdate()} if block_type == "date" else {}
    field_obj = FIELD_BUILDERS[block_type](
        value,
        label=value["label"],
        help_text=value.get("help_text") or "",
        required=bool(value["required"]) and not conditional,
        **kwargs,
    )
    field_obj.block_type = block_type
    field_obj.block_value = value
    return field_obj


def _rule_fields(show_if) -> set[str]:
    return {rule["field"] for rule in (show_if or {}).get("rules") or []}


def answer_display(value: Any, kind: str | None = None) -> str:
    """An answer as a person reads it, stored (JSON) or still being filled.

    Stored, a date or a number is text ("2026-12-10", "1.5"): with the kind
    of its question it reads as the review showed it (10 décembre 2026, 1,5).
    """
    if isinstance(value, str) and kind in STORED_AS_TEXT:
        try:
            value = STORED_AS_TEXT[kind](value)
        except (ValueError, ArithmeticError):
            pass  # an older revision's answer of another kind: shown as sent
    if kind == "phone" and isinstance(value, str) and value:
        return phone_display(value)
    if isinstance(value, dict) and "file" in value:
        return value["file"]
    if isinstance(value, File):
        return value.name
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if value is True or value == "yes":
        return str(_("Yes"))
    if value is False or value == "no":
        return str(_("No"))
    return "—" if value in (None, "") else str(formats.localize(value))


# How an answer stored as text (JSON) reads back as the value it was.
STORED_AS_TEXT: dict[str, Callable[[str], Any]] = {
    "date": date.fromisoformat,
    "number": Decimal,
}


def questions_by_name(revision) -> dict[str, Any]:
    """The questions of one form revision by machine name."""
    return {block.value["name"]: block for block in answerable_fields(revision)}


def question_labels(revision) -> dict[str, str]:
    """Each question's label in one form revision, by machine name."""
    return {name: q.value["label"] for name, q in questions_by_name(revision).items()}


def displayed_answers(revision, answers: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each answer (name, label, as read), labelled as in its own revision.

    An answer whose question the revision lacks keeps its machine name.
    """
    questions = questions_by_name(revision)
    shown = []
    for name, value in answers.items():
        question = questions.get(name)
        if question is None:
            shown.append((name, name, answer_display(value)))
        else:
            label = question.value["label"]
            shown.append((name, label, question_answer_display(question, value)))
    return shown


def question_answer_display(question, value: Any) -> str:
    """An answer as read, with its question's unit when it has one (2 €)."""
    display = answer_display(value, question.block_type)
    unit = question.value.get("unit") if question.block_type == "number" else ""
    return f"{display}\u00a0{unit}" if unit and display != "—" else display


def _is_empty(value: Any) -> bool:
    # Not `value in (None, "", [], False)`: 0 == False, and 0 is an answer.
    return value is None or value is False or value == "" or value == []


def _show_if_json(show_if) -> str:
    if not show_if:
        return ""
    rules = [dict(rule) for rule in show_if.get("rules") or []]
    return json.dumps({"match": show_if.get("match", "all"), "rules": rules})


# Machine names start with a letter, so this name can never collide with one.
HONEYPOT_FIELD = "_website"


class StepForm(forms.Form):
    """The fields of one step, with conditions enforced on the server.

    A field whose condition depends on earlier steps is left out when the
    condition fails. A field whose condition depends on this step is shown
    (the browser hides it when it can), and its answer is dropped on submit
    when the condition fails; it is required only when shown.
    """

    def __init__(
        self,
        *args,
        step: Step,
        earlier_answers: dict[str, Any],
        today: date | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.step = step
        self.earlier_answers = earlier_answers
        self.today = today
        self.items: list[dict[str, Any]] = []
        step_names = {b.value["name"] for b in step.answerable()}
        self._labels_so_far: dict[str, str] = {}
        self._conditional: set[str] = set()  # shown or not by this step's answers
        self._consents: set[str] = set()  # said with how long answers are kept
        # Files already received for this step, by field name: their names.
        self.kept_files: dict[str, str] = {}
        for block in step.blocks:
            self._add_block(block, step_names)
            if block.block_type in ANSWERABLE_BLOCK_TYPES:
                self._labels_so_far[block.value["name"]] = block.value["label"]
        # Invisible to people; robots that fill every input fill it too.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self._describe_fields()

    def _add_block(self, block, step_names: set[str]) -> None:
        show_if = block.value["show_if"]
        same_step = bool(_rule_fields(show_if) & step_names)
        if not same_step and not is_shown(show_if, self.earlier_answers):
            return
        item = {"block": block, "show_if": show_if if same_step else None}
        if same_step:
            item["condition"] = condition_sentence(show_if, self._labels_so_far)
        if block.block_type in ANSWERABLE_BLOCK_TYPES:
            name = block.value["name"]
            self.fields[name] = build_field(
                block.block_type, block.value, conditional=same_step, today=self.today
            )
            item["name"] = name
            if same_step:
                self._conditional.add(name)
            if block.block_type == "consent":
                self._consents.add(name)
        self.items.append(item)

    def clean(self):
        cleaned = super().clean()
        if cleaned.pop(HONEYPOT_FIELD, ""):
            raise forms.ValidationError(
                _("Your answers could not be accepted."), code="honeypot"
            )
        answers = dict(self.earlier_answers)
        for item in self.items:
            name = item.get("name")
            if name is None:
                continue
            if item["show_if"] is not None and not is_shown(item["show_if"], answers):
                cleaned.pop(name, None)
                self._errors.pop(name, None)
                continue
            value = cleaned.get(name)
            if item["block"].value["required"] and _is_empty(value):
                if name not in self._errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
            answers[name] = value
        return cleaned

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def _describe_fields(self) -> None:
        """Point each input at its help text and error for screen readers."""
        errors = self._errors or {}
        for name, bound in ((n, self[n]) for n in self.fields if n != HONEYPOT_FIELD):
            attrs = self.fields[name].widget.attrs
            described_by = []
            if name in self._conditional:
                described_by.append(f"{bound.auto_id}-condition")
            if self.fields[name].help_text:
                described_by.append(f"{bound.auto_id}-help")
            if name in self._consents:
                described_by.append(f"{bound.auto_id}-retention")
            if name in errors:
                described_by.append(f"{bound.auto_id}-error")
                attrs["aria-invalid"] = "true"
            if name in self.kept_files:
                described_by.append(f"{bound.auto_id}-kept")
            if described_by:
                attrs["aria-describedby"] = " ".join(described_by)

    def note_kept_file(self, name: str, file_name: str) -> None:
        """Say, by its input, that a file is already received for `name`."""
        self.kept_files[name] = file_name
        self._describe_fields()

    @property
    def honeypot_field(self):
        return self[HONEYPOT_FIELD]

    def visible_answers(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.fields and name != HONEYPOT_FIELD
        }

    def rendered_items(self):
        """What the template shows, in order: fields and information texts."""
        for item in self.items:
            widget = self.fields[item["name"]].widget if "name" in item else None
            yield {
                **item,
                "field": self[item["name"]] if "name" in item else None,
                "as_fieldset": isinstance(
                    widget, forms.RadioSelect | forms.CheckboxSelectMultiple
                ),
                "is_checkbox": isinstance(widget, forms.CheckboxInput),
                "choices_written": item["block"].block_type
                in WRITTEN_CHOICE_BLOCK_TYPES,
                "show_if_json": _show_if_json(item["show_if"]),
                "kept_file": self.kept_files.get(item.get("name", "")),
                "described_by": widget.attrs.get("aria-describedby", "")
                if widget
                else "",
            }


class ReviewForm(forms.Form):
    """The last step: the person reads their answers back before sending."""


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _as_form_data(
    steps: list[Step], raw: dict[str, Any]
) -> tuple[MultiValueDict, MultiValueDict, dict[str, list[str]]]:
    """JSON answers as an HTML form would send them (texts and files); odd
    shapes refused."""
    kinds = {b.value["name"]: b.block_type for step in steps for b in step.answerable()}
    data, files, errors = MultiValueDict(), MultiValueDict(), {}
    wrong_shape = [str(_("This value has the wrong shape for this field."))]
    for name, value in raw.items():
        if kinds.get(name) == "file":
            upload = _as_upload(value)
            if upload is None:
                errors[name] = [str(FILE_SHAPE_MESSAGE)]
            else:
                files[name] = upload
            continue
        values = value if isinstance(value, list) else [value]
        nested = any(isinstance(item, list | dict) for item in values)
        if nested or (isinstance(value, list) and kinds.get(name) != "multiple_choice"):
            errors[name] = wrong_shape
            continue
        data.setlist(name, [_as_text(item) for item in values])
    return data, files, errors


FILE_SHAPE_MESSAGE = _(
    'Send a file as {"name": "document.pdf", "content_base64": "…"}.'
)


def _as_upload(value: Any) -> SimpleUploadedFile | None:
    """A file sent in JSON, decoded; None when it is not shaped as one."""
    if not isinstance(value, dict) or set(value) != {"name", "content_base64"}:
        return None
    name, content = value["name"], value["content_base64"]
    if not isinstance(name, str) or not isinstance(content, str) or not name.strip():
        return None
    try:
        decoded = base64.b64decode(content, validate=True)
        # A name such as "." or "../x" is refused: files are named by their
        # base name only.
        return SimpleUploadedFile(name.strip()[:255], decoded)
    except (binascii.Error, ValueError, SuspiciousFileOperation):
        return None


def validate_answers(
    steps: list[Step], data: dict[str, Any], *, today: date | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check a whole set of answers (the API's way in), step by step, on the
    day `today` where the person lives.

    Returns the cleaned answers of the shown fields and the errors by field
    name; answers are usable only when there are no errors.
    """
    answers: dict[str, Any] = {}
    form_data, files, errors = _as_form_data(steps, data)
    for step in steps:
        if not step.is_shown(answers):
            continue
        form = StepForm(
            data=form_data,
            files=files,
            step=step,
            earlier_answers=answers,
            today=today,
        )
        if form.is_valid():
            answers.update(form.visible_answers())
        else:
            for name, messages in form.errors.items():
                errors.setdefault(name, [str(message) for message in messages])
    unknown = set(data) - {b.value["name"] for s in steps for b in s.answerable()}
    if unknown:
        errors["__all__"] = [
            str(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
        ]
    return answers, errors
