"""The demo's workflows: built as data, published through the same checks, bound."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from content.models import TerritoryPage
from forms_library.models import IntakeFormPage
from forms_library.services import submission_create
from workflows.demo_cases import CASES_PER_PAGE
from workflows.forms import CHOSEN_PARTNER, EXPECTED_STATE
from workflows.models import Case, WorkflowDefinition
from workflows.selectors import CaseActors, inbox_for
from workflows.services import case_take_transition

pytestmark = pytest.mark.django_db

QUEBEC = {
    "Accompagnement",
    "Orientation alimentaire",
    "Invendus : du don à la distribution",
    "Commande de repas",
}
BRITTANY = {"Orientation vers l'aide alimentaire", "Co-construction d'une action"}


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    """Tests that read the demo, loaded once for them all."""

    def test_the_demos_messages_reach_residents_who_gave_only_a_phone(self):
        from workflows.models import CaseEvent, CaseEventKind, Notification

        # Many residents give a phone number and no email address: the demo's
        # messages to them go by text message instead of not at all.
        assert Notification.objects.filter(channel="sms").exists()
        notes = CaseEvent.objects.filter(kind=CaseEventKind.NOTE)
        assert not [
            text for text in notes.values_list("text", flat=True) if "envoy" in text
        ]

    def test_demo_workflows_are_published_bound_and_load_twice_the_same(self):
        count = WorkflowDefinition.objects.count()
        cases = Case.objects.count()
        call_command("load_demo")
        assert WorkflowDefinition.objects.count() == count == 4 + 6 * 2
        assert Case.objects.count() == cases
        quebec = TerritoryPage.objects.get(code="MHR")
        assert (
            set(quebec.workflow_definitions.values_list("title", flat=True)) == QUEBEC
        )
        breton = TerritoryPage.objects.get(code="ARS")
        assert (
            set(breton.workflow_definitions.values_list("title", flat=True)) == BRITTANY
        )
        assert not WorkflowDefinition.objects.filter(live=False).exists()
        unbound = IntakeFormPage.objects.filter(workflow=None).values_list(
            "slug", flat=True
        )
        assert set(unbound) == {"inscription-atelier"}

    def test_an_accompaniment_runs_from_the_form_to_closure_with_a_food_aid_branch(
        self,
    ):
        page = IntakeFormPage.objects.get(slug="demande-accompagnement")
        submission, _ = submission_create(
            revision=page.form_definition.live_revision,
            territory=page.territory,
            answers={"prenom": "Lucie", "telephone": "450 555 0199"},
            intake_page=page,
        )
        case = submission.cases.get()
        worker = get_user_model().objects.get(username="intervention.haute-riviere")
        partner = page.territory.partners.get(name="Transport adapté de la MRC")
        steps = [
            ("prendre_en_charge", {}),
            (
                "besoin_alimentaire_repere",
                {
                    "besoins_reperes": "Transport, alimentation",
                    "besoin_alimentaire": "yes",
                },
            ),
            ("orienter_vers_un_partenaire", {CHOSEN_PARTNER: str(partner.pk)}),
            ("passer_au_suivi", {}),
            ("cloturer", {}),
        ]
        for name, data in steps:
            case = case_take_transition(
                case=case,
                transition_name=name,
                user=worker,
                data={EXPECTED_STATE: case.state, **data},
            )
        case.refresh_from_db()
        assert case.state == "cloture" and case.is_closed
        linked = Case.objects.get(opened_from=case)
        assert linked.workflow.title == "Orientation alimentaire"
        assert linked.state == "recue"

    def test_the_demo_shows_people_whose_cases_moved_along_their_workflow(self):
        for page in IntakeFormPage.objects.all():
            assert page.submissions.count() == CASES_PER_PAGE, page.slug
        for workflow in WorkflowDefinition.objects.filter(intake_pages__isnull=False):
            states = set(workflow.cases.values_list("state", flat=True))
            assert len(states) > 2, (workflow.title, states)
        assert Case.objects.filter(closed_at__isnull=False).exists()
        assert Case.objects.filter(opened_from__isnull=False).exists()
        worker = get_user_model().objects.get(username="intervention.argoat-sud")
        assert inbox_for(worker).exists()

    def test_the_steering_committee_finds_and_decides_the_proposals_it_studies(
        self,
    ):
        member = get_user_model().objects.get(username="copil.argoat-sud")
        studied = Case.objects.get(
            territory__slug="argoat-sud",
            workflow__title="Co-construction d'une action",
            state="copil",
        )
        assert list(inbox_for(member)) == [studied]
        decisions = CaseActors(member, studied.territory).transitions(studied)
        assert {t.name for t in decisions} == {"retenir", "ne_pas_retenir"}
        case_take_transition(
            case=studied,
            transition_name="retenir",
            user=member,
            data={EXPECTED_STATE: "copil"},
        )
        coordinator = get_user_model().objects.get(username="coordination.argoat-sud")
        assert inbox_for(coordinator).filter(pk=studied.pk).exists()
        assert not inbox_for(member).exists()
