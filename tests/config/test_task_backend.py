"""Wagtail's background work goes through Django tasks onto Huey."""

import pytest
from django_tasks import task_backends
from huey.contrib.djhuey import HUEY
from wagtail.models import ReferenceIndex
from wagtail.tasks import update_reference_index_task

from config.task_backend import HueyTaskBackend
from tests.content.factories import TerritoryPageFactory

pytestmark = pytest.mark.django_db


def test_the_default_task_backend_is_huey():
    assert isinstance(task_backends["default"], HueyTaskBackend)


def test_a_wagtail_task_enqueued_through_django_tasks_runs_on_huey():
    territory = TerritoryPageFactory()
    ReferenceIndex.objects.all().delete()
    seen = []

    @HUEY.signal()
    def record(signal, task, *args):
        seen.append((signal, task.name))

    try:
        result = update_reference_index_task.enqueue(
            "content", "territorypage", territory.pk
        )
    finally:
        HUEY.disconnect_signal(record)
    assert result.backend == "default"
    assert ("complete", "run_django_task_task") in seen
    assert ReferenceIndex.objects.filter(object_id=str(territory.pk)).exists()
