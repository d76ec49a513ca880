"""Workflow tests read messages in English; French has its own catalogue test."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
