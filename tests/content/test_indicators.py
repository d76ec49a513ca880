"""Indicators computed from each source on known data, their history and roll-ups."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from content.indicators import (
    indicator_compute,
    indicator_current_value,
    indicators_compute_all,
)
from content.models import Indicator, IndicatorSource, IndicatorValue, TerritoryRole
from content.selectors import plan_unit_totals, territory_unit_totals
from content.tasks import indicators_compute_task
from forms_library.library import field
from forms_library.models import Submission
from forms_library.services import submission_create
from tests.content.factories import ActionPageFactory, ActionPlanPageFactory, member_of
from tests.forms_library.factories import FormDefinitionFactory
from tests.workflows.factories import WorkflowDefinitionFactory, case_without_submission
from workflows.forms import EXPECTED_STATE
from workflows.services import case_take_transition

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def donation_form(territory):
    return FormDefinitionFactory(
        territory=territory,
        fields=[
            field("short_text", "Commerce", "donateur"),
            field(
                "single_choice", "Catégorie", "categorie", choices=["Fruits", "Pain"]
            ),
            field("number", "Poids", "poids_kg", unit="kg", min_value=0),
        ],
    )


def donation_indicator(action, territory, **fields) -> Indicator:
    """An indicator of the action, unsaved, reading a new donation form."""
    return Indicator(page=action, label="Dons", form=donation_form(territory), **fields)


def submit(definition, **answers):
    submission, _created = submission_create(
        revision=definition.live_revision,
        territory=definition.territory,
        answers=answers,
    )
    return submission


def indicator(action, **fields) -> Indicator:
    return Indicator.objects.create(page=action, label="Mesure", **fields)


@pytest.fixture
def action():
    return ActionPageFactory()


@pytest.fixture
def territory(action):
    return action.get_parent().get_parent().specific


def test_manual_value(action):
    measure = indicator(action, source=IndicatorSource.MANUAL, manual_value=12)
    assert indicator_compute(indicator=measure).value == Decimal(12)


def test_count_of_submissions_within_the_period_and_filter(action, territory):
    form = donation_form(territory)
    for category in ["Fruits", "Fruits", "Pain"]:
        submit(form, donateur="Épicerie", categorie=category, poids_kg=10)
    old = submit(form, donateur="Épicerie", categorie="Fruits", poids_kg=10)
    Submission.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2024, 12, 31, 23, 30, tzinfo=PARIS)
    )
    other = donation_form(ActionPageFactory().get_parent().get_parent().specific)
    submit(other, donateur="Ailleurs", categorie="Fruits", poids_kg=10)

    count = indicator(
        action,
        source=IndicatorSource.FORM_COUNT,
        form=form,
        period_start=datetime.date(2025, 1, 1),
    )
    assert indicator_current_value(indicator=count) == 3
    count.filter_field, count.filter_value = "categorie", "Fruits"
    assert indicator_current_value(indicator=count) == 2


def test_an_answer_filter_counts_the_ticked_choices_and_numbers(action, territory):
    form = FormDefinitionFactory(
        territory=territory,
        fields=[
            field(
                "multiple_choice",
                "Besoins",
                "besoins",
                choices=["Transport", "Aide alimentaire", "Démarches"],
            ),
            field("number", "Adultes", "adultes"),
        ],
    )
    submit(form, besoins=["Transport", "Aide alimentaire"], adultes=2)
    submit(form, besoins=["Aide alimentaire"], adultes=1)
    submit(form, besoins=["Démarches"], adultes=2)
    submit(form, besoins=[], adultes=None)
    count = indicator(
        action,
        source=IndicatorSource.FORM_COUNT,
        form=form,
        filter_field="besoins",
        filter_value="Aide alimentaire",
    )
    assert indicator_current_value(indicator=count) == 2
    count.filter_field, count.filter_value = "adultes", "2"
    assert indicator_current_value(indicator=count) == 2
    adults = indicator(
        action,
        source=IndicatorSource.FORM_SUM,
        form=form,
        field_name="adultes",
        filter_field="besoins",
        filter_value="Aide alimentaire",
    )
    assert indicator_current_value(indicator=adults) == 3
    adults.filter_value = "Personne"
    assert indicator_current_value(indicator=adults) == 0


def test_sum_of_a_number_question_ignores_what_is_not_a_number(action, territory):
    form = donation_form(territory)
    submit(form, donateur="A", categorie="Fruits", poids_kg=12.5)
    submit(form, donateur="B", categorie="Pain", poids_kg=7)
    # An answer from an older revision, not a number: counted 0, never a 500.
    broken = submit(form, donateur="C", categorie="Pain", poids_kg=1)
    Submission.objects.filter(pk=broken.pk).update(
        answers={"donateur": "C", "poids_kg": "beaucoup"}
    )
    total = indicator(
        action, source=IndicatorSource.FORM_SUM, form=form, field_name="poids_kg"
    )
    assert indicator_current_value(indicator=total) == Decimal("19.5")
    total.field_name = "absent"
    assert indicator_current_value(indicator=total) == 0


def test_cases_that_reached_a_state_counted_once_each(action, territory):
    workflow = WorkflowDefinitionFactory(territory=territory)
    worker = member_of(territory, TerritoryRole.COORDINATION)
    for _number in range(3):
        case_without_submission(workflow)
    reached = case_without_submission(workflow)
    for case in [reached, case_without_submission(workflow)]:
        case_take_transition(
            case=case,
            transition_name="prendre_en_charge",
            user=worker,
            data={EXPECTED_STATE: "accueil"},
        )
    measure = indicator(
        action,
        source=IndicatorSource.WORKFLOW_STATE,
        workflow=workflow,
        state="evaluation",
    )
    assert indicator_current_value(indicator=measure) == 2
    measure.state = "accueil"  # every case was opened there
    assert indicator_current_value(indicator=measure) == 5


def test_sum_of_other_indicators_survives_a_loop(action):
    first = indicator(action, source=IndicatorSource.MANUAL, manual_value=3)
    second = indicator(action, source=IndicatorSource.MANUAL, manual_value=4)
    total = indicator(action, source=IndicatorSource.INDICATORS_SUM)
    total.components.set([first, second, total])
    assert indicator_current_value(indicator=total) == 7
    loop = indicator(action, source=IndicatorSource.INDICATORS_SUM)
    loop.components.set([total])
    total.components.add(loop)
    assert indicator_current_value(indicator=loop) == 7


def test_one_value_a_day_so_history_builds_up(action):
    measure = indicator(action, source=IndicatorSource.MANUAL, manual_value=1)
    monday = datetime.datetime(2025, 3, 3, 9, tzinfo=PARIS)
    indicator_compute(indicator=measure, now=monday)
    measure.manual_value = 2
    indicator_compute(indicator=measure, now=monday + datetime.timedelta(hours=5))
    indicator_compute(indicator=measure, now=monday + datetime.timedelta(days=1))
    assert list(measure.values.values_list("day", "value")) == [
        (datetime.date(2025, 3, 3), Decimal(2)),
        (datetime.date(2025, 3, 4), Decimal(2)),
    ]


def test_compute_all_covers_live_actions_only_and_the_task_calls_it(action):
    indicator(action, source=IndicatorSource.MANUAL, manual_value=5)
    draft = ActionPageFactory(live=False)
    indicator(draft, source=IndicatorSource.MANUAL, manual_value=5)
    assert indicators_compute_all() == 1
    assert indicators_compute_task.call_local() == 1
    assert IndicatorValue.objects.count() == 1  # same day: updated, not added


def test_an_action_shows_its_figures_as_soon_as_it_is_published(
    django_capture_on_commit_callbacks,
):
    draft = ActionPageFactory(live=False)
    measure = indicator(draft, source=IndicatorSource.MANUAL, manual_value=9)
    assert not IndicatorValue.objects.filter(indicator=measure).exists()
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert IndicatorValue.objects.get(indicator=measure).value == Decimal(9)


def test_totals_by_unit_per_plan_and_per_territory():
    plan = ActionPlanPageFactory()
    territory = plan.get_parent().specific
    first = ActionPageFactory(parent=plan)
    second = ActionPageFactory(parent=plan)
    other_plan = ActionPlanPageFactory(parent=territory, slug="plan-suivant")
    third = ActionPageFactory(parent=other_plan)
    private = ActionPageFactory(parent=plan)  # for signed-in people only
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for action, kg in [(first, 10), (second, 5), (third, 100), (private, 1000)]:
        indicator(
            action,
            source=IndicatorSource.MANUAL,
            manual_value=kg,
            unit="kg",
            target=50,
        )
    people = indicator(first, source=IndicatorSource.MANUAL, manual_value=8, unit="")
    total = indicator(first, source=IndicatorSource.INDICATORS_SUM, unit="kg")
    total.components.set(first.indicators.filter(unit="kg"))
    # A week of history: only each indicator's last value is added up.
    indicators_compute_all(now=timezone.now() - datetime.timedelta(days=7))
    first.indicators.filter(unit="kg", source=IndicatorSource.MANUAL).update(
        manual_value=12
    )
    indicators_compute_all(now=timezone.now())

    assert plan_unit_totals(plan=plan) == [("kg", Decimal(17), Decimal(100))]
    assert territory_unit_totals(territory=territory) == [
        ("kg", Decimal(117), Decimal(150))
    ]
    assert people.values.exists()  # computed, but no unit: not added up
    assert private.indicators.get().values.exists()  # computed, never shown


def test_questions_and_states_must_exist_in_the_chosen_form_or_workflow(
    action, territory
):
    from django.core.exceptions import ValidationError

    measure = donation_indicator(
        action, territory, source=IndicatorSource.FORM_SUM, field_name="poids"
    )
    with pytest.raises(ValidationError) as raised:
        measure.full_clean()
    assert set(raised.value.message_dict) == {"field_name"}
    measure.field_name = "poids_kg"
    measure.full_clean()
    cases = Indicator(
        page=action,
        label="Cas",
        source=IndicatorSource.WORKFLOW_STATE,
        workflow=WorkflowDefinitionFactory(territory=territory),
        state="nulle_part",
    )
    with pytest.raises(ValidationError) as raised:
        cases.full_clean()
    assert set(raised.value.message_dict) == {"state"}


def test_a_sum_of_a_question_that_is_not_a_number_is_refused_beside_it(
    action, territory
):
    from django.core.exceptions import ValidationError

    # "donateur" is a shop's name: its answers would add up to 0 every day.
    measure = donation_indicator(
        action, territory, source=IndicatorSource.FORM_SUM, field_name="donateur"
    )
    with pytest.raises(ValidationError) as raised, translation.override("en"):
        measure.full_clean()
    assert raised.value.message_dict == {
        "field_name": [
            "“donateur” is not a number question: only numbers add up. Choose a "
            "number question, or count the answers instead."
        ]
    }
    # Counted, its answers say how many donations there were.
    measure.source = IndicatorSource.FORM_COUNT
    measure.filter_field = "donateur"
    measure.filter_value = "Épicerie"
    measure.full_clean()


def test_an_answer_that_is_not_a_choice_of_the_question_is_refused_beside_it(
    action, territory
):
    from django.core.exceptions import ValidationError

    fruit = donation_indicator(
        action,
        territory,
        source=IndicatorSource.FORM_COUNT,
        filter_field="categorie",
        filter_value="Fruit",  # the choice is "Fruits": nothing would count
    )
    with pytest.raises(ValidationError) as raised, translation.override("fr"):
        fruit.full_clean()
    assert raised.value.message_dict == {
        "filter_value": [
            "«\u00a0Fruit\u00a0» n'est pas un choix de «\u00a0Catégorie\u00a0»\u00a0; "
            "ses choix sont\u00a0: Fruits, Pain."
        ]
    }
    fruit.filter_value = "Fruits"
    fruit.full_clean()
