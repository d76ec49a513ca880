"""Admin screens of data protection: one person's data, anonymisations, incidents.

A contact (email, phone) is personal data itself: it travels in POST bodies,
never in a URL that access logs and browser history would keep.
"""

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import CreateView

from content.admin_headers import TitledAdminViewMixin
from content.admin_walls import WalledSnippetViewSet
from content.database_ids import is_storable_id
from content.permissions import territories_granting
from data_protection.exports import (
    personal_data_csv,
    personal_data_document,
    personal_data_json,
)
from data_protection.forms import ErasureForm, ExportFormatForm, PersonSearchForm
from data_protection.models import AnonymisationRun, DataIncident
from data_protection.selectors import (
    SEARCH_ACTION,
    anonymisation_runs_for,
    incidents_for,
    submissions_erasable_by,
    submissions_of_person,
)
from data_protection.services import personal_data_erase

logger = logging.getLogger("maillage")


def _check_can_search(user) -> None:
    if not territories_granting(user, SEARCH_ACTION).exists():
        raise PermissionDenied


class PersonalDataMixin(TitledAdminViewMixin):
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        _check_can_search(request.user)
        return super().dispatch(request, *args, **kwargs)


class PersonSearchView(PersonalDataMixin, FormView):
    """Find what a person sent, by the email or phone they gave."""

    template_name = "data_protection/person_search.html"
    form_class = PersonSearchForm
    page_title = _("Personal data of one person")

    def form_valid(self, form):
        kind, wanted = form.cleaned_data["contact"]
        submissions = list(
            submissions_of_person(self.request.user, kind=kind, wanted=wanted)
        )
        erasable = set(
            submissions_erasable_by(self.request.user)
            .filter(pk__in=[s.pk for s in submissions])
            .values_list("pk", flat=True)
        )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                searched=True,
                submissions=submissions,
                erasable=[s for s in submissions if s.pk in erasable],
                export_form=ExportFormatForm(
                    initial={"contact": form.data.get("contact")}
                ),
            )
        )


def person_export_view(request):
    """Everything found for a contact, as a JSON or CSV file."""
    _check_can_search(request.user)
    if request.method != "POST":
        return redirect("personal_data:index")
    form = ExportFormatForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("personal_data:index")
    kind, wanted = form.cleaned_data["contact"]
    submissions = submissions_of_person(request.user, kind=kind, wanted=wanted)
    document = personal_data_document(submissions)
    logger.info(
        "Personal data export by user %s: %s.",
        request.user.pk,
        ", ".join(s["reference"] for s in document["submissions"]) or "nothing",
    )
    # Named in the reader's language, as the data exports are.
    stem = slugify(pgettext("export file name", "personal data")) or "data"
    stamp = f"{timezone.localdate():%Y%m%d}"
    if form.cleaned_data["file_format"] == "csv":
        response = HttpResponse(
            "\ufeff" + personal_data_csv(document),
            content_type="text/csv; charset=utf-8",
        )
        name = f"{stem}-{stamp}.csv"
    else:
        response = HttpResponse(
            personal_data_json(document), content_type="application/json"
        )
        name = f"{stem}-{stamp}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class PersonEraseView(PersonalDataMixin, TemplateView):
    """Confirm, then erase the chosen submissions and their cases.

    Every submission asked for must be one the user may erase: one that is
    not answers 404, as any object outside a person's walls does.
    """

    template_name = "data_protection/person_erase.html"
    page_title = _("Erase personal data")
    breadcrumbs_items = [
        *WagtailAdminTemplateMixin.breadcrumbs_items,
        {
            "url": reverse_lazy("personal_data:index"),
            "label": PersonSearchView.page_title,
        },
    ]
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        return redirect("personal_data:index")

    def _submissions(self):
        ids = self.request.POST.getlist("submission")
        if not ids or not all(i.isdecimal() for i in ids):
            raise Http404
        wanted = {int(i) for i in ids}
        if not all(is_storable_id(pk) for pk in wanted):
            raise Http404
        submissions = (
            submissions_erasable_by(self.request.user)
            .filter(pk__in=wanted)
            .select_related("form_definition", "territory")
            .order_by("created_at")
        )
        if {s.pk for s in submissions} != wanted:
            raise Http404
        return submissions

    def post(self, request, *args, **kwargs):
        submissions = self._submissions()
        # Erased meanwhile (the button pressed twice, a colleague, the nightly
        # retention run): said plainly, and the others still go ahead.
        already = [s.reference for s in submissions if s.anonymised_at]
        if already:
            messages.warning(
                request,
                _("Already erased: %(references)s. Nothing more to do for them.")
                % {"references": ", ".join(already)},
            )
            submissions = submissions.filter(anonymised_at__isnull=True)
            if not submissions:
                return redirect("personal_data:runs")
        if "confirming" not in request.POST:
            return self.render_to_response(
                self.get_context_data(submissions=submissions, form=ErasureForm())
            )
        form = ErasureForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(submissions=submissions, form=form)
            )
        run = personal_data_erase(
            submissions=submissions, user=request.user, note=form.cleaned_data["note"]
        )
        said = _("Erased: %(references)s. The erasure is recorded.") % {
            "references": ", ".join(run.references)
        }
        if run.exports_withdrawn:
            said += " " + ngettext(
                "One export file holding these data was deleted.",
                "%(count)s export files holding these data were deleted.",
                run.exports_withdrawn,
            ) % {"count": run.exports_withdrawn}
        messages.success(request, said)
        return redirect("personal_data:runs")


class AnonymisationRunsView(PersonalDataMixin, TemplateView):
    """What was anonymised, when, by whom: counts and references only."""

    template_name = "data_protection/anonymisation_runs.html"
    page_title = _("Anonymisations")

    def get_context_data(self, **kwargs):
        runs = anonymisation_runs_for(self.request.user)[:100]
        user = self.request.user
        if user.is_superuser:
            lines = [_RunLine.totals_of(run) for run in runs]
        else:
            lines = [_RunLine.shares_of(run, reader=user) for run in runs]
        return super().get_context_data(runs=lines, **kwargs)


@dataclass
class _RunLine:
    """One run as a person may read it: its totals for superusers, else what
    it did in that person's territories only."""

    run: AnonymisationRun
    territories: list[str]
    submissions_count: int
    cases_count: int
    files_deleted: int
    exports_withdrawn: int
    references: list[str]
    note: str

    @classmethod
    def totals_of(cls, run: AnonymisationRun) -> "_RunLine":
        return cls(
            run=run,
            territories=[t.title for t in run.territories_named],
            submissions_count=run.submissions_count,
            cases_count=run.cases_count,
            files_deleted=run.files_deleted,
            exports_withdrawn=run.exports_withdrawn,
            references=run.references,
            note=run.note,
        )

    @classmethod
    def shares_of(cls, run: AnonymisationRun, *, reader) -> "_RunLine":
        shares = run.shares
        # The note was written about the whole request: it may speak of a
        # territory the reader does not coordinate, so only its author and
        # those who read every territory the run touched read it.
        whole_run_readable = len(shares) == run.territories_touched
        note = (
            run.note if whole_run_readable or run.performed_by_id == reader.pk else ""
        )
        return cls(
            run=run,
            territories=[share.territory.title for share in shares],
            submissions_count=sum(share.submissions_count for share in shares),
            cases_count=sum(share.cases_count for share in shares),
            files_deleted=sum(share.files_deleted for share in shares),
            exports_withdrawn=sum(share.exports_withdrawn for share in shares),
            references=[ref for share in shares for ref in share.references],
            note=note,
        )


class PersonalDataViewSet(ViewSet):
    """The person's rights: find, export and erase their data; the record."""

    icon = "user"
    menu_label = _("Personal data")
    menu_order = 240
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", PersonSearchView.as_view(), name="index"),
            path("export/", person_export_view, name="export"),
            path("erase/", PersonEraseView.as_view(), name="erase"),
            path("anonymisations/", AnonymisationRunsView.as_view(), name="runs"),
        ]

    @cached_property
    def menu_item_class(self):
        return type(
            "PersonalDataMenuItem",
            (MenuItem,),
            {
                "is_shown": lambda item, request: request.user.has_perm(
                    "forms_library.view_submission"
                )
            },
        )

    @property
    def menu_url(self):
        return reverse("personal_data:index")


# The incident register --------------------------------------------------------


class DataIncidentCreateView(CreateView):
    def save_instance(self):
        # Who recorded it is the person signed in, never a field to fill.
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class DataIncidentViewSet(WalledSnippetViewSet):
    """The incident register of the user's territories (Québec's Law 25)."""

    model = DataIncident
    icon = "warning"
    menu_label = _("Incidents")
    menu_order = 245
    add_to_admin_menu = True
    add_view_class = DataIncidentCreateView
    list_display = [
        "title",
        "territory",
        "discovered_on",
        BooleanColumn("serious_injury_risk", label=_("risk of serious injury")),
        "reported_to_authority_on",
    ]
    list_filter = ["serious_injury_risk"]
    search_fields = ["title"]

    def get_queryset(self, request):
        return incidents_for(request.user)
