"""Finding what people wrote whatever accents and capitals are typed
("gwenaelle" finds "Gwenaëlle"): texts are compared folded."""

import unicodedata
from typing import Any


def folded(text: str) -> str:
    """The text without accents, in lower case: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def answers_folded(answers: dict[str, Any]) -> str:
    """A submission's written answers, folded, one per line: what a search
    for an answer reads (choices ticked included; files are not answers)."""
    texts = []
    for value in answers.values():
        items = value if isinstance(value, list) else [value]
        texts += [str(item) for item in items if isinstance(item, str | int | float)]
    return folded("\n".join(texts))
