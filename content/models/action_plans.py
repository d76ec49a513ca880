"""A territory's co-constructed action plan, its actions and its partner directory."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.models.territories import PartnerKind, TerritoryPage, TerritoryRole
from content.page_forms import ActionPageForm, ActionPlanPageForm


class PlanStatus(models.TextChoices):
    """Where a plan stands, from its co-construction to its end."""

    DRAFT = "draft", _("Being co-constructed")
    ADOPTED = "adopted", _("Adopted")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class ActionStatus(models.TextChoices):
    """Where an action stands; each status carries a default progress."""

    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    ABANDONED = "abandoned", _("Abandoned")


# Progress (%) of an action whose coordinator gave none, as in Decidim's
# accountability statuses. Abandoned actions do not count in a plan's progress.
ACTION_STATUS_PROGRESS: dict[str, int] = {
    ActionStatus.PLANNED: 0,
    ActionStatus.STARTED: 10,
    ActionStatus.IN_PROGRESS: 50,
    ActionStatus.COMPLETED: 100,
    ActionStatus.SUSPENDED: 25,
    ActionStatus.ABANDONED: 0,
}


class Audience(models.TextChoices):
    """The people an action is for (the programmes' four audiences)."""

    PROFESSIONALS = "professionals", _("Professionals")
    VOLUNTEERS = "volunteers", _("Food-aid volunteers")
    ELECTED = "elected", _("Elected officials")
    CONCERNED = "concerned", _("People concerned")


class CommitteeMemberBlock(blocks.StructBlock):
    """One member of the steering committee, as shown on the plan."""

    name = blocks.CharBlock(label=_("Name"), max_length=120)
    organisation = blocks.CharBlock(
        label=_("Organisation"), max_length=160, required=False
    )
    role = blocks.CharBlock(label=_("Role"), max_length=120, required=False)

    class Meta:
        icon = "user"
        label = _("Committee member")
        label_format = "{name}"


class ActionPlanPage(Page):
    """A territory's action plan: its period, governance, axes and actions."""

    introduction = RichTextField(_("introduction"), blank=True)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    axes = StreamField(
        [("axis", blocks.CharBlock(label=_("Axis"), max_length=160))],
        verbose_name=_("axes"),
        help_text=_("The plan's strategic axes; each action belongs to one."),
    )
    committee = StreamField(
        [("member", CommitteeMemberBlock())],
        blank=True,
        verbose_name=_("steering committee"),
    )
    partners = ParentalManyToManyField(
        "content.PartnerOrganisation",
        blank=True,
        related_name="action_plans",
        verbose_name=_("partner structures"),
    )
    proposal_workflow = models.ForeignKey(
        "workflows.WorkflowDefinition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("co-construction workflow"),
        help_text=_(
            "Proposals whose case reaches the state below become draft actions "
            "of this plan."
        ),
    )
    adoption_state = models.CharField(
        _("state “integrated into the plan”"),
        max_length=60,
        blank=True,
        help_text=_("Machine name of the state, e.g. integree."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("period_start"),
                FieldPanel("period_end"),
                FieldPanel("status"),
            ],
            heading=_("Period and status"),
        ),
        FieldPanel("axes"),
        MultiFieldPanel(
            [FieldPanel("committee"), FieldPanel("partners")],
            heading=_("Governance"),
        ),
        MultiFieldPanel(
            [FieldPanel("proposal_workflow"), FieldPanel("adoption_state")],
            heading=_("Co-construction"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    api_fields = [
        APIField("introduction"),
        APIField("period_start"),
        APIField("period_end"),
        APIField("status"),
        APIField("axes"),
        APIField("committee"),
        APIField("partner_names"),
        APIField("progress_percent"),
    ]

    base_form_class = ActionPlanPageForm
    parent_page_types = ["content.TerritoryPage"]
    subpage_types = ["content.ActionPage"]

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.period_start
            and self.period_end
            and self.period_end < self.period_start
        ):
            errors["period_end"] = _("The end of the period must come after its start.")
        names = [name.casefold() for name in self.axis_names]
        if len(names) != len(set(names)):
            errors["axes"] = _("Each axis appears once.")
        if self.adoption_state and not self.proposal_workflow_id:
            errors["proposal_workflow"] = _(
                "Choose the workflow this state belongs to."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def axis_names(self) -> list[str]:
        """The axes' names, in the plan's order."""
        return [str(child.value).strip() for child in self.axes if child.value]

    @property
    def partner_names(self) -> list[str]:
        return [partner.name for partner in self.partners.all()]

    @cached_property
    def territory(self) -> TerritoryPage:
        return TerritoryPage.objects.ancestor_of(self).get()

    def actions(self):
        """The plan's live, public actions, in the explorer's order."""
        return (
            ActionPage.objects.child_of(self)
            .live()
            .public()
            .select_related("lead_partner")
        )

    @property
    def progress_percent(self) -> int | None:
        """Mean progress of the plan's actions (abandoned ones aside)."""
        from content.selectors import plan_progress

        return plan_progress(plan=self)

    def get_context(self, request, *args, **kwargs):
        from content.selectors import latest_values_for, plan_progress, unit_totals

        context = super().get_context(request, *args, **kwargs)
        actions = list(self.actions().prefetch_related("indicators"))
        indicators = [i for action in actions for i in action.indicators.all()]
        latest = latest_values_for(indicators=indicators)
        by_axis: dict[str, list[dict]] = defaultdict(list)
        for action in actions:
            by_axis[action.axis].append(
                {
                    "action": action,
                    "indicators": [
                        (indicator, latest.get(indicator.pk))
                        for indicator in action.indicators.all()
                    ],
                }
            )
        context["axes"] = [
            (axis, by_axis.pop(axis, [])) for axis in self.axis_names
        ] + list(by_axis.items())
        context["progress"] = plan_progress(plan=self, actions=actions)
        context["unit_totals"] = unit_totals(indicators, latest)
        context["territory"] = self.territory
        return context


class ActionPage(Page):
    """One action of a plan: its axis, people, partners, status and indicators."""

    axis = models.CharField(_("axis"), max_length=160)
    description = RichTextField(_("description"), blank=True)
    lead_partner = models.ForeignKey(
        "content.PartnerOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_actions",
        verbose_name=_("lead structure"),
    )
    partners = ParentalManyToManyField(
        "content.PartnerOrganisation",
        blank=True,
        related_name="actions",
        verbose_name=_("partner structures"),
    )
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActionStatus.choices,
        default=ActionStatus.PLANNED,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Leave empty to use the status's usual progress."),
    )
    forms = ParentalManyToManyField(
        "forms_library.FormDefinition",
        blank=True,
        related_name="+",
        verbose_name=_("intake forms"),
    )
    workflows = ParentalManyToManyField(
        "workflows.WorkflowDefinition",
        blank=True,
        related_name="+",
        verbose_name=_("workflows"),
    )
    partner_section = RichTextField(
        _("section for partners"),
        blank=True,
        help_text=_(
            "Shown only to the territory's coordination, partners and steering "
            "committee once signed in."
        ),
    )
    source_case = models.OneToOneField(
        "workflows.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="action_page",
        verbose_name=_("proposal case"),
    )
    # A copy (next period's plan) is a new action: the proposal made only one.
    exclude_fields_in_copy = ["source_case"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("axis"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("progress"),
                FieldPanel("start_date"),
                FieldPanel("end_date"),
            ],
            heading=_("Status and dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audiences"),
                FieldPanel("lead_partner"),
                FieldPanel("partners"),
            ],
            heading=_("People and partners"),
        ),
        MultiFieldPanel(
            [FieldPanel("forms"), FieldPanel("workflows")],
            heading=_("Forms and workflows of the action"),
        ),
        InlinePanel("indicators", heading=_("Indicators"), label=_("Indicator")),
        FieldPanel("partner_section"),
    ]
    # The partner-only section is neither indexed nor served by the API.
    search_fields = [*Page.search_fields, index.SearchField("description")]
    api_fields = [
        APIField("axis"),
        APIField("description"),
        APIField("status"),
        APIField("progress_percent"),
        APIField("audiences"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("lead_partner_name"),
        APIField("partner_names"),
        APIField("indicators"),
    ]

    base_form_class = ActionPageForm
    parent_page_types = ["content.ActionPlanPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def clean(self) -> None:
        super().clean()
        errors = {}
        plan = self.plan
        if plan is not None and self.axis not in plan.axis_names:
            errors["axis"] = _("Choose one of the plan's axes.")
        if not isinstance(self.audiences, list) or not set(self.audiences) <= set(
            Audience.values
        ):
            errors["audiences"] = _("Choose audiences from the list.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end must come after the start.")
        if errors:
            raise ValidationError(errors)

    @cached_property
    def plan(self) -> ActionPlanPage | None:
        """The plan this action belongs to (None before it is placed in the tree)."""
        if not self.path or self.depth is None or self.depth < 2:
            return None
        parent = self.get_parent()
        return parent.specific if parent else None

    @property
    def progress_percent(self) -> int:
        """The progress given, or the status's usual progress."""
        if self.progress is not None:
            return self.progress
        return ACTION_STATUS_PROGRESS.get(self.status, 0)

    @property
    def lead_partner_name(self) -> str | None:
        return self.lead_partner.name if self.lead_partner_id else None

    @property
    def partner_names(self) -> list[str]:
        return [partner.name for partner in self.partners.all()]

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels[value]) for value in self.audiences if value in labels]

    def get_context(self, request, *args, **kwargs):
        from content.selectors import indicator_series, partner_section_visible_to

        context = super().get_context(request, *args, **kwargs)
        context["plan"] = self.get_parent().specific
        context["series"] = indicator_series(action=self)
        context["show_partner_section"] = bool(
            self.partner_section
        ) and partner_section_visible_to(request.user, self)
        return context


class PartnerDirectoryPage(Page):
    """The public directory of a territory's partner organisations, by kind."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["content.TerritoryPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("partner directory")
        verbose_name_plural = _("partner directories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        territory = self.get_parent().specific
        by_kind = defaultdict(list)
        for partner in territory.partners.order_by("name"):
            by_kind[partner.kind].append(partner)
        context["territory"] = territory
        context["partners_by_kind"] = [
            (label, by_kind[kind])
            for kind, label in PartnerKind.choices
            if by_kind[kind]
        ]
        return context


# Roles whose members read an action's partner-only section.
PARTNER_SECTION_ROLES = [
    TerritoryRole.COORDINATION,
    TerritoryRole.PARTNERS,
    TerritoryRole.STEERING_COMMITTEE,
]
