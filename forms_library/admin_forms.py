"""Admin forms of the forms library."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from content.admin_forms import TerritoryOwnedAdminForm
from content.permissions import territories_granting


class FormDefinitionAdminForm(TerritoryOwnedAdminForm):
    """Offers only the user's territories; only superusers make shared templates."""

    shared_allowed = True
    territory_help_text = _("The territory this form belongs to.")


class CopyTemplateForm(forms.Form):
    """Where a shared template is copied: one of the user's territories."""

    territory = forms.ModelChoiceField(
        queryset=None, label=_("Territory"), empty_label=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories_granting(user, "add").order_by(
            "title"
        )


class IntakeFormPageForm(WagtailAdminPageForm):
    """An intake page shows a published form of its own territory."""

    def clean(self):
        cleaned = super().clean()
        definition = cleaned.get("form_definition")
        territory = self._territory()
        if definition and territory and definition.territory_id != territory.pk:
            self.add_error(
                "form_definition",
                _("Choose a form of this territory (%(territory)s).")
                % {"territory": territory.title},
            )
        return cleaned

    def _territory(self):
        from content.models import TerritoryPage

        parent = self.parent_page
        if parent is None:
            return None
        return TerritoryPage.objects.ancestor_of(parent, inclusive=True).first()
