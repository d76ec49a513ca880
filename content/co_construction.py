"""Co-construction: an adopted proposal becomes a draft action of the plan.

A plan names its co-construction workflow and the state that means
"integrated into the plan". When a proposal's case reaches that state, a
draft action is created under the plan, filled from the proposal's answers,
for the coordination to complete and submit to the steering committee.
"""

from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.models import ActionPage, ActionPlanPage, ActionStatus
from workflows.models import Case

# Machine names of the proposal form's questions that fill the draft action
# (those of the shipped "Proposition d'action" template).
TITLE_FIELD = "titre"
AXIS_FIELD = "axe"
DESCRIPTION_FIELD = "description"
LEAD_FIELD = "porteur"


def plan_adopting(*, case: Case) -> ActionPlanPage | None:
    """The plan of the case's territory into which the case's state adopts it."""
    return (
        ActionPlanPage.objects.descendant_of(case.territory)
        .filter(proposal_workflow_id=case.workflow_id, adoption_state=case.state)
        .order_by("-period_start", "pk")
        .first()
    )


def case_reached_state(*, case: Case) -> bool:
    """Called by the transition service: a case reaching a plan's adoption state
    gets its draft action after the commit (a Huey task, so a failure there
    never undoes the transition). Returns whether one was asked for."""
    if plan_adopting(case=case) is None:
        return False
    from content.tasks import action_draft_from_case_task

    case_id = case.pk
    transaction.on_commit(lambda: action_draft_from_case_task(case_id))
    return True


@transaction.atomic
def action_draft_from_case(
    *, case: Case, plan: ActionPlanPage | None = None
) -> ActionPage | None:
    """A draft action under the plan, filled from the case's proposal.

    Without `plan`, the plan is the one whose co-construction workflow and
    adoption state match the case; no such plan, nothing happens (None).
    Idempotent: a case gives at most one action, returned when it exists.
    """
    existing = ActionPage.objects.filter(source_case=case).first()
    if existing is not None:
        return existing
    plan = plan or plan_adopting(case=case)
    if plan is None:
        return None
    answers = case.submission.answers if case.submission_id else {}
    title = str(answers.get(TITLE_FIELD) or case.title or case.reference)[:255]
    axis = str(answers.get(AXIS_FIELD) or "")
    action = ActionPage(
        title=title,
        slug=_free_slug(plan, f"{slugify(title)[:40] or 'action'}-{case.pk}"),
        live=False,
        axis=axis if axis in plan.axis_names else (plan.axis_names or [""])[0],
        description=_axis_note(plan, axis) + _description(answers),
        status=ActionStatus.PLANNED,
        lead_partner=_partner_named(plan, str(answers.get(LEAD_FIELD) or "")),
        source_case=case,
    )
    plan.add_child(instance=action)
    action.save_revision()
    return action


def _partner_named(plan: ActionPlanPage, name: str):
    # Compared in Python: SQLite's case-insensitive match ignores accents' case.
    wanted = name.strip().casefold()
    if not wanted:
        return None
    return next(
        (p for p in plan.territory.partners.all() if p.name.casefold() == wanted),
        None,
    )


def _axis_note(plan: ActionPlanPage, axis: str) -> str:
    # The page needs one of the plan's axes; the editor is told which one the
    # proposal asked for when the plan has no such axis.
    if not axis or axis in plan.axis_names:
        return ""
    note = _("Axis proposed: “%(axis)s”, which the plan does not have.") % {
        "axis": axis
    }
    return f"<p><i>{escape(note)}</i></p>"


def _description(answers: dict) -> str:
    # Only the proposal's own description: the other answers (who proposed,
    # how to reach them) stay on the case, under its retention and erasure,
    # and never reach a page that may be published.
    text = answers.get(DESCRIPTION_FIELD)
    return linebreaks(escape(str(text))) if text else ""


def _free_slug(plan: ActionPlanPage, slug: str) -> str:
    taken = set(plan.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate
