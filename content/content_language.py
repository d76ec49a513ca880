"""Languages: the one coordinators write pages and forms in, against the
page's, and the one each staff member reads the admin and their mail in."""

from django.conf import settings
from django.utils.translation import get_language
from wagtail.users.models import UserProfile


def foreign_content_language() -> str | None:
    """The language of what coordinators wrote, when the page is shown in
    another one (so that it can be marked, WCAG 3.1.2); None otherwise."""
    content = settings.MAILLAGE_CONTENT_LANGUAGE
    shown = get_language() or settings.LANGUAGE_CODE
    if shown.split("-")[0].lower() == content.split("-")[0].lower():
        return None
    return content


def staff_language(person) -> str:
    """The language a staff member chose for the admin, for their messages."""
    language = UserProfile.get_for_user(person).get_preferred_language()
    return (language or settings.LANGUAGE_CODE).split("-")[0]
