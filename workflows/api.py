"""Cases through the API: list, read, take a transition; always inside the walls.

Mounted on Wagtail's API v3 (django-ninja) and reached with a personal API
token; a case the token's owner cannot see answers 404, as in the admin.
"""

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from wagtail.api.v3.auth import BearerTokenAuth

from workflows.forms import CHOSEN_PARTNER, CHOSEN_PERSON, EXPECTED_STATE
from workflows.models import Case
from workflows.selectors import CaseActors, cases_visible_to, inbox_for
from workflows.services import CaseActionRefused, case_take_transition

router = Router(tags=["cases"], auth=[BearerTokenAuth()])

MAX_LISTED = 200


class TransitionOut(Schema):
    name: str
    label: str
    target: str
    form_id: int | None = None


class CaseOut(Schema):
    id: int
    reference: str
    title: str
    workflow: str
    territory: str
    state: str
    state_label: str
    closed: bool
    assignee: str | None = None
    partner: str | None = None
    deadline: datetime | None = None
    opened_at: datetime
    transitions: list[TransitionOut] = []


class ErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


def _case_out(case: Case, actors: CaseActors | None = None) -> CaseOut:
    return CaseOut(
        id=case.pk,
        reference=case.reference,
        title=case.title,
        workflow=case.workflow.title,
        territory=case.territory.title,
        state=case.state,
        state_label=case.state_label,
        closed=case.is_closed,
        assignee=str(case.assignee) if case.assignee else None,
        partner=str(case.partner) if case.partner else None,
        deadline=case.deadline,
        opened_at=case.opened_at,
        transitions=[
            TransitionOut(
                name=t.name, label=t.label, target=t.target, form_id=t.form_id
            )
            for t in actors.transitions(case)
        ]
        if actors
        else [],
    )


def _cases(request: HttpRequest):
    return cases_visible_to(request.auth.user).select_related(
        "workflow", "territory", "revision", "assignee", "partner"
    )


@router.get("/", response=list[CaseOut], summary="Open cases waiting on me")
def case_list(request: HttpRequest, workflow: int | None = None):
    cases = inbox_for(request.auth.user).select_related(
        "workflow", "territory", "revision", "assignee", "partner"
    )
    if workflow is not None:
        cases = cases.filter(workflow_id=workflow)
    return [_case_out(case) for case in cases.order_by("deadline")[:MAX_LISTED]]


@router.get(
    "/{case_id}/",
    response={200: CaseOut, 404: ErrorsOut},
    summary="One case and the transitions I may take",
)
def case_detail(request: HttpRequest, case_id: int):
    case = _cases(request).filter(pk=case_id).first()
    if case is None:
        return Status(404, ErrorsOut(detail=_("No such case.")))
    return _case_out(case, CaseActors(request.auth.user, case.territory))


class TransitionIn(Schema):
    transition: str
    expected_state: str
    answers: dict[str, Any] = {}
    assignee: int | None = None
    partner: int | None = None


@router.post(
    "/{case_id}/transitions/",
    response={200: CaseOut, 400: ErrorsOut, 404: ErrorsOut, 409: ErrorsOut},
    summary="Take a transition",
)
def case_transition(request: HttpRequest, case_id: int, body: TransitionIn):
    user = request.auth.user
    case = _cases(request).filter(pk=case_id).first()
    if case is None:
        return Status(404, ErrorsOut(detail=_("No such case.")))
    data = {
        **{name: _as_form_value(value) for name, value in body.answers.items()},
        EXPECTED_STATE: body.expected_state,
    }
    if body.assignee is not None:
        data[CHOSEN_PERSON] = str(body.assignee)
    if body.partner is not None:
        data[CHOSEN_PARTNER] = str(body.partner)
    try:
        case = case_take_transition(
            case=case, transition_name=body.transition, user=user, data=data
        )
    except CaseActionRefused as refusal:
        if refusal.form is not None:
            return Status(
                400,
                ErrorsOut(
                    detail=refusal.message,
                    errors={k: list(v) for k, v in refusal.form.errors.items()},
                ),
            )
        return Status(409, ErrorsOut(detail=refusal.message))
    case = _cases(request).get(pk=case.pk)
    return _case_out(case, CaseActors(user, case.territory))


def _as_form_value(value: Any) -> Any:
    # Django forms read booleans and numbers from text, as a browser sends them.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return [str(item) for item in value]
    return value if isinstance(value, str) else json.dumps(value)
