"""What data protection records: anonymisation runs and the incident register."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from content.models import TerritoryPage
from data_protection.admin_forms import DataIncidentAdminForm


class AnonymisationKind(models.TextChoices):
    RETENTION = "retention", _("End of the retention period")
    ERASURE = "erasure", _("Erasure asked by the person")


class AnonymisationCounts(models.Model):
    """What an anonymisation wiped, counted: in all, or in one territory."""

    submissions_count = models.PositiveIntegerField(_("submissions"), default=0)
    cases_count = models.PositiveIntegerField(_("cases"), default=0)
    files_deleted = models.PositiveIntegerField(_("files deleted"), default=0)
    history_rows = models.PositiveIntegerField(_("history rows wiped"), default=0)
    notifications_count = models.PositiveIntegerField(
        _("notifications wiped"), default=0
    )
    exports_withdrawn = models.PositiveIntegerField(
        _("export files withdrawn"), default=0
    )
    # Erasures list the references they wiped, so a later question ("was my
    # request done?") can be answered; a reference identifies nobody alone.
    references = models.JSONField(_("references"), default=list, blank=True)

    class Meta:
        abstract = True


class AnonymisationRun(AnonymisationCounts):
    """One pass that wiped personal data: what it touched and who asked.

    It keeps counts and references only, never what was wiped, so that
    coordinators can show what was done without keeping what was removed.
    """

    kind = models.CharField(_("why"), max_length=16, choices=AnonymisationKind.choices)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
        help_text=_("Empty when the scheduled job did it."),
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    territories = models.ManyToManyField(
        TerritoryPage, blank=True, related_name="+", verbose_name=_("territories")
    )
    note = models.CharField(
        _("note"),
        max_length=255,
        blank=True,
        help_text=_("When and how the request came; never the person's name."),
    )

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.started_at:%Y-%m-%d %H:%M}"


class AnonymisationRunTerritory(AnonymisationCounts):
    """What one run did in one territory: its counts and, for an erasure, its
    references. A territory's coordinators read these, never the run's totals,
    which mix the territories it touched and are for superusers only. Its
    exports withdrawn are those of this territory's forms and workflows.
    """

    run = models.ForeignKey(
        AnonymisationRun,
        on_delete=models.CASCADE,
        related_name="territory_shares",
        verbose_name=_("anonymisation"),
    )
    territory = models.ForeignKey(
        TerritoryPage,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("territory"),
    )

    class Meta:
        verbose_name = _("anonymisation in a territory")
        verbose_name_plural = _("anonymisations in a territory")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "territory"], name="one_share_per_run_and_territory"
            )
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.territory}"


class DataIncident(index.Indexed, models.Model):
    """A confidentiality incident of a territory, as Québec's Law 25 asks.

    Every incident involving personal information is entered, even one with
    no risk of serious injury; the register is kept at least five years.
    """

    territory = models.ForeignKey(
        TerritoryPage,
        on_delete=models.PROTECT,
        related_name="data_incidents",
        verbose_name=_("territory"),
    )
    title = models.CharField(
        _("short description"),
        max_length=255,
        help_text=_("e.g. Request file sent to the wrong partner."),
    )
    discovered_on = models.DateField(_("date discovered"))
    occurred_on = models.DateField(
        _("date it occurred"),
        null=True,
        blank=True,
        help_text=_("Leave empty if it is not known."),
    )
    nature = models.TextField(
        _("what happened"),
        help_text=_("Access, use, disclosure or loss not authorised by law."),
    )
    personal_data_concerned = models.TextField(
        _("personal information concerned"),
        help_text=_("The kinds of information, not the information itself."),
    )
    people_affected = models.PositiveIntegerField(
        _("number of people concerned"),
        null=True,
        blank=True,
        help_text=_("Leave empty if it is not known yet."),
    )
    serious_injury_risk = models.BooleanField(
        _("risk of serious injury"),
        default=False,
        help_text=_(
            "If so, tell the authority (Commission d'accès à l'information in "
            "Québec, CNIL in France within 72 hours) and the people concerned."
        ),
    )
    measures_taken = models.TextField(_("measures taken"), blank=True)
    reported_to_authority_on = models.DateField(
        _("reported to the authority on"), null=True, blank=True
    )
    reported_to_people_on = models.DateField(
        _("people concerned told on"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, editable=False
    )

    base_form_class = DataIncidentAdminForm
    panels = [
        FieldPanel("territory"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("discovered_on"), FieldPanel("occurred_on")]),
        FieldPanel("nature"),
        FieldPanel("personal_data_concerned"),
        FieldPanel("people_affected"),
        FieldPanel("serious_injury_risk"),
        FieldPanel("measures_taken"),
        MultiFieldPanel(
            [
                FieldPanel("reported_to_authority_on"),
                FieldPanel("reported_to_people_on"),
            ],
            heading=_("Reporting"),
        ),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("territory"),
    ]

    class Meta:
        verbose_name = _("data incident")
        verbose_name_plural = _("data incidents")
        ordering = ["-discovered_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.discovered_on:%Y-%m-%d} · {self.title}"

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        errors: dict[str, str] = {}
        if self.discovered_on and self.discovered_on > today:
            errors["discovered_on"] = _("This date is in the future.")
        if self.occurred_on and self.occurred_on > today:
            errors["occurred_on"] = _("This date is in the future.")
        elif self.occurred_on and self.discovered_on:
            if self.occurred_on > self.discovered_on:
                errors["occurred_on"] = _(
                    "An incident cannot occur after it was discovered."
                )
        for name in ("reported_to_authority_on", "reported_to_people_on"):
            reported = getattr(self, name)
            # The register says what was done, not what is planned: a date to
            # come is a slip of the keyboard (2062 for 2026) that an audit
            # would read as a report made.
            if reported and reported > today:
                errors[name] = _("This date is in the future.")
            elif reported and self.discovered_on and reported < self.discovered_on:
                errors[name] = _("It cannot be reported before it was discovered.")
        if errors:
            raise ValidationError(errors)
