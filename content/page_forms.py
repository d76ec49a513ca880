"""Admin forms of the plan and action pages: choices stay inside the territory.

A coordinator picks partners, forms, workflows and indicators only among
those of the territory the page belongs to, never another territory's.
"""

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from content.database_ids import as_storable_id
from content.models.territories import TerritoryPage


def _narrow(form: forms.BaseForm, name: str, queryset) -> None:
    field = form.fields.get(name)
    if field is not None:
        field.queryset = queryset
        # A choice widget built before this keeps its own (unscoped) choices.
        field.widget.choices = field.choices


def forget_refused_choices(form: forms.BaseForm, querysets: dict) -> None:
    """Empty the single choices refused for lying outside their queryset.

    Shown again with its errors, the form would hand the posted id back to
    its chooser, which names the object, another territory's too; and an id
    that is not one ("abc", from a garbled or tampered form) made Wagtail's
    chooser fail with a server error instead of showing the field's error.
    """
    refused = [
        name
        for name, queryset in querysets.items()
        if name in form.errors
        and isinstance(form.fields.get(name), forms.ModelChoiceField)
        and not isinstance(form.fields[name], forms.ModelMultipleChoiceField)
        and not _is_among(form[name].data, queryset)
    ]
    if refused:
        data = form.data.copy()
        for name in refused:
            data[form.add_prefix(name)] = ""
        form.data = data


def _is_among(value, queryset) -> bool:
    if not value:
        return True
    chosen = as_storable_id(value)
    return chosen is not None and queryset.filter(pk=chosen).exists()


class TerritoryScopedPageForm(WagtailAdminPageForm):
    """Narrows the partner, form and workflow choices to the page's territory."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory = TerritoryPage.containing(self.parent_page)
        partners = apps.get_model("content", "PartnerOrganisation").objects.filter(
            territory=self.territory
        )
        definitions = apps.get_model("forms_library", "FormDefinition").objects
        workflows = apps.get_model("workflows", "WorkflowDefinition").objects
        self.scoped_querysets = {
            "partners": partners,
            "lead_partner": partners,
            "forms": definitions.filter(territory=self.territory),
            "form": definitions.filter(territory=self.territory),
            "workflows": workflows.filter(territory=self.territory),
            "workflow": workflows.filter(territory=self.territory),
            "proposal_workflow": workflows.filter(territory=self.territory),
        }
        for name, queryset in self.scoped_querysets.items():
            _narrow(self, name, queryset)
        for name in ("partners", "forms", "workflows"):
            if name in self.fields:
                self.fields[name].widget = forms.CheckboxSelectMultiple(
                    choices=self.fields[name].choices
                )

    def full_clean(self):
        super().full_clean()
        forget_refused_choices(self, self.scoped_querysets)


class ActionPlanPageForm(TerritoryScopedPageForm):
    """The plan's partners and co-construction workflow come from its territory."""


class ActionPageForm(TerritoryScopedPageForm):
    """An action's axis is one of its plan's; its indicators stay in the plan."""

    audiences = forms.MultipleChoiceField(
        label=_("Audiences"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from content.models.action_plans import Audience

        super().__init__(*args, **kwargs)
        self.fields["audiences"].choices = Audience.choices
        plan = self.parent_page.specific if self.parent_page else None
        # The API's form (Wagtail's v3) writes the title, slug…, not the
        # axis: made a choice only where the form holds it, or the action
        # would be refused for an axis it was not sent.
        if "axis" in self.fields:
            axes = getattr(plan, "axis_names", [])
            current = self.initial.get("axis")
            choices = [(axis, axis) for axis in axes]
            if current and current not in axes:
                choices.append((current, current))  # shown, refused on save
            self.fields["axis"] = forms.ChoiceField(
                label=_("Axis"), choices=[("", "---------"), *choices]
            )
        indicators = apps.get_model("content", "Indicator").objects.filter(
            page__path__startswith=plan.path if plan else "-"
        )
        querysets = {**self.scoped_querysets, "components": indicators}
        for formset in self.formsets.values():
            formset.form = _scoped_form_class(formset.form, querysets)

    def clean_axis(self) -> str:
        axis = self.cleaned_data["axis"]
        plan = self.parent_page.specific if self.parent_page else None
        if plan is not None and axis not in plan.axis_names:
            raise forms.ValidationError(_("Choose one of the plan's axes."))
        return axis


def _scoped_form_class(form_class, querysets: dict):
    """A child form class whose choice fields keep to the given querysets."""

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        for name, queryset in querysets.items():
            _narrow(self, name, queryset)
        if "components" in self.fields:
            self.fields["components"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["components"].choices
            )

    def full_clean(self):
        form_class.full_clean(self)
        forget_refused_choices(self, querysets)

    return type(
        form_class.__name__,
        (form_class,),
        {"__init__": __init__, "full_clean": full_clean},
    )
