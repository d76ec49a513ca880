"""How the API (Wagtail's v3, with the forms and cases routers) answers a
request whose parameters it cannot read.

django-ninja checks the parameters of an address (`/cases/abc/`,
`?workflow=abc`) before a view runs, and Wagtail answers its findings with
422 and pydantic's English messages. Our endpoints answer a request they
cannot read with 400 and the errors by name, in the person's language, as
`ApiQueryMiddleware` does for the parameters no database can run: so does
every parameter here, for Wagtail's routes as for ours. A body that does not
fit Wagtail's own write schemas keeps Wagtail's answer.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, ValidationError


class ErrorsOut(Schema):
    """What our endpoints answer when they refuse: why, and what is wrong
    with each field or parameter by its name (empty when none is)."""

    detail: str
    errors: dict[str, list[str]] = {}


def problem_response(
    status: int, title: str, detail: str, errors: dict[str, list[str]] | None = None
) -> JsonResponse:
    """A refusal as a problem (RFC 9457, Wagtail's shape), with what is wrong
    by name when something is, as our endpoints give it."""
    problem: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        problem["errors"] = errors
    return JsonResponse(problem, status=status, content_type="application/problem+json")


def bad_request(
    detail: str, errors: dict[str, list[str]] | None = None
) -> JsonResponse:
    """A 400 as a problem, with what is wrong by name
    (`{"errors": {"workflow": […]}}`)."""
    return problem_response(400, "Bad Request", detail, errors)


# Where django-ninja found the error: the parts of the request's address and
# headers, as opposed to its body ("body", "form", "file").
PARAMETER_LOCATIONS = frozenset({"query", "path", "header", "cookie"})


def register_parameter_errors(api: NinjaAPI) -> None:
    """Answer parameters the API cannot read with 400, named and translated.

    Registered over Wagtail's handler, which still answers the body errors.
    """
    # Wagtail registered its handler on the same API when it built it: kept
    # for the errors that are not a parameter's.
    wagtail_handler = api._lookup_exception_handler(ValidationError([]))

    @api.exception_handler(ValidationError)
    def parameter_errors(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = _parameter_errors(exc.errors)
        if errors is None:
            return wagtail_handler(request, exc)
        if len(errors) == 1:
            detail = _("The parameter “%(name)s” is not valid.") % {
                "name": next(iter(errors))
            }
        else:
            detail = _("These parameters are not valid: %(names)s.") % {
                "names": ", ".join(errors)
            }
        return bad_request(detail, errors)


def register_authentication_error(api: NinjaAPI) -> None:
    """Answer a request without a valid token with 401 saying what to send,
    in the person's language (Wagtail says "Unauthorized", in English)."""

    @api.exception_handler(AuthenticationError)
    def authentication_error(
        request: HttpRequest, exc: AuthenticationError
    ) -> HttpResponse:
        return problem_response(
            401,
            "Unauthorized",
            _(
                "Send a personal API token in the header "
                "“Authorization: Bearer <token>”."
            ),
        )


def _parameter_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]] | None:
    """What is wrong with each parameter, by its name in the request; None
    when an error is not a parameter's."""
    by_name: dict[str, list[str]] = {}
    for error in errors:
        loc = error.get("loc") or ()
        names = [part for part in loc[1:] if isinstance(part, str)]
        if not loc or loc[0] not in PARAMETER_LOCATIONS or not names:
            return None
        # The last name is the parameter's: Wagtail gathers some parameters
        # in a schema ("query", "filters", "type", 0 for `?type=`).
        message = _expected(error)
        messages = by_name.setdefault(names[-1], [])
        if message not in messages:
            messages.append(message)
    return by_name or None


def _expected(error: dict[str, Any]) -> str:
    """What a parameter must hold, in the person's language."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This parameter is required.")
    if kind.startswith("int_"):
        return _("A whole number, such as 12.")
    if kind == "greater_than_equal" and "ge" in context:
        return _("A number of at least %(bound)s.") % {"bound": context["ge"]}
    if kind == "greater_than" and "gt" in context:
        return _("A number above %(bound)s.") % {"bound": context["gt"]}
    if kind == "less_than_equal" and "le" in context:
        return _("A number of at most %(bound)s.") % {"bound": context["le"]}
    if kind == "less_than" and "lt" in context:
        return _("A number below %(bound)s.") % {"bound": context["lt"]}
    if kind in ("literal_error", "enum") and "expected" in context:
        return _("One of: %(choices)s.") % {"choices": context["expected"]}
    if kind.startswith("bool_"):
        return _("true or false.")
    return _("Not a value this parameter takes.")
