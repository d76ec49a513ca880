"""Two people acting on one case at the same moment: one wins, one is told."""

import threading

import pytest
from django.db import connection

from content.models import TerritoryRole
from tests.content.factories import member_of
from tests.workflows.factories import WorkflowDefinitionFactory, case_from_submission
from workflows.forms import EXPECTED_STATE
from workflows.models import Case, CaseEventKind
from workflows.services import CaseActionRefused, case_take_transition


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_connections_take_transitions_at_once_and_exactly_one_wins(round_):
    workflow = WorkflowDefinitionFactory()
    case = case_from_submission(workflow)
    people = [
        member_of(workflow.territory, TerritoryRole.COORDINATION) for _ in range(2)
    ]
    actions = ["prendre_en_charge", "classer_sans_suite"]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def act(person, action):
        try:
            seen = Case.objects.get(pk=case.pk)  # each person loaded the page
            start.wait(timeout=10)
            case_take_transition(
                case=seen,
                transition_name=action,
                user=person,
                data={EXPECTED_STATE: seen.state},
            )
            outcomes.append("taken")
        except CaseActionRefused as refusal:
            outcomes.append(refusal.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(person, action))
        for person, action in zip(people, actions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("taken") == 1, outcomes
    refused = next(o for o in outcomes if o != "taken")
    # No request activates a language in these threads: the default, French.
    assert refused.startswith("Quelqu'un a agi sur ce dossier entre-temps")
    case.refresh_from_db()
    assert case.events.filter(kind=CaseEventKind.TRANSITION).count() == 1
    assert case.history.count() == 2
