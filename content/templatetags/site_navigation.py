"""Template tags for the site's shared chrome (language switcher, language
of the content)."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info

from content.content_language import foreign_content_language

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """Links to the same page in each language, the current one marked."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(path, code),
                "is_current": code == current,
            }
        )
    return {"languages": languages}


@register.simple_tag
def content_lang() -> str:
    """` lang="fr"` on what coordinators wrote (titles, questions, texts) when
    the page is shown in another language, so that screen readers read it
    with the right voice (WCAG 3.1.2)."""
    language = foreign_content_language()
    return format_html(' lang="{}"', language) if language else ""
