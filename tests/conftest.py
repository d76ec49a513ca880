"""Project-wide test set-up: nothing shared and mutable, only clean slates."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (Redis in the PostgreSQL run)."""
    cache.clear()
    yield
    cache.clear()
