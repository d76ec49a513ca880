"""The form a person fills when taking a transition, and the note and file forms."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.utils import get_user_display_name
from wagtail.models import Revision

from content.models import PartnerOrganisation, TerritoryRole
from forms_library.blocks import ANSWERABLE_BLOCK_TYPES
from forms_library.forms import AttachmentField, build_field, published_form
from forms_library.models import FormDefinition
from workflows.blocks import AssignTo
from workflows.graph import Transition
from workflows.models import Case

# Machine names start with a letter, so these never collide with a form's own.
EXPECTED_STATE = "_expected_state"
CHOSEN_PERSON = "_assignee"


class PersonChoiceField(forms.ModelChoiceField):
    """People by their names (their login when they gave none)."""

    def label_from_instance(self, obj) -> str:
        return get_user_display_name(obj)


CHOSEN_PARTNER = "_partner"

ASSIGNABLE_ROLES = [TerritoryRole.COORDINATION, TerritoryRole.INTERVENTION]


def _assign_targets(transition: Transition) -> set[str]:
    return {
        effect["value"]["to"]
        for effect in transition.effects
        if effect["type"] == "assign"
    }


class TransitionForm(forms.Form):
    """The transition's own form (from the forms library) and the choices its
    effects need: the person or the partner the case goes to.

    All the form's questions show on one screen; conditions between them are
    not applied here (transition forms are short staff forms).
    """

    def __init__(self, *args, case: Case, transition: Transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.transition = transition
        self.form_revision: Revision | None = None
        self.fields[EXPECTED_STATE] = forms.CharField(
            widget=forms.HiddenInput, initial=case.state
        )
        if transition.form_id:
            self._add_form_fields(transition.form_id)
        targets = _assign_targets(transition)
        if AssignTo.CHOSEN_PERSON in targets:
            self.fields[CHOSEN_PERSON] = PersonChoiceField(
                queryset=get_user_model()
                .objects.filter(
                    is_active=True,
                    groups__territory_group__territory=case.territory_id,
                    groups__territory_group__role__in=ASSIGNABLE_ROLES,
                )
                .distinct()
                .order_by("last_name", "first_name", "username"),
                label=_("Assign to"),
            )
        if AssignTo.CHOSEN_PARTNER in targets:
            self.fields[CHOSEN_PARTNER] = forms.ModelChoiceField(
                queryset=PartnerOrganisation.objects.filter(
                    territory=case.territory_id
                ),
                label=_("Refer to the partner organisation"),
            )

    def _add_form_fields(self, form_id: int) -> None:
        definition = FormDefinition.objects.filter(pk=form_id, live=True).first()
        if definition is None:
            return  # the service refuses the transition with a clear message
        self.form_revision = definition.live_revision
        for child in published_form(self.form_revision)[0].fields:
            if (
                child.block_type in ANSWERABLE_BLOCK_TYPES
                and child.block_type != "file"
            ):
                self.fields[child.value["name"]] = build_field(
                    child.block_type, child.value, conditional=False
                )

    @property
    def needs_input(self) -> bool:
        """Whether the person has anything to fill, beyond confirming."""
        return len(self.fields) > 1

    def answers(self) -> dict[str, Any]:
        special = {EXPECTED_STATE, CHOSEN_PERSON, CHOSEN_PARTNER}
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in special
        }

    def written_text(self) -> str:
        """What the person wrote in the form's questions, as a note would
        hold it ("" when they wrote nothing).

        Read from what was posted, valid or not: when the case moved before
        the action could be taken, this is all that is left of their work.
        """
        lines = []
        for name, field in self.fields.items():
            if name in (EXPECTED_STATE, CHOSEN_PERSON, CHOSEN_PARTNER):
                continue
            shown = _written(field, self[name].value())
            if shown:
                lines.append(
                    _("%(question)s: %(answer)s")
                    % {"question": field.label, "answer": shown}
                )
        if not lines:
            return ""
        return "\n".join([str(self.transition.label), *lines])


def _written(field: forms.Field, value: Any) -> str:
    """A posted value as the person read it: a choice by its label."""
    if value is True:
        return str(_("Yes"))
    labels = dict(getattr(field, "choices", ()))
    values = value if isinstance(value, list | tuple) else [value]
    shown = [str(labels.get(v, v)).strip() for v in values if v not in (None, False)]
    return ", ".join(s for s in shown if s)


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by the team only, never by the person."),
    )


class CaseAttachmentForm(forms.Form):
    file = AttachmentField(
        allowed_types=["pdf", "jpg", "png"],
        max_size_mb=10,
        label=_("File"),
        help_text=_("PDF, JPG or PNG, 10 MB at most."),
    )
