"""Site-wide error views that Django lets a project choose."""

from django.http import HttpRequest
from django.template.response import TemplateResponse


def csrf_failure(request: HttpRequest, reason: str = "") -> TemplateResponse:
    """A form sent without its security cookie (a page left open for long, a
    browser refusing cookies): said in plain words, in the site's look and the
    language of the address, with the way back to the page. Django's own page
    is in English markup, talks of CSRF and cannot link back."""
    return TemplateResponse(request, "403_csrf.html", status=403)
