"""Project-wide test set-up: nothing shared and mutable, only clean slates."""

import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (Redis in the PostgreSQL run)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's first language: a request under /en/
    leaves English active in the thread, and page URLs follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="class")
def demo(request, django_db_setup, django_db_blocker):
    """The whole demo, loaded once for a class of tests (about 15 s a load).

    Like Django's `setUpTestData`: the load happens inside a transaction that
    is rolled back after the class, and each test's own changes are rolled
    back after it, so every test starts from the same, freshly loaded demo.
    Only plain `django_db` tests may share it: a test without the mark would
    write outside any rollback, a transactional one would never commit.
    """
    for item in request.session.items:
        if item.cls is request.cls:
            marker = item.get_closest_marker("django_db")
            if marker is None or marker.kwargs.get("transaction"):
                pytest.fail(f"{item.nodeid}: the demo is for django_db tests only")
    with django_db_blocker.unblock():
        loaded = transaction.atomic()
        loaded.__enter__()
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        loaded.__exit__(None, None, None)
