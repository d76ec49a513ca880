"""Admin screens of the forms library, scoped to the user's territories."""

import json

import django_filters
from django.contrib import messages
from django.db.models import Q, QuerySet, TextField
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

from content.admin_headers import TitledAdminViewMixin
from content.admin_walls import (
    ChoosableSnippetChooserViewSet,
    TerritoryWallMixin,
    WalledSnippetViewSet,
    wall_object_views,
)
from content.dates import long_date
from content.permissions import territories_granting
from forms_library.admin_forms import CopyTemplateForm
from forms_library.answer_search import folded
from forms_library.blocks import CHOICE_BLOCK_TYPES
from forms_library.exports import submission_columns
from forms_library.forms import (
    YES_NO_CHOICES,
    answer_display,
    answerable_fields,
    displayed_answers,
)
from forms_library.models import (
    FormDefinition,
    IntakeFormPage,
    Submission,
    SubmissionFile,
)
from forms_library.services import form_definition_copy_from_template


class CopyTemplateView(TitledAdminViewMixin, FormView):
    """Start a territory's form from a shared template."""

    template_name = "wagtailadmin/generic/form.html"
    form_class = CopyTemplateForm
    header_icon = "copy"
    page_title = _("Start from a template")
    breadcrumbs_items = [
        *WagtailAdminTemplateMixin.breadcrumbs_items,
        {
            "url": reverse_lazy("wagtailsnippets_forms_library_formdefinition:list"),
            "label": FormDefinition._meta.verbose_name_plural,
        },
    ]

    def dispatch(self, request, *args, **kwargs):
        self.template = get_object_or_404(
            FormDefinition, pk=kwargs["pk"], territory__isnull=True, live=True
        )
        if not request.user.has_perm("forms_library.add_formdefinition"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.template.title

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "template": self.template,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label=_("Copy into this territory"),
            **kwargs,
        )

    def form_valid(self, form):
        copy = form_definition_copy_from_template(
            template=self.template,
            territory=form.cleaned_data["territory"],
            user=self.request.user,
        )
        messages.success(
            self.request,
            _("“%(title)s” was copied as a draft: adapt it, then publish it.")
            % {"title": copy.title},
        )
        return redirect(
            reverse("wagtailsnippets_forms_library_formdefinition:edit", args=[copy.pk])
        )


SUBMISSION_OBJECT_VIEWS = [
    "edit_view_class",
    "delete_view_class",
    "history_view_class",
    "usage_view_class",
]


def choosable_forms(user):
    """Forms a person may put on a page: published, of territories they run."""
    return FormDefinition.objects.filter(
        live=True, territory__in=territories_granting(user, "change")
    )


class FormDefinitionChooserViewSet(ChoosableSnippetChooserViewSet):
    """The form chooser of intake pages, inside the user's walls."""

    def choosable(self, request) -> QuerySet:
        return choosable_forms(request.user)


class FormDefinitionIndexView(SnippetIndexView):
    def get_edit_url(self, instance):
        # Only superusers change a shared template: the others' link to it
        # opens its copy screen rather than a page they may not see.
        if instance.is_template and not self.request.user.is_superuser:
            if not instance.live:
                return None
            return reverse(
                "wagtailsnippets_forms_library_formdefinition:copy_template",
                args=[instance.pk],
            )
        return super().get_edit_url(instance)


class FormDefinitionViewSet(WalledSnippetViewSet):
    """Forms of the user's territories, and the shared templates."""

    index_view_class = FormDefinitionIndexView

    model = FormDefinition
    icon = "form"
    menu_label = _("Forms")
    menu_order = 200
    add_to_admin_menu = True
    list_display = [
        "title",
        "territory",
        Column(
            "wording_country",
            label=_("worded for"),
            accessor="get_wording_country_display",
        ),
        LiveStatusTagColumn(label=_("status")),
    ]
    list_filter = ["live", "wording_country"]
    chooser_viewset_class = FormDefinitionChooserViewSet
    search_fields = ["title"]
    shared_with_everyone = True
    list_select_related = ("territory", "latest_revision")

    def get_queryset(self, request):
        """A coordinator sees the templates worded for their territories'
        countries (and those for any country), not the others'."""
        forms = super().get_queryset(request)
        if request.user.is_superuser:
            return forms
        countries = territories_granting(request.user, "view").values("country")
        return forms.filter(
            Q(territory__isnull=False)
            | Q(wording_country="")
            | Q(wording_country__in=countries)
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "copy-template/<int:pk>/",
                CopyTemplateView.as_view(),
                name="copy_template",
            ),
        ]


class SubmissionInspectView(TerritoryWallMixin, InspectView):
    """One submission, its answers labelled as in the revision it was filled with."""

    def get_fields_context(self):
        files = {f.field_name: f for f in self.object.files.all()}
        return super().get_fields_context() + [
            {
                "label": label,
                "value": self._value(name, shown, files),
                "component": None,
            }
            for name, label, shown in displayed_answers(
                self.object.revision, self.object.answers
            )
        ]

    def get_created_at_display_value(self) -> str:
        # In the admin's time zone, as the listing shows it (not UTC).
        return long_date(timezone.localtime(self.object.created_at), "DATETIME_FORMAT")

    def _value(self, name, shown, files):
        attachment = files.get(name)
        if attachment is None:
            return shown
        url = reverse("submissions:attachment", args=[self.object.pk, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


def attachment_download_view(request, pk: int, file_id: int):
    """Send one attachment to a person whose territories grant the submission."""
    attachment = get_object_or_404(
        SubmissionFile.objects.select_related("submission"),
        pk=file_id,
        submission_id=pk,
    )
    policy = policy_registry.get_by_type(Submission)
    if not policy.user_has_permission_for_instance(
        request.user, "view", attachment.submission
    ):
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
    )


def _forms_of_request(request):
    return FormDefinition.objects.filter(
        territory__in=territories_granting(request.user, "view")
    ).order_by("title")


class SubmissionFilterSet(WagtailFilterSet):
    """Filters offering only the forms of the user's territories."""

    form_definition = django_filters.ModelChoiceFilter(
        queryset=_forms_of_request, label=_("form")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("received at"),
        widget=DateRangePickerWidget,
        method="filter_received",
    )
    answer = django_filters.CharFilter(
        method="filter_answer", label=_("an answer contains")
    )

    class Meta:
        model = Submission
        fields = ["form_definition", "source", "created_at", "answer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once per request: the filters, `_is_multiple` and the listing's
        # columns all use it.
        self.chosen_form = chosen_form(self.request, self.data)
        self.chosen_fields = (
            [
                child
                for child in answerable_fields(self.chosen_form.live_revision)
                if child.block_type != "file"
            ]
            if self.chosen_form
            else []
        )
        # Once a form is chosen, its choice questions become filters too.
        for block in self.chosen_fields:
            if block.block_type not in CHOICE_BLOCK_TYPES:
                continue
            self.filters[ANSWER_FILTER_PREFIX + block.value["name"]] = (
                django_filters.ChoiceFilter(
                    label=block.value["label"],
                    choices=_choices_of(block),
                    method=self.filter_field_answer,
                    field_name=block.value["name"],
                )
            )

    def filter_field_answer(self, queryset, name, value):
        answer = KeyTransform(name, "answers")
        if not self._is_multiple(name):
            return queryset.alias(_answer=answer).filter(_answer=value)
        # A list of choices, as JSON text: PostgreSQL keeps letters such as
        # "É" as they are, SQLite escapes them (\u00c9); look for both.
        escaped = json.dumps(value)[1:-1]
        return queryset.alias(_answer=Cast(answer, TextField())).filter(
            Q(_answer__contains=f'"{value}"') | Q(_answer__contains=f'"{escaped}"')
        )

    def _is_multiple(self, name: str) -> bool:
        return any(
            block.value["name"] == name and block.block_type == "multiple_choice"
            for block in self.chosen_fields
        )

    def filter_received(self, queryset, name, value):
        """By the day received in the site's time zone, as the exports do.

        Compared as days, not as the first and last instants of a period: the
        first day of the calendar begins before the year 1 in UTC and its last
        day ends after the year 9999, which no database can compare.
        """
        if value.start is not None:
            queryset = queryset.filter(created_at__date__gte=value.start.date())
        if value.stop is not None:
            queryset = queryset.filter(created_at__date__lte=value.stop.date())
        return queryset

    def filter_answer(self, queryset, name, value):
        return queryset.filter(answers_folded__contains=folded(value.strip()))


class SubmissionIndexView(IndexView):
    def get_base_queryset(self):
        return Submission.objects.filter(
            territory__in=territories_granting(self.request.user, "view")
        ).select_related("form_definition", "territory")

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Enter a submission for someone"),
                url=reverse("submissions:enter"),
                icon_name="form",
            ),
        ]

    @cached_property
    def columns(self):
        """The usual columns, then one per question of the chosen form, those
        of its earlier revisions included (as its exports have them)."""
        chosen = self.filters.chosen_form if self.filters else None
        return super().columns + [
            Column(
                f"answer_{name}",
                label=label,
                accessor=_answer_of(name, kind),
            )
            for name, label, kind in (submission_columns(chosen) if chosen else [])
            if kind != "file"
        ]


ANSWER_FILTER_PREFIX = "answer_"


def chosen_form(request, data) -> FormDefinition | None:
    """The published form chosen in the filters; None when no form (or a
    form outside the walls) is chosen."""
    if (
        request is None
        or not data
        or not str(data.get("form_definition", "")).isdecimal()
    ):
        return None
    return (
        _forms_of_request(request)
        .filter(pk=data["form_definition"], live=True)
        .select_related("live_revision")
        .first()
    )


def _choices_of(block) -> list[tuple[str, str]]:
    if block.block_type == "yes_no":
        return [(value, str(label)) for value, label in YES_NO_CHOICES]
    return [(choice, choice) for choice in block.value["choices"]]


def _answer_of(name: str, kind: str):
    def answer(submission: Submission) -> str:
        return answer_display(submission.answers.get(name), kind)

    return answer


class EnterOnBehalfView(TitledAdminViewMixin, TemplateView):
    """The forms a staff member can fill for someone on the phone.

    Each opens the public form itself, signed in: the submission is then
    recorded as entered by staff, with their name.
    """

    template_name = "forms_library/enter_on_behalf.html"
    header_icon = "form"
    page_title = _("Enter a submission for someone")

    def get_context_data(self, **kwargs):
        territories = territories_granting(self.request.user, "view")
        pages = (
            IntakeFormPage.objects.live()
            .filter(form_definition__territory__in=territories)
            .select_related("form_definition__territory")
            .order_by("form_definition__territory__title", "title")
        )
        return super().get_context_data(pages=pages, **kwargs)


class SubmissionViewSet(ModelViewSet):
    """Submissions of the user's territories: read, filter, search."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wall_object_views(self, SUBMISSION_OBJECT_VIEWS)

    model = Submission
    icon = "list-ul"
    menu_label = _("Submissions")
    menu_order = 210
    add_to_admin_menu = True
    inspect_view_enabled = True
    index_view_class = SubmissionIndexView
    inspect_view_class = SubmissionInspectView
    filterset_class = SubmissionFilterSet
    inspect_view_fields = [
        "reference",
        "form_definition",
        "territory",
        "created_at",
        "source",
    ]
    list_display = ["reference", "form_definition", "territory", "created_at", "source"]
    search_fields = ["reference"]
    list_per_page = 50
    # Answers are not edited here; changing them will be its own use case.
    form_fields: list[str] = []

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<int:pk>/files/<int:file_id>/",
                attachment_download_view,
                name="attachment",
            ),
            path("enter/", EnterOnBehalfView.as_view(), name="enter"),
        ]
