"""The page tree without the /fr/ and /en/ prefixes.

Wagtail's `assertPageIsRoutable` walks the page tree with the path of the
page's URL and knows nothing of `i18n_patterns`; under this URLconf it checks
the tree's routing alone. The prefixed URLs are checked through the client.
"""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("", include(wagtail_urls))]
