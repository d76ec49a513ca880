"""Background work of the forms library."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from forms_library.models import Submission


@db_task(retries=5, retry_delay=60)
def submission_receipt_task(
    submission_id: int, language: str, *queued_before: str
) -> None:
    """Email the person the reference of what they sent (never their answers).

    The address is read when sending, not kept in the queue: a person whose
    data was erased meanwhile gets nothing.
    """
    if queued_before:
        # Queued by an earlier version as (id, address, language).
        language = queued_before[-1]
    from forms_library.services import submission_receipt_address

    submission = (
        Submission.objects.select_related("intake_page", "revision")
        .filter(pk=submission_id, anonymised_at__isnull=True)
        .first()
    )
    email = submission and submission_receipt_address(submission=submission)
    if not email:
        return
    with translation.override(language):
        context = {"submission": submission, "page": submission.intake_page}
        send_mail(
            subject=render_to_string(
                "forms_library/email/receipt_subject.txt", context
            ).strip(),
            message=render_to_string("forms_library/email/receipt.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )


@db_periodic_task(crontab(minute="17"))
def abandoned_uploads_delete_task() -> int:
    """Hourly: delete attachments of forms left unfinished for a day."""
    # Imported here: services enqueue this module's tasks.
    from forms_library.services import abandoned_uploads_delete

    return abandoned_uploads_delete()


@db_task()
def export_build_task(export_id: int) -> None:
    from forms_library.exports import export_build

    export_build(export_id=export_id)


@db_periodic_task(crontab(minute="*/5"))
def exports_fail_stale_task() -> int:
    """Every five minutes: exports whose worker died become failed, restartable."""
    from forms_library.exports import exports_fail_stale

    return exports_fail_stale()


@db_periodic_task(crontab(hour="3", minute="41"))
def exports_delete_expired_task() -> int:
    """Nightly: files of expired exports are deleted."""
    from forms_library.exports import exports_delete_expired

    return exports_delete_expired()
