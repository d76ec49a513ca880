"""Huey tasks that belong to the project rather than to one app."""

from typing import Any

from django.utils.module_loading import import_string
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=10)
def run_django_task_task(
    module_path: str, args: list[Any], kwargs: dict[str, Any]
) -> Any:
    """Run one Django task (for example Wagtail's) inside a Huey worker."""
    django_task = import_string(module_path)
    return django_task.call(*args, **kwargs)
