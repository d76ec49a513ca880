"""Demo cases: a few people's requests on each demo intake page, some already
moved along their workflow, so the inbox, the boards and the indicators show
something the first time a coordinator signs in.

The answers go through the same checks as the API (`validate_answers`) and
the cases through the same transition service as the admin.
"""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from content.models import PartnerOrganisation, TerritoryPage
from forms_library.blocks import ANSWERABLE_BLOCK_TYPES, DatePeriod
from forms_library.forms import steps_of, validate_answers
from forms_library.models import FormDefinition, IntakeFormPage, SubmissionSource
from forms_library.services import submission_create
from workflows.blocks import StateKind
from workflows.forms import CHOSEN_PARTNER, CHOSEN_PERSON, EXPECTED_STATE
from workflows.graph import Transition
from workflows.models import Case
from workflows.services import CaseActionRefused, case_take_transition

CASES_PER_PAGE = 6
FIRST_NAMES = ["Camille", "Yannick", "Nadia", "Gwenaëlle", "Jean-Marc", "Aïcha"]
LAST_NAMES = ["Le Gall", "Tremblay", "Diallo", "Morvan", "Gagnon", "Nguyen"]
ACTION_TITLES = [
    "Ateliers cuisine en famille",
    "Épicerie mobile dans les bourgs",
    "Formation des bénévoles à l'accueil",
    "Jardin partagé au centre social",
    "Repas solidaires du mercredi",
    "Transport vers l'aide alimentaire",
]
ORGANISATIONS = [
    "Centre social du bourg",
    "Épicerie solidaire",
    "Association des parents",
    "Restaurant scolaire",
    "Banque alimentaire",
    "Maison de quartier",
]


def demo_answer(block_type: str, value: dict, index: int, country: str) -> Any:
    """A plausible answer of one question for the index-th demo person."""
    name = value["name"]
    choices = list(value.get("choices") or [])
    if block_type == "short_text":
        return _demo_text(name, index)
    if block_type == "long_text":
        return "Demande saisie pour la démonstration."
    if block_type == "email":
        return f"personne{index}@example.org"
    if block_type == "phone":
        prefix = "418 555 01" if country == "CA" else "06 12 34 56 "
        return f"{prefix}{index:02d}"
    if block_type == "number":
        low = value.get("min_value") or 0
        high = value.get("max_value") or low + 40
        return min(high, low + 1 + index * 3)
    if block_type == "date":
        days = 7 + index
        return (
            date.today() + timedelta(days=-days if _asks_a_past_date(value) else days)
        ).isoformat()
    if block_type == "single_choice" and choices:
        return choices[index % len(choices)]
    if block_type == "multiple_choice" and choices:
        return [choices[index % len(choices)]]
    if block_type == "yes_no":
        return "yes" if index % 2 == 0 else "no"
    if block_type == "consent":
        return True
    if block_type == "postal_code":
        return "G0L 1B0" if value.get("country") == "CA" else "29200"
    if block_type == "address":
        return f"{index + 1} rue du Port"
    return None  # files and anything unknown stay unanswered


def _asks_a_past_date(value: dict) -> bool:
    return value.get("period") == DatePeriod.PAST


def _demo_text(name: str, index: int) -> str:
    """A short answer that fits the question's machine name."""
    if name == "nom_complet":
        first, last = (
            FIRST_NAMES[index % len(FIRST_NAMES)],
            LAST_NAMES[index % len(LAST_NAMES)],
        )
        return f"{first} {last}"
    if name == "nom" or name.endswith("_nom"):
        return LAST_NAMES[index % len(LAST_NAMES)]
    if "titre" in name:
        return ACTION_TITLES[index % len(ACTION_TITLES)]
    if "porteur" in name or "structure" in name:
        return ORGANISATIONS[index % len(ORGANISATIONS)]
    return FIRST_NAMES[index % len(FIRST_NAMES)]


def demo_answers(definition: FormDefinition, index: int, country: str) -> dict:
    """Answers to a whole form, as checked by the forms library's own rules."""
    steps = steps_of(definition.fields)
    raw = {
        block.value["name"]: answer
        for step in steps
        for block in step.answerable()
        if (answer := demo_answer(block.block_type, block.value, index, country))
        is not None
    }
    # Answers to questions their condition hides would be refused: drop them.
    answers, errors = validate_answers(steps, raw)
    if errors:
        answers, errors = validate_answers(
            steps, {name: raw[name] for name in answers if name in raw}
        )
    return answers if not errors else {}


def _as_posted(answer: Any) -> Any:
    """An answer as a browser would post it."""
    if answer is True:
        return "on"
    return answer if isinstance(answer, list) else str(answer)


def _transition_data(case: Case, transition: Transition, index: int) -> dict:
    """What a social worker would fill to take this transition."""
    data: dict[str, Any] = {EXPECTED_STATE: case.state}
    if transition.form_id:
        definition = FormDefinition.objects.get(pk=transition.form_id)
        for block in definition.live_revision.as_object().fields:
            if block.block_type not in ANSWERABLE_BLOCK_TYPES:
                continue
            answer = demo_answer(
                block.block_type, dict(block.value), index, case.territory.country
            )
            if answer is not None:
                data[block.value["name"]] = _as_posted(answer)
    worker = (
        get_user_model()
        .objects.filter(username=f"intervention.{case.territory.slug}")
        .first()
    )
    partner = PartnerOrganisation.objects.filter(territory=case.territory).first()
    data[CHOSEN_PERSON] = worker.pk if worker else ""
    data[CHOSEN_PARTNER] = partner.pk if partner else ""
    return data


def _move_along(case: Case, steps: int, actor, index: int) -> None:
    """Take the first open transition `steps` times, as the coordination would."""
    for _step in range(steps):
        case.refresh_from_db()
        transitions = [t for t in case.graph.transitions_from(case.state) if t.target]
        if case.is_closed or not transitions:
            return
        # Most demo people go forward; one in four meets a refusal or drops out.
        forward = [
            t
            for t in transitions
            if case.graph.state(t.target).kind != StateKind.FINAL_NEGATIVE
        ]
        choices = forward if forward and index % 4 else transitions
        transition = choices[index % len(choices)]
        try:
            case_take_transition(
                case=case,
                transition_name=transition.name,
                user=actor,
                data=_transition_data(case, transition, index),
            )
        except CaseActionRefused:
            return  # a transition the demo cannot fill: leave the case here


def _load_page(page: IntakeFormPage, territory: TerritoryPage, actor) -> None:
    if page.submissions.exists():
        return  # loaded before, or real people already use it
    definition = page.form_definition
    for index in range(CASES_PER_PAGE):
        answers = demo_answers(definition, index, territory.country)
        if not answers:
            return
        submission, _created = submission_create(
            revision=definition.live_revision,
            territory=territory,
            answers=answers,
            source=SubmissionSource.WEB,
            intake_page=page,
            idempotency_key=f"demo-{page.pk}-{index}",
        )
        case = submission.cases.first()
        if case is not None and actor is not None:
            _move_along(case, index, actor, index)


def load_demo_cases() -> None:
    """Some submissions on every demo intake page, and the cases of those bound
    to a workflow; runs once."""
    for territory in TerritoryPage.objects.all():
        territory = territory.specific
        actor = (
            get_user_model()
            .objects.filter(username=f"coordination.{territory.slug}")
            .first()
        )
        pages = (
            IntakeFormPage.objects.live()
            .descendant_of(territory)
            .filter(form_definition__live=True)
            .select_related("form_definition__live_revision", "workflow")
        )
        for page in pages:
            with transaction.atomic():
                _load_page(page, territory, actor)
