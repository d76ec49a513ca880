"""Admin screens to ask for an export, follow it, download it."""

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from content.admin_headers import TitledAdminViewMixin
from content.permissions import territories_granting
from forms_library.exports import export_request, export_restart
from forms_library.models import (
    RESTARTABLE_EXPORT_STATUSES,
    DataExport,
    ExportFormat,
    ExportKind,
    ExportStatus,
    FormDefinition,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to export"),
        choices=ExportKind.choices,
        widget=forms.RadioSelect,
        initial=ExportKind.SUBMISSIONS,
    )
    form_definition = forms.ModelChoiceField(
        queryset=FormDefinition.objects.none(), label=_("Form"), required=False
    )
    workflow = forms.ModelChoiceField(
        queryset=FormDefinition.objects.none(), label=_("Workflow"), required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportFormat.choices,
        widget=forms.RadioSelect,
        initial=ExportFormat.XLSX,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        territories = territories_granting(user, "view")
        self.fields["form_definition"].queryset = FormDefinition.objects.filter(
            territory__in=territories
        ).order_by("title")
        workflow_model = apps.get_model("workflows", "WorkflowDefinition")
        self.fields["workflow"].queryset = workflow_model.objects.filter(
            territory__in=territories, live=True
        ).order_by("title")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ExportKind.SUBMISSIONS and not cleaned.get("form_definition"):
            self.add_error("form_definition", _("Choose the form to export."))
        if kind == ExportKind.CASES and not cleaned.get("workflow"):
            self.add_error("workflow", _("Choose the workflow to export."))
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", _("The end of the period comes before its start.")
            )
        if kind == ExportKind.SUBMISSIONS:
            cleaned["workflow"] = None
        else:
            cleaned["form_definition"] = None
        return cleaned


def _check_can_export(user) -> None:
    if not territories_granting(user, "view").exists():
        raise PermissionDenied


class ExportIndexView(TitledAdminViewMixin, FormView):
    """Ask for an export; see the ones asked for, with their progress."""

    template_name = "forms_library/exports.html"
    form_class = ExportRequestForm
    page_title = _("Exports")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        _check_can_export(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        exports = DataExport.objects.filter(requested_by=self.request.user)[:30]
        exports = list(exports.select_related("form_definition", "workflow"))
        return super().get_context_data(
            exports=exports,
            building=any(
                e.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for e in exports
            ),
            **kwargs,
        )

    def form_valid(self, form):
        export_request(user=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Your export is being built; this page shows its progress."),
        )
        return redirect("exports:index")


def _own_export(request, pk: int) -> DataExport:
    """The user's own export, while its form or workflow is still within their
    walls: leaving a territory also ends access to what was exported from it."""
    _check_can_export(request.user)
    territories = territories_granting(request.user, "view")
    return get_object_or_404(
        DataExport.objects.filter(
            Q(form_definition__territory__in=territories)
            | Q(workflow__territory__in=territories)
        ),
        pk=pk,
        requested_by=request.user,
    )


def export_download_view(request, pk: int):
    export = _own_export(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
    )


def export_restart_view(request, pk: int):
    export = _own_export(request, pk)
    if request.method == "POST" and export.status in RESTARTABLE_EXPORT_STATUSES:
        export_restart(export=export)
        messages.success(request, _("The export starts again."))
    return redirect("exports:index")


class ExportViewSet(ViewSet):
    icon = "download"
    menu_label = _("Exports")
    menu_order = 215
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", ExportIndexView.as_view(), name="index"),
            path("<int:pk>/download/", export_download_view, name="download"),
            path("<int:pk>/restart/", export_restart_view, name="restart"),
        ]

    @cached_property
    def menu_item_class(self):
        return type(
            "ExportMenuItem",
            (MenuItem,),
            {
                "is_shown": lambda item, request: request.user.has_perm(
                    "forms_library.view_submission"
                )
            },
        )

    @property
    def menu_url(self):
        return reverse("exports:index")
