"""Project middleware."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.translation import gettext as _

from config.api import bad_request
from content.database_ids import LARGEST_ID

# Paths outside the /fr/ and /en/ prefixes. Django would answer a 404 there
# with a redirect to /fr/<path>, because Wagtail's catch-all page route
# matches any path; these must keep their real 404.
UNPREFIXED_PATHS = ("/admin/", "/api/", "/documents/", "/i18n/", "/static/", "/media/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's locale middleware, minus the language redirect off the site."""

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(
            UNPREFIXED_PATHS
        ):
            return response
        return super().process_response(request, response)


# Wagtail's public API (v3) and the admin's own (v2), which the admin's
# choosers and explorer call.
API_PATHS = ("/api/", "/admin/api/")


class ApiQueryMiddleware:
    """Answers with 400 the API queries the database cannot run.

    Wagtail's APIs pass their `search` text and their `offset` straight to
    the database: a NUL character or an offset beyond what a database stores
    (`LARGEST_ID`) made them fail with a 500. The admin's own search forms
    already refuse NUL characters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PATHS):
            problem = self._problem(request.GET)
            if problem:
                return bad_request(problem)
        return self.get_response(request)

    @staticmethod
    def _problem(query) -> str | None:
        for name, values in query.lists():
            if any("\x00" in value for value in values):
                return _("The parameter “%(name)s” cannot contain a NUL character.") % {
                    "name": name
                }
        for name in ("offset", "limit"):
            for value in query.getlist(name):
                # ASCII digits only: "²" is a digit to isdigit(), not to int();
                # the API refuses such values itself.
                number = value.strip()
                if number.isascii() and number.isdigit() and int(number) > LARGEST_ID:
                    return _("The parameter “%(name)s” is too large.") % {"name": name}
        return None
