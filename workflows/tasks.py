"""Background work of workflows: sending notifications, flagging late cases."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

# A failed send waits 30 s, then 60, 120, 240, 480 before giving up.
NOTIFICATION_RETRIES = 5


@db_task(
    retries=NOTIFICATION_RETRIES,
    retry_delay=settings.MAILLAGE_NOTIFICATION_RETRY_DELAY,
    retry_backoff=2,
)
def notification_send_task(notification_id: int) -> None:
    # Imported here: notifications enqueue this module's tasks.
    from workflows.notifications import notification_send

    notification_send(notification_id=notification_id)


@db_periodic_task(crontab(minute="*/15"))
def cases_flag_overdue_task() -> int:
    """Every quarter of an hour: tell people once about cases past their deadline."""
    from workflows.services import cases_flag_overdue

    return cases_flag_overdue()


@db_periodic_task(crontab(day_of_week="1", hour="6", minute="30"))
def weekly_digest_task() -> int:
    """Mondays: each coordinator's week, by territory."""
    from workflows.digest import weekly_digest_send

    return weekly_digest_send()
