"""The demo's action plans: one per territory, fed by the demo forms and cases."""

import pytest
from django.core.management import call_command

from content.models import (
    ActionPage,
    ActionPlanPage,
    Indicator,
    IndicatorValue,
    PartnerDirectoryPage,
    TerritoryPage,
)
from content.selectors import plan_progress

pytestmark = pytest.mark.django_db


def _latest(label: str, code: str):
    indicator = Indicator.objects.get(
        label=label, page__path__startswith=TerritoryPage.objects.get(code=code).path
    )
    return indicator.values.order_by("-day").first().value


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    """Tests that read the demo, loaded once for them all."""

    def test_each_territory_has_its_plan_actions_and_directory_once(self):
        counts = [
            model.objects.count()
            for model in (ActionPlanPage, ActionPage, Indicator, IndicatorValue)
        ]
        call_command("load_demo")
        assert [
            model.objects.count()
            for model in (ActionPlanPage, ActionPage, Indicator, IndicatorValue)
        ] == counts
        assert ActionPlanPage.objects.live().count() == 7
        assert PartnerDirectoryPage.objects.live().count() == 7
        breton = ActionPlanPage.objects.get(
            path__startswith=TerritoryPage.objects.get(code="ARS").path
        )
        assert set(breton.actions().values_list("title", flat=True)) >= {
            "Diagnostic des besoins avec les structures sociales",
            "Ateliers cuisine",
            "Formations des professionnels et bénévoles",
            "Sensibilisation des élus",
        }
        assert plan_progress(plan=breton) > 0

    def test_indicators_count_the_demo_submissions_and_cases(self):
        assert _latest("Kg récupérés", "MHR") > 0
        assert _latest("Repas produits", "MHR") > 0
        assert _latest("Demandes d'accompagnement reçues", "MHR") > 0
        # 58 sessions a territory: the programme's 348 workshops and trainings.
        total = sum(
            _latest(label, "ARS")
            for label in (
                "Ateliers animés",
                "Formations animées",
                "Séances de sensibilisation",
            )
        )
        assert total * 6 == 348

    def test_every_demo_indicator_passes_the_checks_of_its_editor(self):
        # A coordinator opening one to change its label must not meet an
        # error about what the demo wrote.
        for indicator in Indicator.objects.select_related("form", "workflow"):
            indicator.full_clean()

    def test_every_demo_plan_and_action_page_renders(self, client):
        pages = [*ActionPlanPage.objects.live(), *ActionPage.objects.live()]
        pages += [*TerritoryPage.objects.live(), *PartnerDirectoryPage.objects.live()]
        for page in pages:
            response = client.get(page.url)
            assert response.status_code == 200, page.url
