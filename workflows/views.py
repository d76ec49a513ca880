"""Admin screens of workflows: definitions, the inbox, the board and the case page."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, TitleColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from content.admin_walls import ChoosableSnippetChooserViewSet, WalledSnippetViewSet
from content.models import PartnerOrganisation
from content.permissions import territories_granting
from forms_library.forms import displayed_answers
from workflows.case_search import cases_matching
from workflows.forms import EXPECTED_STATE, CaseAttachmentForm, CaseNoteForm
from workflows.models import (
    Case,
    CaseAttachment,
    MessageTemplate,
    Notification,
    WorkflowDefinition,
    graph_of_revision,
)
from workflows.notifications import notification_resend
from workflows.selectors import (
    CaseActors,
    cases_visible_to,
    inbox_for,
    may_open_board,
    workflows_of_cases_for,
    workflows_visible_to,
)
from workflows.services import (
    CaseActionRefused,
    case_add_attachment,
    case_add_note,
    case_moved_message,
    case_take_transition,
    case_transition_already_taken,
    transition_form_for,
)
from workflows.timeline import case_timeline


def choosable_workflows(user):
    """Workflows a person may bind to a page or a linked case: published, theirs."""
    return WorkflowDefinition.objects.filter(
        live=True, territory__in=territories_granting(user, "change")
    )


class WorkflowDefinitionChooserViewSet(ChoosableSnippetChooserViewSet):
    """The workflow chooser of pages and linked cases, inside the user's walls."""

    def choosable(self, request) -> QuerySet:
        return choosable_workflows(request.user)


class WorkflowDefinitionViewSet(WalledSnippetViewSet):
    """Workflows of the user's territories, and the shared templates."""

    model = WorkflowDefinition
    icon = "tasks"
    menu_label = _("Workflows")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title", "territory", LiveStatusTagColumn(label=_("status"))]
    list_filter = ["live"]
    chooser_viewset_class = WorkflowDefinitionChooserViewSet
    search_fields = ["title"]
    shared_with_everyone = True
    list_select_related = ("territory", "latest_revision")


class MessageTemplateViewSet(WalledSnippetViewSet):
    """Messages of the user's territories, and the shared ones."""

    model = MessageTemplate
    icon = "mail"
    menu_label = _("Messages")
    menu_order = 225
    add_to_admin_menu = True
    list_display = ["title", "territory"]
    search_fields = ["title"]
    shared_with_everyone = True


# The inbox -----------------------------------------------------------------


SCOPE_CHOICES = [
    ("mine", _("Assigned to me or my organisation")),
    ("groups", _("Assigned to my groups")),
    ("unassigned", _("Unassigned, in my territories")),
    ("all", _("All cases I can see, closed ones too")),
]


def _workflows_of_request(request):
    return workflows_of_cases_for(request.user).order_by("title")


def _partners_of_request(request):
    return PartnerOrganisation.objects.filter(
        Q(territory__in=territories_granting(request.user, "view"))
        | Q(members=request.user)
    ).distinct()


class InboxFilterSet(WagtailFilterSet):
    scope = django_filters.ChoiceFilter(
        choices=SCOPE_CHOICES,
        label=_("Cases"),
        method="filter_scope",
        empty_label=_("Waiting on me, my groups, or nobody"),
    )
    workflow = django_filters.ModelChoiceFilter(
        queryset=_workflows_of_request, label=_("Workflow")
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=[])
    overdue = django_filters.BooleanFilter(
        label=_("Past its deadline"), method="filter_overdue"
    )
    partner = django_filters.ModelChoiceFilter(
        queryset=_partners_of_request, label=_("Partner organisation")
    )

    class Meta:
        model = Case
        fields = ["scope", "workflow", "state", "overdue", "partner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["state"].extra["choices"] = self._state_choices()

    def _state_choices(self) -> list[tuple[str, str]]:
        """The states of the published workflows of the user's cases, by label."""
        if self.request is None:
            return []
        labels: dict[str, set[str]] = {}
        workflows = workflows_of_cases_for(self.request.user).filter(live=True)
        for workflow in workflows.select_related("live_revision"):
            for state in graph_of_revision(workflow.live_revision).states.values():
                labels.setdefault(state.name, set()).add(state.label)
        return sorted(
            ((name, " / ".join(sorted(names))) for name, names in labels.items()),
            key=lambda choice: choice[1].casefold(),
        )

    def filter_scope(self, queryset, name, value):
        return queryset  # applied by the view, which knows the user

    def filter_overdue(self, queryset, name, value):
        late = Q(deadline__lt=timezone.now(), closed_at__isnull=True)
        return queryset.filter(late) if value else queryset.exclude(late)


class StateColumn(Column):
    def get_value(self, instance):
        return instance.state_label


class DeadlineColumn(Column):
    cell_template_name = "workflows/includes/deadline_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        return {
            **super().get_cell_context_data(instance, parent_context),
            "case": instance,
        }


class InboxView(IndexView):
    page_title = _("My cases")
    default_ordering = "deadline"
    results_template_name = "workflows/inbox_results.html"

    def get_base_queryset(self):
        scope = self.request.GET.get("scope", "")
        # Searching looks through every case the person can see, not only
        # those waiting on them: a referred case is still theirs to find.
        searching = bool(self.request.GET.get("q", "").strip())
        if scope == "all" or (searching and not scope):
            cases = cases_visible_to(self.request.user)
        else:
            cases = inbox_for(self.request.user, scope=scope)
        return cases.select_related(
            "workflow", "revision", "assignee", "partner", "territory"
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return cases_matching(queryset, self.search_query)

    def get_edit_url(self, instance):
        return reverse("cases:case", args=[instance.pk])

    @property
    def columns(self):
        return [
            TitleColumn(
                "reference",
                label=_("reference"),
                get_url=self.get_edit_url,
                sort_key="reference",
            ),
            Column("title", label=_("name"), sort_key="title"),
            Column("workflow", label=_("workflow")),
            StateColumn("state", label=_("state")),
            Column(
                "assignee",
                label=_("assigned to"),
                accessor=lambda case: get_user_display_name(case.assignee),
            ),
            Column("partner", label=_("partner organisation")),
            DeadlineColumn("deadline", label=_("deadline"), sort_key="deadline"),
        ]


class CaseViewSet(ModelViewSet):
    """Cases: the inbox, the board of each workflow, the case page."""

    model = Case
    icon = "tasks"
    menu_label = _("My cases")
    menu_order = 100
    add_to_admin_menu = True
    index_view_class = InboxView
    filterset_class = InboxFilterSet
    search_fields = ["reference", "title"]
    list_per_page = 50
    # Cases change only through their transitions, notes and attachments.
    form_fields: list[str] = []

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/", CaseView.as_view(), name="case"),
            # Whatever a coordinator named the transition, "/" included.
            path(
                "<int:pk>/act/<path:transition_name>/",
                TransitionView.as_view(),
                name="transition",
            ),
            path("<int:pk>/note/", case_note_view, name="note"),
            path(
                "<int:pk>/messages/<int:notification_id>/resend/",
                notification_resend_view,
                name="resend",
            ),
            path("<int:pk>/attach/", case_attachment_view, name="attach"),
            path(
                "<int:pk>/attachments/<int:file_id>/",
                case_attachment_download_view,
                name="attachment",
            ),
            path("board/<int:workflow_id>/", BoardView.as_view(), name="board"),
        ]


# The case page and its actions -----------------------------------------


def _visible_case(request, pk: int) -> Case:
    """The case, or 404 when the user's walls do not show it."""
    return get_object_or_404(
        cases_visible_to(request.user).select_related(
            "revision",
            "territory",
            "workflow",
            "assignee",
            "partner",
            "submission__revision",
            "opened_from",
        ),
        pk=pk,
    )


class CaseView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/case.html"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.case = _visible_case(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.case.reference

    @cached_property
    def board_url(self) -> str | None:
        # A link the person may not follow would answer 404: the workflow's
        # name stays, as plain text, for those the board is closed to (None is
        # what Wagtail's breadcrumbs take for "no link").
        if not may_open_board(self.request.user, self.case.workflow_id):
            return None
        return reverse("cases:board", args=[self.case.workflow_id])

    def get_page_subtitle(self):
        return self.case.title

    @cached_property
    def opened_from_url(self) -> str | None:
        # A partner or a committee reaches a linked case handed to them, not
        # always the case it came from: that one stays named, as plain text,
        # rather than linked to a page that answers 404.
        origin = self.case.opened_from_id
        if origin is None or not (
            cases_visible_to(self.request.user).filter(pk=origin).exists()
        ):
            return None
        return reverse("cases:case", args=[origin])

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("cases:index"), "label": _("My cases")},
            {"url": self.board_url, "label": self.case.workflow.title},
            {"url": "", "label": self.case.reference},
        ]

    def get_context_data(self, **kwargs):
        case = self.case
        actors = CaseActors(self.request.user, case.territory)
        submission = case.submission
        draft = self.request.session.pop(_note_draft_key(self.case.pk), "")
        note_form = kwargs.pop("note_form", None) or CaseNoteForm(
            initial={"text": draft}
        )
        attachment_form = kwargs.pop("attachment_form", None) or CaseAttachmentForm()
        return super().get_context_data(
            case=case,
            board_url=self.board_url,
            transitions=actors.transitions(case),
            answers=[
                (label, shown)
                for _name, label, shown in displayed_answers(
                    submission.revision, submission.answers
                )
            ]
            if submission
            else [],
            timeline=case_timeline(case),
            attachments=case.attachments.all(),
            linked_cases=cases_visible_to(self.request.user).filter(opened_from=case),
            opened_from_url=self.opened_from_url,
            note_form=note_form,
            attachment_form=attachment_form,
            **kwargs,
        )


class TransitionView(WagtailAdminTemplateMixin, TemplateView):
    """Take one transition: its form when it has one, a confirmation otherwise."""

    template_name = "workflows/transition.html"
    header_icon = "arrow-right"

    def dispatch(self, request, *args, **kwargs):
        self.case = _visible_case(request, kwargs["pk"])
        actors = CaseActors(request.user, self.case.territory)
        self.transition = next(
            (
                t
                for t in actors.transitions(self.case)
                if t.name == kwargs["transition_name"]
            ),
            None,
        )
        if self.transition is None:
            expected = request.POST.get(EXPECTED_STATE)
            if expected and expected != self.case.state:
                # Taken from the page they loaded: the case moved since.
                return _answer_case_moved(request, self.case, kwargs["transition_name"])
            else:
                messages.error(
                    request,
                    _(
                        "This action cannot be taken now: the case may have moved, "
                        "or it is not yours to take."
                    ),
                )
            return redirect("cases:case", self.case.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.transition.label

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("cases:index"), "label": _("My cases")},
            {
                "url": reverse("cases:case", args=[self.case.pk]),
                "label": self.case.reference,
            },
            {"url": "", "label": self.transition.label},
        ]

    def get_page_subtitle(self):
        return f"{self.case.reference} {self.case.title}"

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or transition_form_for(
            case=self.case, transition=self.transition
        )
        return super().get_context_data(
            case=self.case,
            transition=self.transition,
            target=self.case.graph.state(self.transition.target),
            form=form,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            case = case_take_transition(
                case=self.case,
                transition_name=self.transition.name,
                user=request.user,
                data=request.POST,
            )
        except CaseActionRefused as refusal:
            if refusal.moved:
                self.case.refresh_from_db()
                return _answer_case_moved(request, self.case, self.transition.name)
            messages.error(request, refusal.message)
            if refusal.form is not None:
                return self.render_to_response(self.get_context_data(form=refusal.form))
            return redirect("cases:case", self.case.pk)
        messages.success(request, _taken_message(case))
        return redirect("cases:case", case.pk)


def _taken_message(case: Case) -> str:
    return _("%(reference)s is now “%(state)s”.") % {
        "reference": case.reference,
        "state": case.state_label,
    }


def _answer_case_moved(request, case: Case, transition_name: str):
    """The case moved since the person loaded the action: nothing is taken,
    and what they wrote in the action's form comes back in the note form of
    the case page, to keep as a note or copy, rather than vanish."""
    transition = case.graph.transition(transition_name)
    sent = (
        transition_form_for(case=case, transition=transition, data=request.POST)
        if transition is not None
        else None
    )
    if sent is not None and case_transition_already_taken(
        case=case, form=sent, user=request.user
    ):
        # The answer to their first post never showed: they get it now.
        messages.success(request, _taken_message(case))
        return redirect("cases:case", case.pk)
    messages.error(request, case_moved_message(case))
    written = (
        sent.written_text()
        if sent is not None and transition.target is not None
        else ""
    )
    if not written:
        return redirect("cases:case", case.pk)
    messages.warning(
        request,
        _(
            "What you wrote was not saved with the action: it is in the note "
            "below, to add to the case or to copy."
        ),
    )
    return _case_page(request, case, note_form=CaseNoteForm(initial={"text": written}))


def _note_draft_key(case_pk: int) -> str:
    return f"case_note_draft_{case_pk}"


def _case_page(request, case: Case, **forms) -> TemplateResponse:
    view = CaseView()
    view.setup(request, pk=case.pk)
    view.case = case
    return view.render_to_response(view.get_context_data(**forms))


def case_note_view(request, pk: int):
    case = _visible_case(request, pk)
    if request.method != "POST":
        return redirect("cases:case", pk)
    if request.FILES.get("file"):
        # The browser cannot be handed a file back: say so, not a word less.
        messages.warning(
            request,
            _(
                "The file you chose was not added: choose it again, then press "
                "“Add the file”."
            ),
        )
    form = CaseNoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, note_form=form)
    case_add_note(case=case, user=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Your note was added."))
    return redirect("cases:case", pk)


def case_attachment_view(request, pk: int):
    case = _visible_case(request, pk)
    if request.method != "POST":
        return redirect("cases:case", pk)
    # A note typed and not added yet travels with the file: it is given
    # back in the note box, neither lost nor added unfinished.
    note_draft = request.POST.get("text", "").strip()
    form = CaseAttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(
            request,
            case,
            attachment_form=form,
            note_form=CaseNoteForm(initial={"text": note_draft}),
        )
    case_add_attachment(case=case, user=request.user, upload=form.cleaned_data["file"])
    messages.success(request, _("The file was added to the case."))
    if note_draft:
        request.session[_note_draft_key(case.pk)] = note_draft
        messages.info(
            request, _("Your note is not added yet: it is still in the note box.")
        )
    return redirect("cases:case", pk)


def notification_resend_view(request, pk: int, notification_id: int):
    case = _visible_case(request, pk)
    if request.method != "POST":
        return redirect("cases:case", pk)
    notification = get_object_or_404(Notification, pk=notification_id, case=case)
    try:
        notification_resend(notification=notification, user=request.user)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return redirect("cases:case", pk)
    messages.success(
        request,
        _("The message to %(recipient)s is on its way again.")
        % {"recipient": notification.recipient},
    )
    return redirect("cases:case", pk)


def case_attachment_download_view(request, pk: int, file_id: int):
    case = _visible_case(request, pk)
    attachment = get_object_or_404(CaseAttachment, pk=file_id, case=case)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
    )


# The board -------------------------------------------------------------------


class BoardView(WagtailAdminTemplateMixin, TemplateView):
    """A column per state of the workflow; each card offers its transitions."""

    template_name = "workflows/board.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.workflow = get_object_or_404(
            workflows_visible_to(request.user).select_related(
                "territory", "live_revision"
            ),
            pk=kwargs["workflow_id"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.workflow.title

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("cases:index"), "label": _("My cases")},
            {"url": "", "label": self.workflow.title},
        ]

    def get_page_subtitle(self):
        return self.workflow.territory.title

    def get_context_data(self, **kwargs):
        cases = list(
            cases_visible_to(self.request.user)
            .filter(workflow=self.workflow, closed_at__isnull=True)
            .select_related("revision", "assignee", "partner")
            .order_by("deadline", "opened_at")[:500]
        )
        actors = CaseActors(self.request.user, self.workflow.territory)
        return super().get_context_data(
            workflow=self.workflow,
            columns=board_columns(self.workflow, cases, actors),
            now=timezone.now(),
            **kwargs,
        )


def board_columns(workflow: WorkflowDefinition, cases: list[Case], actors) -> list:
    """Columns in the order of the published graph; states only older revisions
    know come last, so no case is hidden."""
    graph = graph_of_revision(workflow.live_revision) if workflow.live else None
    columns: dict[str, dict] = {}
    if graph is not None:
        for state in graph.states.values():
            if not state.is_final:
                columns[state.name] = {"label": state.label, "cards": []}
    for case in cases:
        column = columns.setdefault(
            case.state, {"label": case.state_label, "cards": []}
        )
        column["cards"].append({"case": case, "transitions": actors.transitions(case)})
    return list(columns.values())
