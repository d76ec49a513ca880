"""Headless access to intake forms: describe a form, submit answers.

Mounted on Wagtail's API v3 (django-ninja), so both endpoints appear in its
OpenAPI schema at /api/v3/openapi.json.
"""

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth

from config.api import ErrorsOut
from content.database_ids import is_storable_id
from forms_library.blocks import ANSWERABLE_BLOCK_TYPES, date_limits
from forms_library.forms import Step, published_form, validate_answers
from forms_library.models import IntakeFormPage, SubmissionSource
from forms_library.services import submission_allowed_from, submission_create

router = Router(tags=["forms"], auth=[BearerTokenAuth(), AllowAnonymous()])


class FieldOut(Schema):
    name: str
    type: str
    label: str
    help_text: str
    required: bool
    choices: list[str] | None = None
    period: str | None = Field(
        None,
        description=(
            "For a date: any, past (today or earlier) or future (today or "
            "later), today being the territory's; min and max already apply it."
        ),
    )
    min: str | None = None
    max: str | None = None
    unit: str | None = None
    whole: bool | None = None
    country: str | None = None
    purpose: str | None = None
    allowed_types: list[str] | None = None
    max_size_mb: int | None = None
    show_if: dict[str, Any] | None = None


class StepOut(Schema):
    key: str
    title: str
    show_if: dict[str, Any] | None = None
    fields: list[FieldOut]


class FormOut(Schema):
    id: int
    title: str
    purpose: str
    retention_months: int
    open: bool
    steps: list[StepOut]


class SubmissionOut(Schema):
    reference: str


SUBMISSION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["answers"],
                    "properties": {
                        "answers": {
                            "type": "object",
                            "description": (
                                "Answers by machine name; a file as "
                                '{"name": "document.pdf", "content_base64": "…"}.'
                            ),
                        },
                        "idempotency_key": {
                            "type": "string",
                            "description": "Same key, same submission: safe retries.",
                        },
                    },
                }
            }
        },
    }
}


def _conditions(show_if) -> dict[str, Any] | None:
    rules = [dict(rule) for rule in (show_if or {}).get("rules") or []]
    return {"match": show_if.get("match", "all"), "rules": rules} if rules else None


def _field_out(block, *, today: date) -> FieldOut:
    value = block.value
    if block.block_type == "date":
        # The limits that hold today, the period ("not in the future") applied.
        low, high = date_limits(value, today=today)
    else:
        low, high = value.get("min_value"), value.get("max_value")
    return FieldOut(
        name=value["name"],
        type=block.block_type,
        label=value["label"],
        help_text=value.get("help_text") or "",
        required=bool(value["required"]),
        choices=list(value["choices"]) if "choices" in value else None,
        period=value.get("period") or None,
        min=str(low) if low is not None else None,
        max=str(high) if high is not None else None,
        unit=value.get("unit") or None,
        country=value.get("country") or None,
        whole=bool(value["whole"]) if block.block_type == "number" else None,
        purpose=value.get("purpose"),
        allowed_types=list(value["allowed_types"])
        if "allowed_types" in value
        else None,
        max_size_mb=value.get("max_size_mb"),
        show_if=_conditions(value["show_if"]),
    )


def _step_out(step: Step, *, today: date) -> StepOut:
    return StepOut(
        key=step.key,
        title=step.title,
        show_if=_conditions(step.show_if),
        fields=[
            _field_out(b, today=today)
            for b in step.blocks
            if b.block_type in ANSWERABLE_BLOCK_TYPES
        ],
    )


def _published_page(page_id: int) -> IntakeFormPage | None:
    if not is_storable_id(page_id):
        return None
    return IntakeFormPage.objects.live().public().filter(pk=page_id).first()


def _not_found() -> Status:
    # Said here, in the person's language and the documented shape, rather
    # than by Http404, which Wagtail answers in English with the model's name.
    return Status(404, ErrorsOut(detail=_("No such form.")))


@router.get(
    "/{page_id}/",
    response={200: FormOut, 400: ErrorsOut, 404: ErrorsOut},
    summary="Describe a published form",
)
def form_detail(request: HttpRequest, page_id: int):
    page = _published_page(page_id)
    if page is None:
        return _not_found()
    definition = page.form_definition
    revision = definition.live_revision
    if revision is None:
        return Status(404, ErrorsOut(detail=_("This form is not published.")))
    published, steps = published_form(revision)
    today = definition.local_today()
    return FormOut(
        id=page.pk,
        title=page.title,
        purpose=published.purpose,
        retention_months=published.retention_months,
        open=page.is_open(),
        steps=[_step_out(step, today=today) for step in steps],
    )


@router.post(
    "/{page_id}/submissions/",
    response={
        201: SubmissionOut,
        400: ErrorsOut,
        404: ErrorsOut,
        409: ErrorsOut,
        429: ErrorsOut,
    },
    summary="Submit answers to a published form",
    openapi_extra=SUBMISSION_BODY,
)
def form_submit(request: HttpRequest, page_id: int):
    page = _published_page(page_id)
    if page is None:
        return _not_found()
    payload, errors = _payload(request)
    if payload is None:
        return Status(
            400,
            ErrorsOut(
                detail=_(
                    "Send a JSON object in UTF-8 such as "
                    '{"answers": {"first_name": "Awa"}}.'
                ),
                errors=errors,
            ),
        )
    revision = page.form_definition.live_revision
    if not page.is_open() or revision is None:
        return Status(409, ErrorsOut(detail=_("This form is closed at the moment.")))
    _definition, steps = published_form(revision)
    answers, errors = validate_answers(
        list(steps), payload["answers"], today=page.form_definition.local_today()
    )
    if errors:
        return Status(
            400, ErrorsOut(detail=_("Some answers need correcting."), errors=errors)
        )
    address = request.META.get(settings.MAILLAGE_CLIENT_ADDRESS_HEADER, "")
    if not submission_allowed_from(address=address):
        return Status(
            429, ErrorsOut(detail=_("Too many submissions; try again later."))
        )
    client_key = payload.get("idempotency_key")
    submission, created = submission_create(
        revision=revision,
        territory=page.territory,
        answers=answers,
        source=SubmissionSource.API,
        intake_page=page,
        # A client's key is only meaningful for this form.
        idempotency_key=f"api:{page.pk}:{client_key}" if client_key else None,
    )
    if not created and submission.answers != _as_stored(answers):
        return Status(
            409,
            ErrorsOut(
                detail=_("This idempotency key was already used with other answers.")
            ),
        )
    return Status(201, SubmissionOut(reference=submission.reference))


def _as_stored(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as a submission stores them (a file by its name and size)."""
    described = {
        name: {"file": value.name, "size": value.size}
        if isinstance(value, File)
        else value
        for name, value in answers.items()
    }
    return json.loads(json.dumps(described, cls=DjangoJSONEncoder))


def json_object(request: HttpRequest) -> dict[str, Any] | None:
    """The request's body when it is a JSON object; None for anything else
    (not JSON, not UTF-8, a list…), which the API answers with 400.

    JSON may escape half of a character ("\\ud800"): no database stores it
    and no page shows it, so such a body is refused as not being text. So is
    a body nested too deep to read.
    """
    try:
        body = json.loads(request.body or b"")
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def _payload(
    request: HttpRequest,
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The request's JSON object, or None and what is wrong, by field."""
    payload = json_object(request)
    if payload is None:
        return None, {}
    errors = {}
    if not isinstance(payload.get("answers"), dict):
        errors["answers"] = [_("An object of answers by machine name.")]
    key = payload.get("idempotency_key")
    if key is not None and (not isinstance(key, str) or len(key) > 40):
        errors["idempotency_key"] = [_("A text of at most 40 characters.")]
    return (None, errors) if errors else (payload, {})
