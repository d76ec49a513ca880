"""Background work of the content app: indicators, draft actions from proposals."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="7"))
def indicators_compute_task() -> int:
    """Hourly: compute every indicator of the live actions (idempotent per day)."""
    from content.indicators import indicators_compute_all

    return indicators_compute_all()


@db_task(retries=3, retry_delay=60)
def action_indicators_compute_task(action_id: int) -> int:
    """The indicators of one action just published."""
    from content.indicators import action_indicators_compute

    return action_indicators_compute(action_id=action_id)


@db_task(retries=3, retry_delay=60)
def action_draft_from_case_task(case_id: int) -> int | None:
    """A draft action from an adopted proposal (idempotent: one per case)."""
    from content.co_construction import action_draft_from_case
    from workflows.models import Case

    case = Case.objects.select_related("territory", "submission").get(pk=case_id)
    action = action_draft_from_case(case=case)
    return action.pk if action else None
