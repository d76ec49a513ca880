"""Who approves plans (the territory's committee), who reads the partner-only
section, co-construction of draft actions from proposals, the API and the
funder report."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from wagtail.models import Workflow, WorkflowState

from content.co_construction import action_draft_from_case
from content.indicators import indicator_compute
from content.models import ActionPage, Indicator, IndicatorSource, TerritoryRole
from content.services import territory_ensure_moderation_workflow
from forms_library.library import field
from forms_library.services import submission_create
from tests.content.factories import (
    ActionPageFactory,
    ActionPlanPageFactory,
    PartnerOrganisationFactory,
    TerritoryPageFactory,
    member_of,
)
from tests.forms_library.factories import FormDefinitionFactory, IntakeFormPageFactory
from tests.workflows.factories import WorkflowDefinitionFactory
from workflows.demo import state, transition, with_machine_names
from workflows.forms import EXPECTED_STATE
from workflows.services import case_take_transition

pytestmark = pytest.mark.django_db


# Moderation by the steering committee ---------------------------------------


def test_each_territory_gets_its_committee_workflow_once():
    territory = TerritoryPageFactory(title="Pays du Lac")
    workflow = territory.get_workflow()
    assert workflow.name == "Validation par le comité de pilotage – Pays du Lac"
    task = workflow.tasks.get().specific
    committee = territory.territory_groups.get(role="steering_committee").group
    assert list(task.groups.all()) == [committee]
    assert territory_ensure_moderation_workflow(territory=territory) == workflow
    assert Workflow.objects.filter(name=workflow.name).count() == 1


def _submit_for_moderation(client, plan):
    data = {
        "title": plan.title,
        "slug": plan.slug,
        "period_start": "2025-01-01",
        "period_end": "2027-12-31",
        "status": "adopted",
        "introduction": '{"blocks": [], "entityMap": {}}',
        "axes-count": "1",
        "axes-0-type": "axis",
        "axes-0-value": "Accès",
        "axes-0-deleted": "",
        "axes-0-order": "0",
        "committee-count": "0",
        "adoption_state": "",
        "action-submit": "Submit",
    }
    return client.post(reverse("wagtailadmin_pages:edit", args=[plan.pk]), data)


def _approve(client, plan):
    state = WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(plan.pk), status="in_progress"
    )
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[plan.pk, "approve", state.current_task_state.pk],
    )
    return client.post(url, {"comment": ""})


def test_a_coordinator_submits_and_only_their_committee_approves(client):
    plan = ActionPlanPageFactory(live=False)
    territory = plan.get_parent().specific
    client.force_login(member_of(territory, TerritoryRole.COORDINATION))
    response = _submit_for_moderation(client, plan)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.workflow_in_progress and not plan.live

    other_territory = TerritoryPageFactory()
    client.force_login(member_of(other_territory, TerritoryRole.STEERING_COMMITTEE))
    refused = _approve(client, plan)
    assert refused.status_code == 302 and refused.url == "/admin/"  # not allowed
    plan.refresh_from_db()
    assert plan.workflow_in_progress and not plan.live

    client.force_login(member_of(territory, TerritoryRole.STEERING_COMMITTEE))
    assert _approve(client, plan).status_code == 302
    plan.refresh_from_db()
    assert plan.live and plan.status == "adopted"
    assert not plan.workflow_in_progress


# The partner-only section ----------------------------------------------------


@pytest.mark.parametrize(
    "report",
    ["workflow", "workflow/results", "workflow_tasks", "workflow_tasks/results"],
)
def test_the_moderation_reports_offer_only_their_territorys_filters(client, report):
    ours = ActionPlanPageFactory(live=False, parent__title="Pays du Lac")
    theirs = ActionPlanPageFactory(live=False, parent__title="Pays des Monts")
    for plan, login in [(ours, "awa.lac"), (theirs, "marc.monts")]:
        territory = plan.get_parent().specific
        client.force_login(
            member_of(territory, TerritoryRole.COORDINATION, username=login)
        )
        assert _submit_for_moderation(client, plan).status_code == 302
    client.force_login(member_of(ours.get_parent(), TerritoryRole.COORDINATION))

    response = client.get(f"/admin/reports/{report}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Pays du Lac" in page
    assert "Pays des Monts" not in page  # its workflow and its task
    assert "marc.monts" not in page
    if report == "workflow":
        assert "awa.lac" in page  # who asked, in the filter


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (TerritoryRole.COORDINATION, True),
        (TerritoryRole.PARTNERS, True),
        (TerritoryRole.STEERING_COMMITTEE, True),
        (TerritoryRole.INTERVENTION, False),
    ],
)
def test_partner_section_for_the_territorys_partners_only(client, role, sees):
    action = ActionPageFactory(partner_section="<p>Budget prévisionnel</p>")
    territory = action.get_parent().get_parent().specific
    assert "Budget prévisionnel" not in client.get(action.url).content.decode()
    client.force_login(member_of(TerritoryPageFactory(), role))
    assert "Budget prévisionnel" not in client.get(action.url).content.decode()
    client.force_login(member_of(territory, role))
    assert ("Budget prévisionnel" in client.get(action.url).content.decode()) is sees


def test_partner_section_is_not_in_the_api(client):
    action = ActionPageFactory(partner_section="<p>Budget prévisionnel</p>")
    measure = Indicator.objects.create(
        page=action,
        label="Repas",
        unit="repas",
        source=IndicatorSource.MANUAL,
        manual_value=3,
    )
    indicator_compute(indicator=measure)
    response = client.get(f"/api/v3/pages/{action.pk}/")
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert "Budget" not in response.content.decode()
    assert body["axis"] == "Accès"
    assert body["indicators"][0]["label"] == "Repas"
    assert body["indicators"][0]["latest"]["value"] == 3
    plan = client.get(f"/api/v3/pages/{action.get_parent().pk}/").json()
    assert plan["axes"][0]["value"] == "Accès"


# Co-construction -------------------------------------------------------------


def proposal_graph():
    return with_machine_names(
        [
            state("Proposée", "proposee", "initial"),
            state("Intégrée au plan", "integree", "final_positive"),
            state("Non retenue", "non_retenue", "final_negative"),
            transition("Intégrer au plan", "proposee", "integree"),
            transition("Ne pas retenir", "proposee", "non_retenue"),
        ]
    )


def proposal_case(territory, **answers):
    workflow = WorkflowDefinitionFactory(territory=territory, graph=proposal_graph())
    page = IntakeFormPageFactory(
        parent=territory,
        form_definition=FormDefinitionFactory(
            territory=territory,
            fields=[
                field("short_text", "Titre", "titre"),
                field("short_text", "Axe", "axe"),
                field("long_text", "Description", "description"),
                field("short_text", "Structure porteuse", "porteur"),
            ],
        ),
    )
    page.workflow = workflow
    page.save()
    submission, _created = submission_create(
        revision=page.form_definition.live_revision,
        territory=territory,
        answers=answers,
        intake_page=page,
    )
    return submission.cases.get()


def test_an_adopted_proposal_becomes_a_draft_action(
    django_capture_on_commit_callbacks,
):
    plan = ActionPlanPageFactory()
    territory = plan.get_parent().specific
    grocery = PartnerOrganisationFactory(territory=territory, name="Épicerie du Lac")
    case = proposal_case(
        territory,
        titre="Jardin partagé",
        axe="Formation",
        description="Un jardin <b>pour tous</b>",
        porteur="épicerie du lac",
    )
    plan.proposal_workflow, plan.adoption_state = case.workflow, "integree"
    plan.save_revision().publish()
    coordinator = member_of(territory, TerritoryRole.COORDINATION)
    with django_capture_on_commit_callbacks(execute=True):
        case_take_transition(
            case=case,
            transition_name="integrer_au_plan",
            user=coordinator,
            data={EXPECTED_STATE: "proposee"},
        )
    action = ActionPage.objects.child_of(plan).get()
    assert action.title == "Jardin partagé"
    assert not action.live and action.latest_revision is not None
    assert action.axis == "Formation"
    assert action.lead_partner == grocery
    assert "&lt;b&gt;pour tous&lt;/b&gt;" in action.description
    assert action_draft_from_case(case=case) == action


def test_a_refused_proposal_or_a_plan_without_co_construction_gives_nothing(
    django_capture_on_commit_callbacks,
):
    plan = ActionPlanPageFactory()
    territory = plan.get_parent().specific
    case = proposal_case(territory, titre="Idée", axe="Inconnu")
    coordinator = member_of(territory, TerritoryRole.COORDINATION)
    assert action_draft_from_case(case=case) is None  # the plan names no workflow
    plan.proposal_workflow, plan.adoption_state = case.workflow, "integree"
    plan.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_take_transition(
            case=case,
            transition_name="ne_pas_retenir",
            user=coordinator,
            data={EXPECTED_STATE: "proposee"},
        )
    assert not ActionPage.objects.child_of(plan).exists()
    # Forced into a plan, an unknown axis falls back on the plan's first axis;
    # with no description, the other answers stay on the case, off the page.
    forced = action_draft_from_case(case=case, plan=plan)
    assert forced.axis == "Accès"
    assert "Inconnu" in forced.description  # the editor sees what was asked
    assert "Axe proposé" in forced.description


# Funder report ---------------------------------------------------------------


def test_the_coordination_exports_its_plan_and_nobody_else(client):
    action = ActionPageFactory(title="=Ateliers")
    plan = action.get_parent().specific
    territory = plan.get_parent().specific
    measure = Indicator.objects.create(
        page=action,
        label="Ateliers",
        unit="ateliers",
        source="manual",
        manual_value=7,
        target=10,
    )
    indicator_compute(indicator=measure)
    ActionPageFactory(parent=plan, title="Proposition pas encore validée", live=False)
    url = reverse("content_plan_report", args=[plan.pk])

    client.force_login(member_of(territory, TerritoryRole.STEERING_COMMITTEE))
    assert client.get(url).status_code == 404
    client.force_login(member_of(TerritoryPageFactory(), TerritoryRole.COORDINATION))
    assert client.get(url).status_code == 404

    client.force_login(member_of(territory, TerritoryRole.COORDINATION))
    page = client.get(url)
    assert page.status_code == 200
    assert "=Ateliers" in page.content.decode()
    assert "Proposition pas encore validée" not in page.content.decode()
    assert client.get(url, {"start": "demain", "end": "2025-01-01"}).status_code == 400

    download = client.get(
        url, {"start": "2000-01-01", "end": "2100-01-01", "format": "xlsx"}
    )
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(download.content))
    names = [_("Actions"), _("Indicators"), _("History")]
    assert workbook.sheetnames == names
    actions = list(workbook[names[0]].values)
    assert actions[1][1] == "'=Ateliers"  # never a formula
    indicators = list(workbook[names[1]].values)
    assert indicators[1][1:6] == ("Ateliers", "ateliers", 10, 7, 7)


def test_the_report_queries_do_not_grow_with_the_actions(
    client, django_assert_max_num_queries
):
    plan = ActionPageFactory().get_parent().specific
    coordinator = member_of(plan.get_parent().specific, TerritoryRole.COORDINATION)
    client.force_login(coordinator)
    url = reverse("content_plan_report", args=[plan.pk])

    def add_actions(count: int) -> None:
        for _number in range(count):
            action = ActionPageFactory(parent=plan)
            Indicator.objects.create(
                page=action, label="Ateliers", source="manual", manual_value=3
            )

    add_actions(1)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    add_actions(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_moderation_reports_are_named_apart_from_the_case_workflows(client):
    territory = TerritoryPageFactory()
    client.force_login(member_of(territory, TerritoryRole.COORDINATION))
    # The menu is drawn from JSON, where "â" is written \u00e2.
    menu = client.get("/admin/").content.decode()
    assert "Validations des pages" in menu
    assert "T\\u00e2ches de validation des pages" in menu
    report = client.get("/admin/reports/workflow/").content.decode()
    assert "<title>Validations des pages" in report
