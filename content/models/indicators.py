"""Indicators of an action and the values computed for them over time."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable

machine_name_validator = RegexValidator(
    r"^[a-z0-9_]{1,60}$",
    _("Use the machine name of the question: lower-case letters, digits and _."),
)


class IndicatorSource(models.TextChoices):
    """Where an indicator's value comes from."""

    MANUAL = "manual", _("A value entered by hand")
    FORM_COUNT = "form_count", _("Number of submissions of a form")
    FORM_SUM = "form_sum", _("Sum of a number question of a form")
    WORKFLOW_STATE = "workflow_state", _("Number of cases that reached a state")
    INDICATORS_SUM = "indicators_sum", _("Sum of other indicators")


class Indicator(ClusterableModel, Orderable):
    """One measure of an action: what it counts, its unit, target and period."""

    page = ParentalKey(
        "content.ActionPage", on_delete=models.CASCADE, related_name="indicators"
    )
    label = models.CharField(_("label"), max_length=160)
    unit = models.CharField(
        _("unit"), max_length=30, blank=True, help_text=_("e.g. kg, meals, people.")
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    period_start = models.DateField(_("counted from"), null=True, blank=True)
    period_end = models.DateField(_("counted until"), null=True, blank=True)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=IndicatorSource.choices,
        default=IndicatorSource.MANUAL,
    )
    manual_value = models.DecimalField(
        _("value entered by hand"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    form = models.ForeignKey(
        "forms_library.FormDefinition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("form"),
    )
    field_name = models.CharField(
        _("number question"),
        max_length=60,
        blank=True,
        validators=[machine_name_validator],
        help_text=_("Machine name of the question to add up, e.g. poids_kg."),
    )
    filter_field = models.CharField(
        _("only answers where the question"),
        max_length=60,
        blank=True,
        validators=[machine_name_validator],
    )
    filter_value = models.CharField(
        _("has the answer"),
        max_length=255,
        blank=True,
        help_text=_(
            "As written in the form, e.g. Fruits; for a multiple choice, counted "
            "when this answer is among those ticked."
        ),
    )
    workflow = models.ForeignKey(
        "workflows.WorkflowDefinition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workflow"),
    )
    state = models.CharField(
        _("state reached"),
        max_length=60,
        blank=True,
        help_text=_("Machine name of the state, e.g. accompagnement."),
    )
    components = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        verbose_name=_("indicators added up"),
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("unit"), FieldPanel("target")]),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
        FieldPanel("source"),
        FieldPanel("manual_value"),
        MultiFieldPanel(
            [
                FieldPanel("form"),
                FieldPanel("field_name"),
                FieldRowPanel([FieldPanel("filter_field"), FieldPanel("filter_value")]),
            ],
            heading=_("From a form"),
        ),
        MultiFieldPanel(
            [FieldPanel("workflow"), FieldPanel("state")],
            heading=_("From a workflow"),
        ),
        FieldPanel("components"),
    ]
    api_fields = [
        APIField("id"),
        APIField("label"),
        APIField("unit"),
        APIField("target"),
        APIField("period_start"),
        APIField("period_end"),
        APIField("source"),
        APIField("latest"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def clean(self) -> None:
        super().clean()
        required = {
            IndicatorSource.MANUAL: ["manual_value"],
            IndicatorSource.FORM_COUNT: ["form"],
            IndicatorSource.FORM_SUM: ["form", "field_name"],
            IndicatorSource.WORKFLOW_STATE: ["workflow", "state"],
        }.get(self.source, [])
        errors = {
            name: _("Needed for this source.")
            for name in required
            if getattr(self, name) in (None, "")
        }
        if self.filter_value and not self.filter_field:
            errors["filter_field"] = _("Say which question the answer is of.")
        errors.update(self._unknown_names())
        if (
            self.period_start
            and self.period_end
            and self.period_end < self.period_start
        ):
            errors["period_end"] = _("The end of the period must come after its start.")
        if errors:
            raise ValidationError(errors)

    def _unknown_names(self) -> dict:
        """Questions and states named that the chosen form or workflow lacks."""
        errors = {}
        if self.form_id and self.source in (
            IndicatorSource.FORM_COUNT,
            IndicatorSource.FORM_SUM,
        ):
            names = self.form.machine_names()
            questions = {
                names[child.id]: child
                for child in self.form.fields
                if child.id in names
            }
            kinds = {name: child.block_type for name, child in questions.items()}
            for attribute in ("field_name", "filter_field"):
                name = getattr(self, attribute)
                if name and name not in kinds:
                    errors[attribute] = _("This form has no question “%(name)s”.") % {
                        "name": name
                    }
            # Any other answer adds up to 0 (a text, a date…): the indicator
            # would show nothing every day, and nobody would say why.
            summed = kinds.get(self.field_name)
            if self.source == IndicatorSource.FORM_SUM and summed not in (
                None,
                "number",
            ):
                errors["field_name"] = _(
                    "“%(name)s” is not a number question: only numbers add up. "
                    "Choose a number question, or count the answers instead."
                ) % {"name": self.field_name}
            if problem := self._filter_value_problem(questions.get(self.filter_field)):
                errors["filter_value"] = problem
        if self.workflow_id and self.source == IndicatorSource.WORKFLOW_STATE:
            states = self.workflow.graph_data().states
            if self.state and self.state not in states:
                errors["state"] = _("This workflow has no state “%(name)s”.") % {
                    "name": self.state
                }
        return errors

    def _filter_value_problem(self, question) -> str | None:
        """Why the chosen answer is not one of the question's choices (a
        "Fruit" for "Fruits" would count nothing, every day, silently)."""
        from forms_library.conditions import CHOICE_KINDS, rule_problem

        if not self.filter_value or question is None:
            return None
        if question.block_type not in CHOICE_KINDS:
            return None
        return rule_problem(
            {"operator": "equals", "value": self.filter_value}, question
        )

    @property
    def latest(self) -> dict | None:
        """The last computed value, for the API."""
        value = self.values.order_by("-day").first()
        if value is None:
            return None
        return {
            "value": float(value.value),
            "day": value.day.isoformat(),
            "computed_at": value.computed_at.isoformat(),
        }


class IndicatorValue(models.Model):
    """An indicator's value on one day; recomputing during the day updates it."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("indicator"),
    )
    day = models.DateField(_("day"))
    value = models.DecimalField(
        _("value"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "day"], name="unique_indicator_value_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.day})"
