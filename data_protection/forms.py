"""Forms of the personal data screens: find a person's data, export, erase."""

from django import forms
from django.utils.translation import gettext_lazy as _

from data_protection.selectors import contact_kind


class PersonSearchForm(forms.Form):
    """An email address or a phone number, in any usual shape."""

    contact = forms.CharField(
        label=_("Email address or phone number"),
        max_length=254,
        help_text=_(
            "As the person gave it: 06 12 34 56 78, +33 6 12 34 56 78, "
            "(819) 555-0123 or name@example.org."
        ),
        error_messages={"required": _("Enter an email address or a phone number.")},
    )

    def clean_contact(self) -> tuple[str, str]:
        kind = contact_kind(self.cleaned_data["contact"])
        if kind is None:
            raise forms.ValidationError(
                _(
                    "This is neither an email address nor a French or North-American "
                    "phone number. Check it and try again."
                ),
                code="invalid_contact",
            )
        return kind


class ExportFormatForm(PersonSearchForm):
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("json", _("JSON (complete)")), ("csv", _("CSV (spreadsheet)"))],
        initial="json",
        error_messages={
            "required": _("Choose a format."),
            "invalid_choice": _("Choose JSON or CSV."),
        },
    )


class ErasureForm(forms.Form):
    """The confirmation an erasure needs before anything is wiped."""

    confirm = forms.BooleanField(
        label=_(
            "I confirm that the person asked for this erasure and that nothing "
            "obliges us to keep these data."
        ),
        error_messages={
            "required": _("Tick the box to confirm the erasure, or go back.")
        },
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        help_text=_(
            "When and how the request came (e.g. “email of 3 March”); never the "
            "person's name or contact."
        ),
        error_messages={"max_length": _("Keep the note under 255 characters.")},
    )
