"""Admin forms of the content app."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from content.database_ids import is_storable_id
from content.permissions import territories_granting


def _names_no_row(value) -> bool:
    """Whether a posted id is a number no row can have (see database_ids)."""
    try:
        return not is_storable_id(int(str(value)))
    except ValueError:
        return False  # not a number: the field's own check refuses it


class StorableModelChoiceField(forms.ModelChoiceField):
    """A choice by id that refuses an id past what a database stores as it
    refuses any id not offered, instead of sending it to the database."""

    def to_python(self, value):
        if value not in self.empty_values and _names_no_row(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class StorableModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several choices by id, refused in the same way."""

    def _check_values(self, value):
        for one in value:
            if _names_no_row(one):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": one},
                )
        return super()._check_values(value)


class TerritoryOwnedAdminForm(WagtailAdminModelForm):
    """The territory of a snippet: one the user may change things in.

    Only superusers may leave it empty, making a template shared with every
    territory, and only where the model allows it (`shared_allowed`).
    """

    shared_allowed = False
    territory_help_text = ""

    class Meta:
        field_classes = {"territory": StorableModelChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territory = self.fields.get("territory")
        if territory is None or self.for_user is None:
            return
        territory.queryset = territories_granting(self.for_user, "change").order_by(
            "title"
        )
        # A short list of the user's territories beats a page chooser here.
        territory.widget = forms.Select(choices=territory.choices)
        if not (self.shared_allowed and self.for_user.is_superuser):
            territory.required = True
            territory.empty_label = None
            if self.territory_help_text:
                territory.help_text = self.territory_help_text


class PartnerOrganisationAdminForm(TerritoryOwnedAdminForm):
    """Only the user's territories, and only people of those territories as members."""

    class Meta:
        field_classes = {
            **TerritoryOwnedAdminForm.Meta.field_classes,
            "members": StorableModelMultipleChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        territories = territories_granting(self.for_user, "change")
        members = self.fields["members"]
        members.queryset = (
            get_user_model()
            .objects.filter(
                is_active=True, groups__territory_group__territory__in=territories
            )
            .distinct()
            .order_by("username")
        )
        members.widget = forms.CheckboxSelectMultiple(choices=members.choices)
        members.help_text = _(
            "People of your territories; their accounts see the cases referred "
            "to this organisation."
        )
