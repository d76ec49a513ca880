"""References stay unique when many forms are sent at the same moment."""

import threading

import pytest
from django.db import connection, transaction

from forms_library.services import reference_next
from tests.content.factories import TerritoryPageFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_of_the_year", [True, False])
def test_references_taken_at_once_are_all_different(first_of_the_year):
    territory = TerritoryPageFactory(code="ARS")
    if not first_of_the_year:
        with transaction.atomic():
            assert reference_next(territory=territory, year=2026) == "ARS-2026-0001"
    people = 4
    start = threading.Barrier(people)
    references: list[str] = []
    errors: list[Exception] = []

    def send():
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                references.append(reference_next(territory=territory, year=2026))
        except Exception as error:  # reported below, with the references
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    offset = 0 if first_of_the_year else 1
    expected = {f"ARS-2026-{n + offset:04d}" for n in range(1, people + 1)}
    assert sorted(references) == sorted(expected)
