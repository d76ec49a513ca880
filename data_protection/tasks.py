"""Background work of data protection."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="2", minute="23"))
def personal_data_anonymise_task() -> int:
    """Nightly: anonymise what has passed its retention; returns the run's id.

    Idempotent, so a repeated or late run changes nothing more.
    """
    # Imported here, as the other apps' tasks do: services may enqueue tasks.
    from data_protection.services import personal_data_anonymise_expired

    return personal_data_anonymise_expired().pk
