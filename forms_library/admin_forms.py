"""Admin forms of the forms library."""

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError

from content.admin_forms import StorableModelChoiceField, TerritoryOwnedAdminForm
from content.page_forms import forget_refused_choices
from content.permissions import territories_granting
from forms_library.bindings import unreachable_by_binding, unreachable_on_pages_showing


class FormDefinitionAdminForm(TerritoryOwnedAdminForm):
    """Offers only the user's territories; only superusers make shared templates."""

    shared_allowed = True
    territory_help_text = _("The territory this form belongs to.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only shared templates have a wording country, and only superusers
        # make them: a territory's form speaks its territory's words.
        own_form = self.instance.pk is not None and self.instance.territory_id
        if self.for_user is not None and (not self.for_user.is_superuser or own_form):
            self.fields.pop("wording_country", None)

    def clean(self):
        cleaned = super().clean()
        fields = cleaned.get("fields")
        publishing = bool(self.data.get("action-publish"))
        if publishing and self.instance.pk and fields is not None:
            messages = unreachable_on_pages_showing(self.instance, fields)
            if messages:
                self.add_error(
                    "fields", StreamBlockValidationError(non_block_errors=messages)
                )
        return cleaned


class CopyTemplateForm(forms.Form):
    """Where a shared template is copied: one of the user's territories, in
    the country the template is worded for."""

    territory = StorableModelChoiceField(
        queryset=None, label=_("Territory"), empty_label=None
    )

    def __init__(self, *args, user, template, **kwargs):
        super().__init__(*args, **kwargs)
        territories = territories_granting(user, "add").order_by("title")
        territory = self.fields["territory"]
        if template.wording_country:
            country = template.get_wording_country_display()
            territories = territories.filter(country=template.wording_country)
            territory.help_text = _(
                "This template is worded for %(country)s: only your territories "
                "there are offered."
            ) % {"country": country}
            territory.error_messages["required"] = _(
                "None of your territories is in %(country)s: start from the "
                "template worded for your country."
            ) % {"country": country}
        territory.queryset = territories


class IntakeFormPageForm(WagtailAdminPageForm):
    """An intake page shows a published form of its own territory, and opens
    its cases in a workflow of that territory.

    Checked here rather than only by the model: a new page has no place in
    the tree while its form is validated, so the model learns its territory
    only when the page is saved, too late to show the error.
    """

    def clean(self):
        cleaned = super().clean()
        if (
            "form_definition" not in self.fields
            and not self.instance.form_definition_id
        ):
            # The API's form (Wagtail's v3) cannot choose the form: a new page
            # would reach the database without one.
            raise forms.ValidationError(
                _("Create an intake page in the admin, where its form is chosen.")
            )
        definition = cleaned.get("form_definition")
        workflow = cleaned.get("workflow")
        if definition and workflow:
            for message in unreachable_by_binding(workflow, definition):
                self.add_error("workflow", message)
        territory = self.territory
        if definition and territory and definition.territory_id != territory.pk:
            self.add_error(
                "form_definition",
                _("Choose a form of this territory (%(territory)s).")
                % {"territory": territory.title},
            )
        if workflow and territory and workflow.territory_id != territory.pk:
            self.add_error("workflow", _("Choose a workflow of this territory."))
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        # Only this territory's forms and workflows may be shown again. The
        # API's form (Wagtail's v3) holds neither: it writes the title, slug…
        forget_refused_choices(
            self,
            {
                name: self.fields[name].queryset.filter(territory=self.territory)
                for name in ("form_definition", "workflow")
                if name in self.fields
            },
        )

    @cached_property
    def territory(self):
        from content.models import TerritoryPage

        return TerritoryPage.containing(self.parent_page)
