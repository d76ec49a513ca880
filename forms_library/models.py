"""Form definitions, the public intake form page, and submissions."""

import uuid
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Page,
    PreviewableMixin,
    Revision,
    RevisionMixin,
)
from wagtail.search import index

from content.models import Country, TerritoryPage
from content.territory_moves import refuse_moving_while_used
from forms_library.admin_forms import FormDefinitionAdminForm, IntakeFormPageForm
from forms_library.answer_search import answers_folded
from forms_library.attachments import stored_extension
from forms_library.blocks import ANSWERABLE_BLOCK_TYPES, FormFieldsBlock
from forms_library.forms import question_labels

DEFAULT_RETENTION_MONTHS = 24
# A hundred years: beyond it, the date after which answers expire cannot be
# written, and the nightly anonymisation of every form would stop on it.
MAX_RETENTION_MONTHS = 1200


class FormDefinition(
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    models.Model,
):
    """A form a coordinator builds: its fields, purpose and retention.

    Owned by one territory, or a shared template when it has none. Each
    submission keeps the revision it was filled against.
    """

    title = models.CharField(_("title"), max_length=255)
    territory = models.ForeignKey(
        TerritoryPage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="form_definitions",
        verbose_name=_("territory"),
        help_text=_("Leave empty to make this form a shared template."),
    )
    wording_country = models.CharField(
        _("worded for"),
        max_length=2,
        choices=Country.choices,
        blank=True,
        help_text=_(
            "For a shared template: the country whose words it uses (offered "
            "to the territories of that country). Empty: any country."
        ),
    )
    purpose = models.TextField(
        _("purpose"),
        help_text=_("Why these answers are collected; shown to the person."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("retention (months after the last activity)"),
        default=DEFAULT_RETENTION_MONTHS,
        # Residents are told this figure: 0 would promise what never happens.
        validators=[
            MinValueValidator(1, _("Keep the answers for at least one month.")),
            MaxValueValidator(
                MAX_RETENTION_MONTHS,
                _("Keep the answers for at most %(limit_value)s months."),
            ),
        ],
    )
    fields = StreamField(FormFieldsBlock(), verbose_name=_("fields"))
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="content_type",
        object_id_field="object_id",
        for_concrete_model=False,
        related_query_name="form_definition",
    )

    base_form_class = FormDefinitionAdminForm
    panels = [
        FieldPanel("title"),
        FieldPanel("territory"),
        FieldPanel("wording_country"),
        MultiFieldPanel(
            [FieldPanel("purpose"), FieldPanel("retention_months")],
            heading=_("Data protection"),
        ),
        FieldPanel("fields"),
    ]
    # Every field the listings and the chooser filter on while searching.
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("territory"),
        index.FilterField("live"),
        index.FilterField("wording_country"),
    ]

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_template(self) -> bool:
        return self.territory_id is None

    def local_today(self) -> date:
        """The day it is where this form's residents live, in its territory's
        time zone: a date question counts its period from it."""
        if self.territory_id is None:
            return timezone.localdate()
        return timezone.localdate(timezone=ZoneInfo(self.territory.time_zone))

    def get_preview_template(self, request, mode_name):
        return "forms_library/form_definition_preview.html"

    def machine_names(self) -> dict[str, str]:
        """Block id → machine name of each answerable field."""
        return {
            child.id: child.value["name"]
            for child in self.fields
            if child.block_type in ANSWERABLE_BLOCK_TYPES
        }

    def _asked_by_workflows_of(self, territory_id: int | None) -> bool:
        """Whether a workflow of the territory asks this form on a transition:
        its staff answer it on their cases."""
        # Imported here: workflows builds on the forms library, not the reverse.
        from workflows.models import WorkflowDefinition

        workflows = WorkflowDefinition.objects.filter(territory_id=territory_id)
        return any(
            transition.form_id == self.pk
            for workflow in workflows
            for transition in workflow.graph_data().transitions
        )

    def publish(self, revision, *args, **kwargs):
        # The admin form shows this error above the questions; this guard keeps
        # every other path (scripts, scheduled publishing) as strict.
        from forms_library.bindings import unreachable_on_pages_showing

        definition = revision.as_object()
        errors = unreachable_on_pages_showing(definition, definition.fields)
        if errors:
            raise ValidationError(errors)
        return super().publish(revision, *args, **kwargs)

    def published_machine_names(self) -> dict[str, str]:
        """Block id → name in the live revision and every revision answered."""
        if self.pk is None:
            return {}
        answered = self.submissions.values_list("revision_id", flat=True).distinct()
        revisions = Revision.objects.filter(
            models.Q(pk=self.live_revision_id) | models.Q(pk__in=answered)
        ).order_by("pk")
        names: dict[str, str] = {}
        for revision in revisions:
            names.update(revision.as_object().machine_names())
        return names

    def clean(self) -> None:
        super().clean()
        if self.territory_id is not None:
            self.wording_country = ""  # a territory's form speaks its words
        refuse_moving_while_used(
            self,
            used_in=self._used_in,
            message=_(
                "This form is already shown on a page or answered in its "
                "territory: it cannot move to another one. Copy it instead."
            ),
        )
        published = self.published_machine_names()
        current = self.machine_names()
        renamed = [
            f"{old} → {current[block_id]}"
            for block_id, old in published.items()
            if current.get(block_id, old) != old
        ]
        taken = [
            name
            for block_id, name in current.items()
            if name in published.values() and published.get(block_id) != name
        ]
        if renamed or taken:
            raise ValidationError(
                {
                    "fields": _(
                        "Machine names cannot change or be given to another question "
                        "once the form is published (%(names)s). Change the label "
                        "instead."
                    )
                    % {"names": ", ".join(renamed + taken)}
                }
            )

    def _used_in(self, territory_id: int | None) -> bool:
        """Shown on a page, answered, or asked on a transition there."""
        return (
            self.intake_pages.exists()
            or self.submissions.exists()
            or self._asked_by_workflows_of(territory_id)
        )


class IntakeFormPage(RoutablePageMixin, Page):
    """A public page showing one published form, step by step."""

    form_definition = models.ForeignKey(
        FormDefinition,
        on_delete=models.PROTECT,
        related_name="intake_pages",
        verbose_name=_("form"),
    )
    workflow = models.ForeignKey(
        "workflows.WorkflowDefinition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_pages",
        verbose_name=_("workflow"),
        help_text=_("Each submission opens a case in this workflow's initial state."),
    )
    introduction = RichTextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    closed_message = models.TextField(
        _("message when closed"),
        blank=True,
        help_text=_("Shown instead of the form outside its opening dates."),
    )
    confirmation_text = RichTextField(_("confirmation text"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("form_definition"),
        FieldPanel("workflow"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
                FieldPanel("closed_message"),
            ],
            heading=_("Opening"),
        ),
        FieldPanel("confirmation_text"),
    ]

    base_form_class = IntakeFormPageForm
    parent_page_types = ["content.TerritoryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("intake form page")
        verbose_name_plural = _("intake form pages")

    @property
    def territory(self) -> TerritoryPage:
        # Its parent, by `parent_page_types`: one lookup by path, cheaper to
        # build than a search among ancestors, and paid by every submission.
        return TerritoryPage.objects.get(path=self.path[: -self.steplen])

    @path("", name="intake_form")
    def intake_form(self, request):
        from forms_library.wizard import intake_form_view

        return intake_form_view(request, self)

    @path("confirmation/", name="intake_confirmation")
    def intake_confirmation(self, request):
        from forms_library.wizard import intake_confirmation_view

        return intake_confirmation_view(request, self)

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        if self.opens_at and at < self.opens_at:
            return False
        return not (self.closes_at and at >= self.closes_at)

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The closing date must come after the opening date.")}
            )
        definition = self.form_definition if self.form_definition_id else None
        if definition is not None and not definition.live:
            raise ValidationError(
                {"form_definition": _("Publish this form before showing it on a page.")}
            )
        territory = (
            TerritoryPage.objects.ancestor_of(self).first() if self.path else None
        )
        if definition is not None and territory is not None:
            if definition.territory_id != territory.pk:
                raise ValidationError(
                    {"form_definition": _("Choose a form of this territory.")}
                )
        workflow = self.workflow if self.workflow_id else None
        if workflow is not None and not workflow.live:
            raise ValidationError(
                {"workflow": _("Publish this workflow before binding it to a page.")}
            )
        if workflow is not None and territory is not None:
            if workflow.territory_id != territory.pk:
                raise ValidationError(
                    {"workflow": _("Choose a workflow of this territory.")}
                )


class SubmissionSource(models.TextChoices):
    WEB = "web", _("Public form")
    API = "api", _("API")
    ADMIN = "admin", _("Entered by staff")


class Submission(models.Model):
    """One filled form, kept with the exact revision it was filled against."""

    form_definition = models.ForeignKey(
        FormDefinition,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("form"),
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("form revision"),
    )
    territory = models.ForeignKey(
        TerritoryPage,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("territory"),
    )
    intake_page = models.ForeignKey(
        IntakeFormPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("intake form page"),
    )
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    answers = models.JSONField(_("answers"), encoder=DjangoJSONEncoder, default=dict)
    consents = models.JSONField(
        _("consents given"), encoder=DjangoJSONEncoder, default=list
    )
    source = models.CharField(
        _("source"),
        max_length=8,
        choices=SubmissionSource.choices,
        default=SubmissionSource.WEB,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the person used; messages to them use it too."),
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    # One key per filling of the form, so a form sent twice is recorded once.
    idempotency_key = models.CharField(max_length=64, unique=True, editable=False)
    # Set when the person's data was wiped (retention or erasure); the row
    # stays so counts and indicators survive.
    anonymised_at = models.DateTimeField(
        _("anonymised at"), null=True, blank=True, editable=False
    )
    # The answers as a search reads them; rebuilt from them, never kept apart.
    answers_folded = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["answers_folded"])

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["territory", "-created_at"])]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        self.answers_folded = answers_folded(self.answers)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "answers" in update_fields:
            kwargs["update_fields"] = {*update_fields, "answers_folded"}
        super().save(*args, **kwargs)

    def labelled_answers(self) -> list[tuple[str, str, Any]]:
        """Each answer (name, label, value), labelled as in its own revision."""
        labels = question_labels(self.revision)
        return [
            (name, labels.get(name, name), value)
            for name, value in self.answers.items()
        ]


def private_storage():
    """Where residents' attachments live; never served without a check."""
    return storages["private"]


def attachment_path(instance: "SubmissionFile", filename: str) -> str:
    # Random names: the person's file name is kept in the row, not on disk.
    folder = f"submissions/{instance.submission.territory_id}"
    return f"{folder}/{uuid.uuid4().hex}.{stored_extension(filename)}"


class SubmissionFile(models.Model):
    """A file a person attached to a submission, in private storage."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("submission"),
    )
    field_name = models.CharField(_("field"), max_length=60)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_path, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReferenceSequence(models.Model):
    """The last reference number given under a territory code for one year.

    Keyed by the code rather than the territory, so a code that passes from
    one territory to another goes on numbering instead of repeating old
    references.
    """

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"], name="unique_reference_sequence_prefix"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class ExportKind(models.TextChoices):
    SUBMISSIONS = "submissions", _("Submissions of a form")
    CASES = "cases", _("Cases of a workflow")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (spreadsheet, any software)")
    XLSX = "xlsx", _("Excel (XLSX)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WithdrawalReason(models.TextChoices):
    """Why built export files were withdrawn, as their requester reads it."""

    ERASURE = (
        "erasure",
        _(
            "It held data a person asked us to erase: start it again to build "
            "it without them."
        ),
    )
    RETENTION = (
        "retention",
        _(
            "It held data kept longer than its form allows, now anonymised: "
            "start it again to build it without them."
        ),
    )


# What an export can be built again from.
RESTARTABLE_EXPORT_STATUSES = (ExportStatus.FAILED, ExportStatus.WITHDRAWN)


def export_path(instance: "DataExport", filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}/{filename}"


class DataExport(models.Model):
    """A file of submissions or cases a person asked for, built by Huey.

    What it holds is decided when it is built, within the walls of the person
    who asked; the file is private, downloaded after a check, and expires.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("asked by"),
    )
    kind = models.CharField(_("what"), max_length=16, choices=ExportKind.choices)
    form_definition = models.ForeignKey(
        FormDefinition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("form"),
    )
    workflow = models.ForeignKey(
        "workflows.WorkflowDefinition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workflow"),
    )
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    file_format = models.CharField(
        _("format"), max_length=8, choices=ExportFormat.choices
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
    )
    # Counted at each claim by a worker: a worker finishing an attempt that
    # was restarted since does not publish what it read.
    attempt = models.PositiveIntegerField(default=0, editable=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=export_path, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # A phrase, not "kind: subject": French puts a space before the colon.
        # Translators: e.g. "Submissions of a form: Food parcels (csv)".
        return pgettext(
            "what an export holds", "%(kind)s: %(subject)s (%(format)s)"
        ) % {
            "kind": self.get_kind_display(),
            "subject": self.form_definition or self.workflow,
            "format": self.file_format,
        }

    @property
    def withdrawal_reason(self) -> str:
        """Why it was withdrawn, in the reader's language."""
        if self.status != ExportStatus.WITHDRAWN:
            return ""
        try:
            return str(WithdrawalReason(self.error).label)
        except ValueError:
            return self.error  # written before reasons had codes

    @property
    def progress(self) -> int:
        """Percent done, for the progress bar."""
        if self.status == ExportStatus.DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
