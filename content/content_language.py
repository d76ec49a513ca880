"""The language coordinators write pages and forms in, against the page's."""

from django.conf import settings
from django.utils.translation import get_language


def foreign_content_language() -> str | None:
    """The language of what coordinators wrote, when the page is shown in
    another one (so that it can be marked, WCAG 3.1.2); None otherwise."""
    content = settings.MAILLAGE_CONTENT_LANGUAGE
    shown = get_language() or settings.LANGUAGE_CODE
    if shown.split("-")[0].lower() == content.split("-")[0].lower():
        return None
    return content
