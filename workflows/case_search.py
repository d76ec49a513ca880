"""Finding a case by what a social worker types: its reference or a name,
whatever accents and capitals they use ("gwenaelle" finds "Gwenaëlle")."""

from django.db.models import Q, QuerySet

from forms_library.answer_search import folded


def cases_matching(cases: QuerySet, query: str) -> QuerySet:
    """The cases whose reference or name contains what was typed."""
    query = query.strip()
    if not query:
        return cases
    return cases.filter(
        Q(reference__icontains=query) | Q(title_folded__contains=folded(query))
    )
