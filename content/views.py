"""Admin screens of the content app: the partner directory, the funder report."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList

from content.admin_forms import PartnerOrganisationAdminForm
from content.admin_walls import WalledSnippetViewSet
from content.database_ids import is_storable_id
from content.models import ActionPlanPage, PartnerOrganisation, TerritoryRole
from content.reports import ReportPeriodForm, plan_report, plan_report_xlsx
from content.selectors import territories_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PartnerViewSet(WalledSnippetViewSet):
    """The partner directory of the user's territories."""

    model = PartnerOrganisation
    icon = "group"
    menu_label = _("Partners")
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["name", "kind", "territory", "email"]
    list_filter = ["kind"]
    edit_handler = ObjectList(
        [
            FieldPanel("territory"),
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("services"),
            MultiFieldPanel(
                [FieldPanel("email"), FieldPanel("phone"), FieldPanel("address")],
                heading=_("Contact"),
            ),
            FieldPanel("members"),
        ],
        base_form_class=PartnerOrganisationAdminForm,
    )


def user_may_report_on(user, plan: ActionPlanPage) -> bool:
    """Only the coordination of the plan's territory (and superusers) export it."""
    return (
        territories_for(user, roles=[TerritoryRole.COORDINATION])
        .filter(pk=plan.territory.pk)
        .exists()
    )


def plan_report_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan's funder report over a period: printable page, or XLSX download."""
    if not is_storable_id(plan_id):
        raise Http404
    plan = get_object_or_404(ActionPlanPage, pk=plan_id)
    if not user_may_report_on(request.user, plan):
        raise Http404
    form = ReportPeriodForm(
        request.GET or None,
        initial={"start": plan.period_start, "end": plan.period_end},
    )
    if request.GET and not form.is_valid():
        return TemplateResponse(
            request,
            "content/plan_report.html",
            {"plan": plan, "form": form},
            status=400,
        )
    start = form.cleaned_data["start"] if request.GET else plan.period_start
    end = form.cleaned_data["end"] if request.GET else plan.period_end
    report = plan_report(plan=plan, start=start, end=end)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(plan_report_xlsx(report), content_type=XLSX_TYPE)
        name = f"{slugify(plan.title)[:60] or 'plan'}-{start}-{end}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return TemplateResponse(
        request,
        "content/plan_report.html",
        {"plan": plan, "form": form, "report": report},
    )
