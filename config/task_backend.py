"""A `django_tasks` backend that runs Django tasks on Huey.

Wagtail enqueues its own background work (reference index updates, file
deletion, image renditions…) through Django's task framework. This backend
hands each such task to one Huey task, so every piece of background work in
Maillage runs on the same queue and the same workers.

No maintained package bridges the two at the time of writing, hence this
small module.
"""

from typing import Any

from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

from config.tasks import run_django_task_task


class HueyTaskBackend(BaseTaskBackend):
    """Enqueue Django tasks as Huey tasks, identified by the task's module path."""

    supports_defer = True

    def enqueue(
        self, task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> TaskResult:
        self.validate_task(task)
        result_id = get_random_id()
        run_django_task_task.huey.enqueue(
            run_django_task_task.s(
                task.module_path, list(args), kwargs, eta=task.run_after
            )
        )
        return TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
