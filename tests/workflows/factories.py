"""Factories for workflows and cases, built as a coordinator would in the admin."""

import factory

from content.models import TerritoryRole
from forms_library.services import submission_create
from tests.content.factories import TerritoryPageFactory
from tests.forms_library.factories import (
    FormDefinitionFactory,
    IntakeFormPageFactory,
    three_step_fields,
)
from workflows.demo import assign, state, transition, with_machine_names
from workflows.models import Case, WorkflowDefinition
from workflows.services import case_open


def named(blocks: list[dict]) -> list[dict]:
    """Machine names filled from labels, as the admin's blocks do."""
    return with_machine_names(blocks)


def accompaniment_graph(*, effects_on_take=(), form=None) -> list[dict]:
    """accueil → evaluation → (cloture | sans_suite), with a deadline on accueil."""
    return named(
        [
            state("Accueil", "accueil", "initial", days=2),
            state("Évaluation", "evaluation", days=7),
            state("Clôturé", "cloture", "final_positive"),
            state("Sans suite", "sans_suite", "final_negative"),
            transition(
                "Prendre en charge",
                "accueil",
                "evaluation",
                effects=[assign("actor"), *effects_on_take],
            ),
            transition("Clôturer", "evaluation", "cloture", form=form),
            transition(
                "Classer sans suite",
                "accueil",
                "sans_suite",
                allowed=[TerritoryRole.COORDINATION],
            ),
        ]
    )


class WorkflowDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowDefinition
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Parcours {n}")
    territory = factory.SubFactory(TerritoryPageFactory)
    graph = factory.LazyFunction(accompaniment_graph)
    live = False

    @factory.post_generation
    def published(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.save_revision().publish()
            obj.refresh_from_db()


def bound_intake_page(workflow: WorkflowDefinition, fields=None):
    """An intake page of the workflow's territory that opens cases in it."""
    page = IntakeFormPageFactory(
        parent=workflow.territory,
        form_definition=FormDefinitionFactory(
            territory=workflow.territory, fields=fields or three_step_fields()
        ),
    )
    page.workflow = workflow
    page.save()
    return page


def case_from_submission(workflow: WorkflowDefinition, fields=None, **answers) -> Case:
    """A case opened the way a resident opens one: by sending the bound form."""
    page = bound_intake_page(workflow, fields)
    submission, _created = submission_create(
        revision=page.form_definition.live_revision,
        territory=workflow.territory,
        answers={"first_name": "Awa", **answers},
        intake_page=page,
    )
    return submission.cases.get()


def case_without_submission(workflow: WorkflowDefinition) -> Case:
    return case_open(workflow=workflow, territory=workflow.territory)
