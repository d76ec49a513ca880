"""Checks a workflow must pass before publishing, each pointing at its block."""

import pytest
from django.core.exceptions import ValidationError

from forms_library.library import field
from tests.forms_library.factories import FormDefinitionFactory
from tests.workflows.factories import (
    WorkflowDefinitionFactory,
    accompaniment_graph,
    named,
    state,
    transition,
)
from workflows.graph import graph_error_messages, graph_errors, graph_from_data

pytestmark = pytest.mark.django_db


def errors_of(blocks, territory_id=None):
    error = graph_errors(blocks, territory_id=territory_id)
    if error is None:
        return {}, []
    by_block = {
        index: {name: e.messages for name, e in block.block_errors.items()}
        for index, block in error.block_errors.items()
    }
    return by_block, [str(e.message) for e in error.non_block_errors.as_data()]


def test_a_sound_graph_has_no_error():
    assert graph_errors(accompaniment_graph(), territory_id=None) is None


def test_states_are_named_by_machine_name_or_label_whatever_the_case():
    graph = graph_from_data(
        named(
            [
                state("Accueil", "accueil", "initial"),
                state("Clôturé", "cloture", "final_positive"),
                transition("Clore", "ACCUEIL", "clôturé"),
            ]
        )
    )
    assert graph.transitions[0].source == "accueil"
    assert graph.transitions[0].target == "cloture"


def test_no_initial_state_and_no_final_state_are_general_errors():
    blocks = named([state("A", "a"), state("B", "b"), transition("Aller", "a", "b")])
    _by_block, general = errors_of(blocks)
    assert "Mark one state as initial: every case starts there." in general
    assert "Add at least one final state, where cases end." in general


def test_a_second_initial_state_is_pointed_at():
    blocks = named(
        [
            state("A", "a", "initial"),
            state("B", "b", "initial"),
            state("Fin", "fin", "final_positive"),
            transition("Finir", "a", "fin"),
            transition("Finir aussi", "b", "fin"),
        ]
    )
    by_block, _general = errors_of(blocks)
    assert by_block[1]["kind"] == ["Only one state can be initial; “A” already is."]
    assert 0 not in by_block


def test_unreachable_state_and_dead_end_are_pointed_at():
    blocks = named(
        [
            state("Début", "debut", "initial"),
            state("Oublié", "oublie"),
            state("Impasse", "impasse"),
            state("Fin", "fin", "final_positive"),
            transition("Finir", "debut", "fin"),
            transition("Bloquer", "debut", "impasse"),
            transition("Sortir", "oublie", "fin"),
        ]
    )
    by_block, _general = errors_of(blocks)
    assert by_block[1] == {
        "label": ["No transition leads to “Oublié” from the initial state."]
    }
    assert by_block[2] == {
        "kind": ["No transition leaves “Impasse”: add one, or make it final."]
    }


def test_transition_leaving_a_final_state_or_naming_no_state():
    blocks = named(
        [
            state("Début", "debut", "initial"),
            state("Fin", "fin", "final_positive"),
            transition("Finir", "debut", "fin"),
            transition("Rouvrir", "fin", "debut"),
            transition("Ailleurs", "debut", "nulle part"),
        ]
    )
    by_block, _general = errors_of(blocks)
    assert by_block[3]["source"] == [
        "“Fin” is a final state: no transition may leave it."
    ]
    assert by_block[4]["target"] == ["There is no state named “nulle part”."]


def test_transition_forms_must_be_published_of_the_territory_and_without_files(
    django_user_model,
):
    draft = FormDefinitionFactory(
        published=False, fields=[field("long_text", "Motif", "motif")]
    )
    with_file = FormDefinitionFactory(
        territory=draft.territory,
        fields=[field("file", "Pièce", "piece", allowed_types=["pdf"], max_size_mb=5)],
    )
    elsewhere = FormDefinitionFactory(fields=[field("long_text", "Motif", "motif")])
    blocks = named(
        [
            state("Début", "debut", "initial"),
            state("Fin", "fin", "final_positive"),
            transition("Un", "debut", "fin", form=draft.pk),
            transition("Deux", "debut", "fin", form=with_file.pk),
            transition("Trois", "debut", "fin", form=elsewhere.pk),
        ]
    )
    by_block, _general = errors_of(blocks, territory_id=draft.territory_id)
    assert by_block[2]["form"] == ["This form must exist and be published."]
    assert by_block[3]["form"] == [
        "A transition form cannot ask for files: attach files to the case instead."
    ]
    assert by_block[4]["form"] == ["Choose a form of this territory."]


def test_linked_case_workflow_must_be_published():
    unpublished = WorkflowDefinitionFactory(published=False)
    blocks = named(
        [
            state("Début", "debut", "initial"),
            state("Fin", "fin", "final_positive"),
            transition(
                "Finir",
                "debut",
                "fin",
                effects=[("open_case", {"workflow": unpublished.pk})],
            ),
        ]
    )
    by_block, _general = errors_of(blocks, territory_id=unpublished.territory_id)
    assert by_block[2]["effects"] == [
        "The workflow of the linked case must exist and be published."
    ]


def test_publishing_an_invalid_graph_outside_the_admin_is_refused():
    workflow = WorkflowDefinitionFactory(
        published=False, graph=named([state("Seul", "seul", "initial")])
    )
    revision = workflow.save_revision()
    with pytest.raises(ValidationError) as refused:
        revision.publish()
    assert "No transition leaves “Seul”: add one, or make it final." in (
        refused.value.messages
    )
    workflow.refresh_from_db()
    assert not workflow.live


def test_error_messages_flatten_for_places_without_blocks():
    error = graph_errors(named([state("Seul", "seul")]), territory_id=None)
    assert graph_error_messages(error)[:2] == [
        "Mark one state as initial: every case starts there.",
        "Add at least one final state, where cases end.",
    ]
