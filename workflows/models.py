"""Workflow definitions, the cases that move through them, and their timeline."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    Revision,
    RevisionMixin,
)
from wagtail.search import index

from content.models import PartnerOrganisation, TerritoryPage, TerritoryRole
from content.territory_moves import refuse_moving_while_used
from forms_library.attachments import stored_extension
from forms_library.forms import question_labels
from forms_library.models import Submission, private_storage
from workflows.admin_forms import MessageTemplateAdminForm, WorkflowDefinitionAdminForm
from workflows.blocks import WorkflowGraphBlock
from workflows.case_search import folded
from workflows.graph import Graph, graph_error_messages, graph_errors, graph_from_data
from workflows.placeholders import placeholder_errors
from workflows.tasks import NOTIFICATION_RETRIES


class WorkflowDefinition(
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    models.Model,
):
    """States and transitions a coordinator designs; cases follow a published revision.

    Owned by one territory, or a shared template when it has none.
    """

    title = models.CharField(_("title"), max_length=255)
    territory = models.ForeignKey(
        TerritoryPage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workflow_definitions",
        verbose_name=_("territory"),
        help_text=_("Leave empty to make this workflow a shared template."),
    )
    description = models.TextField(_("description"), blank=True)
    graph = StreamField(
        WorkflowGraphBlock(),
        verbose_name=_("states and transitions"),
        help_text=_(
            "Add the states first, then the transitions between them. The "
            "workflow is checked when you publish it."
        ),
    )
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="content_type",
        object_id_field="object_id",
        for_concrete_model=False,
        related_query_name="workflow_definition",
    )

    base_form_class = WorkflowDefinitionAdminForm
    panels = [
        FieldPanel("title"),
        FieldPanel("territory"),
        FieldPanel("description"),
        FieldPanel("graph"),
    ]
    # Every field the listing and the chooser filter on while searching.
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("territory"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_template(self) -> bool:
        return self.territory_id is None

    def clean(self) -> None:
        super().clean()
        # Its pages would go on opening cases in it, read by another
        # territory's coordination.
        refuse_moving_while_used(
            self,
            used_in=lambda _territory: (
                self.intake_pages.exists() or self.cases.exists()
            ),
            message=_(
                "This workflow already opens cases in its territory: it "
                "cannot move to another one. Copy it instead."
            ),
        )

    def graph_data(self) -> Graph:
        return graph_from_data(self.graph.raw_data)

    def get_preview_template(self, request, mode_name):
        return "workflows/workflow_preview.html"

    def get_preview_context(self, request, mode_name):
        from workflows.drawing import graph_drawing

        context = super().get_preview_context(request, mode_name)
        context["graph"] = self.graph_data()
        context["drawing"] = graph_drawing(context["graph"])
        return context

    def publish(self, revision, *args, **kwargs):
        # The admin form shows these errors on their blocks; this guard keeps
        # every other path (scripts, scheduled publishing) as strict.
        definition = revision.as_object()
        errors = graph_errors(
            definition.graph.raw_data,
            territory_id=definition.territory_id,
            workflow_id=definition.pk,
        )
        if errors is not None:
            raise ValidationError(graph_error_messages(errors))
        return super().publish(revision, *args, **kwargs)


_GRAPHS: dict[tuple[int, str], Graph] = {}


def graph_of_revision(revision: Revision) -> Graph:
    """The graph of one workflow revision; revisions never change, so it is kept."""
    key = (revision.pk, revision.created_at.isoformat())
    if key not in _GRAPHS:
        if len(_GRAPHS) > 512:
            _GRAPHS.clear()
        _GRAPHS[key] = revision.as_object().graph_data()
    return _GRAPHS[key]


class Case(models.Model):
    """One person's or organisation's request moving through a workflow.

    A case keeps the workflow revision it started with: publishing a new
    revision never changes the states or transitions of running cases.
    """

    workflow = models.ForeignKey(
        WorkflowDefinition,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("workflow"),
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("workflow revision"),
    )
    territory = models.ForeignKey(
        TerritoryPage,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("territory"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("submission"),
    )
    opened_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_cases",
        verbose_name=_("opened from"),
    )
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    title = models.CharField(_("name"), max_length=255, blank=True)
    # The name without accents or capitals, kept by save() for the search.
    title_folded = models.CharField(max_length=255, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=60)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned to"),
    )
    assigned_role = models.CharField(
        _("assigned to the group"),
        max_length=32,
        choices=TerritoryRole.choices,
        blank=True,
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("partner organisation"),
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last activity"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set when the person's data was wiped; state and dates stay for counts.
    anonymised_at = models.DateTimeField(
        _("anonymised at"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "title_folded"])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["territory", "closed_at"]),
            models.Index(fields=["workflow", "state"]),
            models.Index(fields=["deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def save(self, *args, **kwargs) -> None:
        # Folding may lengthen a name ("…" gives "..."): keep within the column.
        self.title_folded = folded(self.title)[:255]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_folded"}
        super().save(*args, **kwargs)

    @property
    def graph(self) -> Graph:
        return graph_of_revision(self.revision)

    @property
    def state_label(self) -> str:
        return self.graph.state(self.state).label

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_overdue(self) -> bool:
        return (
            self.deadline is not None
            and not self.is_closed
            and self.deadline < timezone.now()
        )


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    TRANSITION = "transition", _("Transition")
    NOTE = "note", _("Note")
    ATTACHMENT = "attachment", _("Attachment")
    ASSIGNMENT = "assignment", _("Assignment")
    REFERRAL = "referral", _("Referral to a partner")
    DEADLINE_PASSED = "deadline_passed", _("Deadline passed")
    LINKED_CASE = "linked_case", _("Linked case opened")


class CaseEvent(models.Model):
    """One thing that happened to a case, as its timeline shows it."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    transition = models.CharField(max_length=60, blank=True)
    # Labels as they were, so the timeline reads the same after a new revision.
    description = models.CharField(_("what happened"), max_length=255, blank=True)
    from_state = models.CharField(max_length=60, blank=True)
    to_state = models.CharField(max_length=60, blank=True)
    form_revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(
        _("answers"), encoder=DjangoJSONEncoder, default=dict, blank=True
    )
    text = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_kind_display()}"

    def labelled_answers(self) -> list[tuple[str, object]]:
        """The transition form's answers with the labels of its own revision."""
        if not self.form_revision_id:
            return []
        labels = question_labels(self.form_revision)
        return [(labels.get(name, name), value) for name, value in self.answers.items()]


def case_attachment_path(instance: "CaseAttachment", filename: str) -> str:
    folder = f"cases/{instance.case.territory_id}"
    return f"{folder}/{uuid.uuid4().hex}.{stored_extension(filename)}"


class CaseAttachment(models.Model):
    """A file staff attached to a case; private, served after a permission check."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("case"),
    )
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=case_attachment_path,
        max_length=255,
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    uploaded_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class MessageTemplate(PreviewableMixin, index.Indexed, models.Model):
    """A message coordinators write once and reuse in their workflows' effects.

    French first, English when a person uses the site in English.
    """

    title = models.CharField(_("title"), max_length=255)
    territory = models.ForeignKey(
        TerritoryPage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="message_templates",
        verbose_name=_("territory"),
        help_text=_("Leave empty to share this message with every territory."),
    )
    subject_fr = models.CharField(_("subject (French)"), max_length=150)
    body_fr = models.TextField(_("message (French)"))
    subject_en = models.CharField(_("subject (English)"), max_length=150, blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)

    base_form_class = MessageTemplateAdminForm
    panels = [
        FieldPanel("title"),
        FieldPanel("territory"),
        FieldPanel("subject_fr"),
        FieldPanel("body_fr"),
        FieldPanel("subject_en"),
        FieldPanel("body_en"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("territory"),
    ]

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = {
            name: " ".join(problems)
            for name in ("subject_fr", "body_fr", "subject_en", "body_en")
            if (problems := placeholder_errors(getattr(self, name)))
        }
        if bool(self.subject_en) != bool(self.body_en):
            errors.setdefault(
                "body_en" if self.subject_en else "subject_en",
                _("Write both the English subject and message, or neither."),
            )
        if errors:
            raise ValidationError(errors)

    def in_language(self, language: str) -> tuple[str, str]:
        """Subject and message in that language, French when not written."""
        if language == "en" and self.subject_en:
            return self.subject_en, self.body_en
        return self.subject_fr, self.body_fr

    def get_preview_template(self, request, mode_name):
        return "workflows/message_template_preview.html"

    def get_preview_context(self, request, mode_name):
        from workflows.notifications import message_preview

        context = super().get_preview_context(request, mode_name)
        context["previews"] = message_preview(self, request.user)
        return context


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")


# Longer than a message's retries take (30 s doubling five times, and a
# busy queue): a message still queued after that was lost.
RETRIES_LAST = timedelta(hours=1)


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message sent about a case, with its delivery status."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("case"),
    )
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recipient = models.CharField(_("recipient"), max_length=120)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=NotificationChannel.choices,
        default=NotificationChannel.EMAIL,
    )
    address = models.CharField(_("address or number"), max_length=254)
    language = models.CharField(
        _("language"), max_length=8, default=settings.LANGUAGE_CODE
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=NotificationStatus.choices,
        default=NotificationStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.address}"

    def may_still_arrive(self, now: datetime | None = None) -> bool:
        in_flight = self.status == NotificationStatus.QUEUED or (
            self.status == NotificationStatus.FAILED
            and self.attempts <= NOTIFICATION_RETRIES
        )
        return in_flight and self.created_at > (now or timezone.now()) - RETRIES_LAST

    def why_not_sent_again(self, now: datetime | None = None) -> str:
        """Why this message cannot be sent again now, or "" when it can.

        A message waiting for its first try, or failed with retries left, may
        still arrive: a second copy would reach the person twice. One that
        has waited longer than all its retries take was lost, and may be sent
        again. An erased address reaches nobody.
        """
        if self.may_still_arrive(now):
            return _("This message is still on its way: it cannot be sent again yet.")
        if not self.address:
            return _("The person's data was erased: there is no address to send it to.")
        return ""
