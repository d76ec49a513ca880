"""Finding a case by what a social worker types: its reference or a name,
whatever accents and capitals they use ("gwenaelle" finds "Gwenaëlle")."""

import unicodedata

from django.db.models import Q, QuerySet


def folded(text: str) -> str:
    """The text without accents, in lower case: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def cases_matching(cases: QuerySet, query: str) -> QuerySet:
    """The cases whose reference or name contains what was typed."""
    query = query.strip()
    if not query:
        return cases
    return cases.filter(
        Q(reference__icontains=query) | Q(title_folded__contains=folded(query))
    )
