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
        fields = [
            (name, spec, conversion)
            for _text, name, spec, conversion in Formatter().parse(text or "")
            if name is not None
        ]
    except ValueError:
        return [
            _(
                "A brace is not closed: write placeholders as {reference}, or "
                "double a brace to show it ({{)."
            )
        ]
    errors = []
    unknown = sorted({name for name, _spec, _conv in fields} - set(PLACEHOLDERS))
    if unknown:
        errors.append(
            _("Unknown placeholder: {%(names)s}. You may use: %(allowed)s.")
            % {
                "names": "}, {".join(unknown),
                "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            }
        )
    formatted = sorted(
        {f"{{{name}}}" for name, spec, conversion in fields if spec or conversion}
    )
    if formatted:
        errors.append(
            _(
                "Write placeholders without a format after a colon or an "
                "exclamation mark: %(names)s. Dates already read as people "
                "expect them."
            )
            % {"names": ", ".join(formatted)}
        )
    return errors


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """The message with its placeholders replaced.

    Also serves previews of texts not checked yet: a format after a name is
    ignored (never run: a width could ask for gigabytes), an unknown name and
    a text whose braces do not close are shown as written.
    """
    try:
        parts = list(Formatter().parse(text or ""))
    except ValueError:
        return text
    filled = []
    for literal, name, _spec, _conversion in parts:
        filled.append(literal)
        if name is None:
            continue
        filled.append(
            str(values.get(name, "")) if name in PLACEHOLDERS else f"{{{name}}}"
        )
    return "".join(filled)
