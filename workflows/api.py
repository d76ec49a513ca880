"""Cases through the API: list, read, take a transition; always inside the walls.

Mounted on Wagtail's API v3 (django-ninja) and reached with a personal API
token; a case the token's owner cannot see answers 404, as in the admin.
"""

import json
from datetime import datetime
from typing import Any

import pydantic
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import StrictInt, StrictStr
from wagtail.admin.utils import get_user_display_name
from wagtail.api.v3.auth import BearerTokenAuth

from config.api import ErrorsOut
from content.database_ids import is_storable_id
from forms_library.api import json_object
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
        assignee=get_user_display_name(case.assignee) if case.assignee else None,
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


@router.get(
    "/",
    response={200: list[CaseOut], 400: ErrorsOut, 401: ErrorsOut},
    summary="Open cases waiting on me",
)
def case_list(request: HttpRequest, workflow: int | None = None):
    cases = inbox_for(request.auth.user).select_related(
        "workflow", "territory", "revision", "assignee", "partner"
    )
    if workflow is not None:
        cases = (
            cases.filter(workflow_id=workflow)
            if is_storable_id(workflow)
            else cases.none()
        )
    return [_case_out(case) for case in cases.order_by("deadline")[:MAX_LISTED]]


@router.get(
    "/{case_id}/",
    response={200: CaseOut, 400: ErrorsOut, 401: ErrorsOut, 404: ErrorsOut},
    summary="One case and the transitions I may take",
)
def case_detail(request: HttpRequest, case_id: int):
    case = _cases(request).filter(pk=case_id).first()
    if case is None:
        return Status(404, ErrorsOut(detail=_("No such case.")))
    return _case_out(case, CaseActors(request.auth.user, case.territory))


class TransitionIn(Schema):
    transition: StrictStr
    expected_state: StrictStr
    answers: dict[str, Any] = {}
    assignee: StrictInt | None = None
    partner: StrictInt | None = None


def _expected(field: str) -> str:
    """What a field of the body must hold, in the person's language."""
    return {
        "transition": _("The machine name of an action, as text."),
        "expected_state": _("The machine name of the case's current state, as text."),
        "answers": _("An object of answers by machine name."),
        "assignee": _("The id of a person, as a number."),
        "partner": _("The id of a partner organisation, as a number."),
    }.get(field, _("Not a field of this request: remove it."))


def _transition_request(
    request: HttpRequest,
) -> tuple[TransitionIn | None, dict[str, list[str]]]:
    """The body, or None and what is wrong with it, by field.

    Read here rather than by django-ninja, which answers 422 in another shape:
    API clients get the same 400 with errors by field as for the answers.
    """
    raw = json_object(request)
    if raw is None:
        return None, {}
    try:
        return TransitionIn.model_validate(raw), {}
    except pydantic.ValidationError as invalid:
        fields = sorted({str(error["loc"][0]) for error in invalid.errors()})
        return None, {field: [_expected(field)] for field in fields}


# The transition form's own names for what the body sends under other names:
# an error is reported under the name the client sent.
BODY_FIELDS = {
    EXPECTED_STATE: "expected_state",
    CHOSEN_PERSON: "assignee",
    CHOSEN_PARTNER: "partner",
}

TRANSITION_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": TransitionIn.model_json_schema()}},
    }
}


@router.post(
    "/{case_id}/transitions/",
    response={
        200: CaseOut,
        400: ErrorsOut,
        401: ErrorsOut,
        404: ErrorsOut,
        409: ErrorsOut,
    },
    summary="Take a transition",
    openapi_extra=TRANSITION_BODY,
)
def case_transition(request: HttpRequest, case_id: int):
    body, errors = _transition_request(request)
    if body is None:
        return Status(
            400,
            ErrorsOut(
                detail=_(
                    'Send a JSON object such as {"transition": "…", '
                    '"expected_state": "…"}.'
                ),
                errors=errors or {},
            ),
        )
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
                    # The service's message points at a page's fields ("below").
                    detail=_("Some answers need correcting."),
                    errors={
                        BODY_FIELDS.get(name, name): list(errors)
                        for name, errors in refusal.form.errors.items()
                    },
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
