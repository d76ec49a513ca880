"""Routing a public address to its page in one query instead of one per level.

Wagtail's `Page.route` finds a page level by level: for each part of the
address, one query for the child and one for its specific page. An intake
form sits three levels below the site root and an action four, so every step
of a form paid for six page queries. The site root routes the whole address
here from the pages already loaded, with Wagtail's rules unchanged: an
unpublished page in between still leads to its published children, only the
page reached must be live, and a page that routes by itself (a routable page)
routes what lies below it.
"""

from django.http import Http404, HttpRequest
from wagtail.models import Page
from wagtail.url_routing import RouteResult


def _routes_by_itself(page: Page) -> bool:
    return page.specific_class is None or page.specific_class.route is not Page.route


class DescendantRoutingMixin:
    """For the site root: route an address through its descendants at once."""

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        if not path_components:
            return super().route(request, path_components)
        addresses = [
            self.url_path + "/".join(path_components[: depth + 1]) + "/"
            for depth in range(len(path_components))
        ]
        # Slugs are unique among siblings, so at most one page per address.
        found = {
            page.url_path: page
            for page in Page.objects.filter(
                path__startswith=self.path,
                depth__gt=self.depth,
                url_path__in=addresses,
            )
        }
        parent: Page = self
        for depth, address in enumerate(addresses):
            page = found.get(address)
            if page is None or page.depth != parent.depth + 1:
                raise Http404
            page._cached_parent_obj = parent
            remaining = path_components[depth + 1 :]
            if not remaining or _routes_by_itself(page):
                return page.specific.route(request, remaining)
            parent = page
        raise Http404  # not reached: the last address has nothing remaining
