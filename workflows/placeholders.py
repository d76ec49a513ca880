"""The words a coordinator may put in braces in a message, checked and filled."""

from string import Formatter

from django.utils.translation import gettext as _

PLACEHOLDERS = (
    "reference",
    "name",
    "first_name",
    "state",
    "territory",
    "deadline",
    "link",
)


def placeholder_errors(text: str) -> list[str]:
    """What is wrong with the braces of a message, each said plainly."""
    try:
        names = [name for _text, name, _spec, _conv in Formatter().parse(text or "")]
    except ValueError:
        return [
            _(
                "A brace is not closed: write placeholders as {reference}, or "
                "double a brace to show it ({{)."
            )
        ]
    unknown = sorted({name for name in names if name is not None} - set(PLACEHOLDERS))
    if not unknown:
        return []
    return [
        _("Unknown placeholder: {%(names)s}. You may use: %(allowed)s.")
        % {
            "names": "}, {".join(unknown),
            "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
        }
    ]


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """The message with its placeholders replaced; checked texts only."""
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})
