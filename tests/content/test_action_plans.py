"""Action plans, actions and the partner directory as Wagtail page types."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from content.models import (
    ActionPage,
    ActionPlanPage,
    ActionStatus,
    HomePage,
    Indicator,
    IndicatorSource,
    PartnerDirectoryPage,
    TerritoryPage,
    TerritoryRole,
)
from content.selectors import plan_progress
from tests.content.factories import (
    ActionPageFactory,
    ActionPlanPageFactory,
    PartnerOrganisationFactory,
    TerritoryPageFactory,
    axes,
    member_of,
)
from tests.workflows.factories import WorkflowDefinitionFactory, case_from_submission


def action_form(**fields) -> dict:
    """An action page's admin form as posted: a planned action, no indicator."""
    return nested_form_data(
        {
            "title": "Ateliers",
            "slug": "ateliers",
            "axis": "Accès",
            "description": rich_text(""),
            "status": "planned",
            "partner_section": rich_text(""),
            "indicators": inline_formset([]),
            **fields,
        }
    )


class PageTreeTests(WagtailPageTestCase):
    def test_plans_and_directories_under_a_territory_actions_under_a_plan(self):
        self.assertCanCreateAt(TerritoryPage, ActionPlanPage)
        self.assertCanCreateAt(TerritoryPage, PartnerDirectoryPage)
        self.assertCanCreateAt(ActionPlanPage, ActionPage)
        self.assertCanNotCreateAt(HomePage, ActionPlanPage)
        self.assertCanNotCreateAt(TerritoryPage, ActionPage)
        self.assertCanNotCreateAt(ActionPage, ActionPage)
        self.assertCanNotCreateAt(HomePage, PartnerDirectoryPage)
        self.assertAllowedSubpageTypes(ActionPage, {})

    def test_plan_and_action_are_routable_and_renderable(self):
        action = ActionPageFactory()
        plan = action.get_parent().specific
        with override_settings(ROOT_URLCONF="tests.unprefixed_urls"):
            self.assertPageIsRoutable(plan)
            self.assertPageIsRoutable(action)
        self.assertPageIsRenderable(plan)
        self.assertPageIsRenderable(action)

    def test_directory_lists_the_territorys_partners_by_kind(self):
        territory = TerritoryPageFactory()
        PartnerOrganisationFactory(territory=territory, name="CCAS du Lac", kind="ccas")
        PartnerOrganisationFactory(name="Ailleurs", kind="ccas")
        directory = territory.add_child(
            instance=PartnerDirectoryPage(title="Partenaires", slug="partenaires")
        )
        response = self.client.get(directory.url)
        self.assertContains(response, "CCAS du Lac")
        self.assertContains(response, "(CCAS, CIAS)</h2>")
        self.assertNotContains(response, "Ailleurs")


class AdminCreationTests(WagtailPageTestCase):
    def setUp(self):
        self.territory = TerritoryPageFactory()
        self.coordinator = member_of(self.territory, TerritoryRole.COORDINATION)
        self.client.force_login(self.coordinator)

    def _plan_data(self, **overrides):
        data = {
            "title": "Plan d'action du Lac",
            "slug": "plan-lac",
            "introduction": rich_text("<p>Co-construit.</p>"),
            "period_start": "2025-01-01",
            "period_end": "2027-12-31",
            "status": "draft",
            "axes": streamfield([("axis", "Accès"), ("axis", "Formation")]),
            "committee": streamfield([]),
            "adoption_state": "",
        }
        data.update(overrides)
        return nested_form_data(data)

    def test_a_coordinator_creates_a_plan_in_their_territory(self):
        self.assertCanCreate(self.territory, ActionPlanPage, self._plan_data())
        plan = ActionPlanPage.objects.get(slug="plan-lac")
        self.assertEqual(plan.axis_names, ["Accès", "Formation"])

    def test_a_period_ending_before_it_starts_is_explained(self):
        response = self.client.post(
            f"/admin/pages/add/content/actionplanpage/{self.territory.pk}/",
            self._plan_data(period_end="2024-01-01"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ActionPlanPage.objects.filter(slug="plan-lac").exists())

    def test_not_in_another_territory(self):
        other = TerritoryPageFactory()
        response = self.client.post(
            f"/admin/pages/add/content/actionplanpage/{other.pk}/", self._plan_data()
        )
        self.assertIn(response.status_code, (302, 403))
        self.assertFalse(ActionPlanPage.objects.filter(slug="plan-lac").exists())

    def test_an_action_with_indicators_and_an_axis_of_its_plan(self):
        plan = ActionPlanPageFactory(parent=self.territory)
        partner = PartnerOrganisationFactory(territory=self.territory)
        data = nested_form_data(
            {
                "title": "Ateliers cuisine",
                "slug": "ateliers-cuisine",
                "axis": "Accès",
                "description": rich_text("<p>Des ateliers.</p>"),
                "status": "in_progress",
                "lead_partner": partner.pk,
                "partner_section": rich_text(""),
                "indicators": inline_formset(
                    [
                        {
                            "label": "Ateliers animés",
                            "unit": "ateliers",
                            "target": "20",
                            "source": "manual",
                            "manual_value": "4",
                        }
                    ]
                ),
            }
        )
        # Several values of one field (nested_form_data would number them).
        data["audiences"] = ["concerned", "volunteers"]
        data["partners"] = [partner.pk]
        self.assertCanCreate(plan, ActionPage, data)
        action = ActionPage.objects.get(slug="ateliers-cuisine")
        self.assertEqual(action.partner_names, [partner.name])
        self.assertEqual(action.audiences, ["concerned", "volunteers"])
        self.assertEqual(action.progress_percent, 50)
        self.assertEqual(action.indicators.get().label, "Ateliers animés")

    def test_an_axis_outside_the_plan_is_refused(self):
        plan = ActionPlanPageFactory(parent=self.territory)
        response = self.client.post(
            f"/admin/pages/add/content/actionpage/{plan.pk}/",
            action_form(title="Hors axe", slug="hors-axe", axis="Inventé"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ActionPage.objects.filter(slug="hors-axe").exists())

    def test_a_chooser_given_an_id_that_is_not_one_asks_to_choose_again(self):
        plan = ActionPlanPageFactory(parent=self.territory)
        response = self.client.post(
            f"/admin/pages/add/content/actionpage/{plan.pk}/",
            action_form(lead_partner="abc"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Sélectionnez un choix valide")
        self.assertFalse(ActionPage.objects.filter(slug="ateliers").exists())

    def test_editing_an_action_with_a_sum_of_indicators(self):
        action = ActionPageFactory(parent=ActionPlanPageFactory(parent=self.territory))
        other = ActionPageFactory()
        Indicator.objects.create(page=other, label="Indicateur d'ailleurs")
        part = Indicator.objects.create(page=action, label="Inscriptions")
        total = Indicator.objects.create(
            page=action, label="Total", source=IndicatorSource.INDICATORS_SUM
        )
        total.components.set([part])
        total.save()
        response = self.client.get(f"/admin/pages/{action.pk}/edit/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Inscriptions")
        self.assertNotContains(response, "Indicateur d&#x27;ailleurs")

    def test_the_plan_header_offers_the_funder_report(self):
        plan = ActionPlanPageFactory(parent=self.territory)
        response = self.client.get(f"/admin/pages/{plan.pk}/edit/")
        self.assertContains(response, f"/admin/plans/{plan.pk}/report/")
        no_such_plan = self.client.get(f"/admin/plans/{10**23}/report/")
        self.assertEqual(no_such_plan.status_code, 404)

    def test_choices_stay_inside_the_territory(self):
        plan = ActionPlanPageFactory(parent=self.territory)
        PartnerOrganisationFactory(territory=self.territory, name="Épicerie d'ici")
        PartnerOrganisationFactory(name="Épicerie d'ailleurs")
        response = self.client.get(f"/admin/pages/add/content/actionpage/{plan.pk}/")
        self.assertContains(response, "Épicerie d&#x27;ici")
        self.assertNotContains(response, "Épicerie d&#x27;ailleurs")


class ActionCopyTests(WagtailPageTestCase):
    def setUp(self):
        self.login()

    def copy(self, page, destination):
        return self.client.post(
            f"/admin/pages/{page.pk}/copy/",
            {
                "new_title": "Copie",
                "new_slug": "copie",
                "new_parent_page": destination.pk,
                "copy_subpages": True,
            },
            follow=True,
        )

    def test_an_action_copies_into_a_plan_with_its_axis(self):
        proposal = case_from_submission(WorkflowDefinitionFactory())
        action = ActionPageFactory(axis="Formation", source_case=proposal)
        other_plan = ActionPlanPageFactory(parent=action.get_parent().get_parent())
        response = self.copy(action, other_plan)
        self.assertEqual(response.status_code, 200)
        copy = ActionPage.objects.child_of(other_plan).get(slug="copie")
        self.assertEqual(copy.axis, "Formation")
        self.assertIsNone(copy.source_case)  # the proposal gave one action

    def test_a_plan_without_the_axis_is_explained_and_nothing_is_copied(self):
        action = ActionPageFactory(axis="Formation")
        territory = action.get_parent().get_parent()
        narrow = ActionPlanPageFactory(parent=territory, axes=axes("Accès"))
        response = self.copy(action, narrow)
        self.assertEqual(response.status_code, 200)
        self.assertIn("n'a pas d'axe", html.unescape(response.content.decode()))
        self.assertFalse(ActionPage.objects.filter(slug="copie").exists())

    def test_a_destination_that_is_no_page_is_explained(self):
        action = ActionPageFactory()
        for nowhere in ("abc", "", "999999"):
            response = self.client.post(
                f"/admin/pages/{action.pk}/copy/",
                {"new_title": "Copie", "new_slug": "copie", "new_parent_page": nowhere},
                follow=True,
            )
            self.assertContains(response, "Choisissez la page sous laquelle")
        self.assertFalse(ActionPage.objects.filter(slug="copie").exists())

    def test_no_copy_leaves_its_territory(self):
        action = ActionPageFactory()
        elsewhere = ActionPlanPageFactory()  # another territory, same axes
        response = self.copy(action, elsewhere)
        self.assertContains(response, "au sein de son territoire")
        plan = action.get_parent().specific
        response = self.copy(plan, elsewhere.get_parent())
        self.assertContains(response, "au sein de son territoire")
        self.assertEqual(ActionPlanPage.objects.filter(slug="copie").count(), 0)
        self.assertFalse(ActionPage.objects.filter(slug="copie").exists())


class ActionRulesTests(WagtailPageTestCase):
    def test_model_clean_refuses_an_axis_of_no_plan(self):
        action = ActionPageFactory()
        action.axis = "Autre chose"
        with self.assertRaises(ValidationError) as raised:
            action.full_clean()
        self.assertIn("axis", raised.exception.message_dict)

    def test_status_carries_a_default_progress_that_can_be_overridden(self):
        action = ActionPageFactory(status=ActionStatus.COMPLETED)
        self.assertEqual(action.progress_percent, 100)
        action.progress = 80
        self.assertEqual(action.progress_percent, 80)

    def test_plan_progress_is_the_mean_of_its_live_actions(self):
        plan = ActionPlanPageFactory()
        ActionPageFactory(parent=plan, status=ActionStatus.COMPLETED)
        ActionPageFactory(parent=plan, status=ActionStatus.IN_PROGRESS)
        ActionPageFactory(parent=plan, status=ActionStatus.ABANDONED)
        ActionPageFactory(parent=plan, status=ActionStatus.PLANNED, live=False)
        self.assertEqual(plan_progress(plan=plan), 75)
        self.assertIsNone(plan_progress(plan=ActionPlanPageFactory()))

    def test_indicator_needs_what_its_source_needs(self):
        indicator = Indicator(
            page=ActionPageFactory(), label="Repas", source=IndicatorSource.FORM_SUM
        )
        with self.assertRaises(ValidationError) as raised:
            indicator.full_clean()
        self.assertEqual(set(raised.exception.message_dict), {"form", "field_name"})

    def test_public_plan_page_groups_actions_by_axis_with_progress(self):
        plan = ActionPlanPageFactory(
            period_start=datetime.date(2025, 1, 1), title="Plan du Lac"
        )
        ActionPageFactory(parent=plan, title="Former", axis="Formation")
        ActionPageFactory(
            parent=plan, title="Cuisiner", axis="Accès", status="in_progress"
        )
        content = self.client.get(plan.url).content.decode()
        self.assertLess(content.index("Accès"), content.index("Cuisiner"))
        self.assertLess(content.index("Cuisiner"), content.index("Formation"))
        self.assertLess(content.index("Formation"), content.index("Former"))
        self.assertIn('<progress id="progress-plan" max="100" value="25">', content)
        self.assertIn("25\u00a0%", content)  # French: a non-breaking space
        # Each action's bar is named after it, for screen readers listing bars.
        self.assertIn('<span class="visually-hidden"> — Cuisiner</span>', content)


@pytest.mark.django_db
def test_plan_page_queries_do_not_grow_with_its_actions(
    client, django_assert_max_num_queries
):
    plan = ActionPlanPageFactory()
    territory = plan.get_parent().specific

    def add_actions(count: int) -> None:
        for _number in range(count):
            action = ActionPageFactory(
                parent=plan,
                lead_partner=PartnerOrganisationFactory(territory=territory),
            )
            Indicator.objects.create(page=action, label="Repas", manual_value=1)

    add_actions(2)
    with django_assert_max_num_queries(60) as few:
        assert client.get(plan.url).status_code == 200
    add_actions(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(plan.url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", ["lead_partner", "form", "workflow"])
def test_an_action_refused_another_territorys_choice_does_not_name_it(client, chosen):
    # A refused id stayed in the chooser of the page shown again, which
    # named another territory's partner, form or workflow by its title.
    from tests.forms_library.factories import FormDefinitionFactory
    from tests.workflows.factories import WorkflowDefinitionFactory

    here, there = TerritoryPageFactory(), TerritoryPageFactory()
    plan = ActionPlanPageFactory(parent=here)
    theirs = {
        "lead_partner": PartnerOrganisationFactory(territory=there, name="Secret"),
        "form": FormDefinitionFactory(territory=there, title="Secret"),
        "workflow": WorkflowDefinitionFactory(territory=there, title="Secret"),
    }[chosen]
    indicator = {
        "label": "Personnes",
        "unit": "personnes",
        "target": "",
        "source": "manual",
        "manual_value": "4",
    }
    fields = {}
    if chosen == "lead_partner":
        fields["lead_partner"] = theirs.pk
    else:
        indicator[chosen] = theirs.pk
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    response = client.post(
        f"/admin/pages/add/content/actionpage/{plan.pk}/",
        action_form(indicators=inline_formset([indicator]), **fields),
    )
    assert response.status_code == 200
    assert not ActionPage.objects.filter(slug="ateliers").exists()
    assert "Secret" not in html.unescape(response.content.decode())
