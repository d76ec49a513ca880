"""Project middleware."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

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
