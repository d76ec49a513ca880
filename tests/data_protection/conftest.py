"""Data protection tests read messages in English, on a form asking for everything."""

import pytest
from django.utils import translation

from tests.data_protection.factories import personal_fields
from tests.workflows.factories import WorkflowDefinitionFactory, bound_intake_page


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def intake_page():
    """An intake page of a territory that opens a case per submission."""
    return bound_intake_page(WorkflowDefinitionFactory(), fields=personal_fields())
