"""Use cases that change submissions and form definitions."""

import logging
import uuid
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Revision

from content.models import TerritoryPage
from forms_library.forms import answer_of_kind, published_form
from forms_library.models import (
    FormDefinition,
    IntakeFormPage,
    ReferenceSequence,
    Submission,
    SubmissionFile,
    SubmissionSource,
)
from forms_library.tasks import submission_receipt_task

logger = logging.getLogger("maillage")


def submission_allowed_from(*, address: str) -> bool:
    """Count one submission from an address; False once it is past the limit.

    The limit is generous (a social worker in a community centre may send many
    forms from one address) and only stops floods.
    """
    limit, window = settings.MAILLAGE_SUBMISSIONS_PER_ADDRESS
    key = f"maillage:submissions:{address}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    if count > limit:
        cache.decr(key)  # a refused attempt does not count
        return False
    return True


def reference_next(*, territory: TerritoryPage, year: int) -> str:
    """The next human reference of a territory for a year, e.g. ARS-2026-0042.

    Must run inside a transaction: the sequence row is locked until it ends, so
    two submissions never share a number.
    """
    number = _sequence_advance(prefix=territory.code, year=year)
    if number is None:
        ReferenceSequence.objects.get_or_create(prefix=territory.code, year=year)
        number = _sequence_advance(prefix=territory.code, year=year)
    return f"{territory.code}-{year}-{number:04d}"


def _sequence_advance(*, prefix: str, year: int) -> int | None:
    # One statement both counts and reads the number (RETURNING, which
    # PostgreSQL and SQLite have and Django's update() does not offer): every
    # submission pays for it, and the row stays locked until the transaction
    # ends whatever others are counting meanwhile.
    meta, quote = ReferenceSequence._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    last_number, prefix_column, year_column = (
        quote(meta.get_field(name).column) for name in ("last_number", "prefix", "year")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # Only the model's own quoted names are formatted in; values are
            # parameters.
            f"UPDATE {table} SET {last_number} = {last_number} + 1 "  # noqa: S608
            f"WHERE {prefix_column} = %s AND {year_column} = %s "
            f"RETURNING {last_number}",
            [prefix, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _consents(definition: FormDefinition, answers: dict[str, Any]) -> list[dict]:
    given_at = timezone.now().isoformat()
    return [
        {
            "name": child.value["name"],
            "purpose": child.value["purpose"],
            "given_at": given_at,
        }
        for child in definition.fields
        if child.block_type == "consent" and answers.get(child.value["name"]) is True
    ]


def _current_language() -> str:
    """The language the person is using, among the site's; the default otherwise."""
    language = (translation.get_language() or "").split("-")[0]
    available = {code for code, _name in settings.LANGUAGES}
    return language if language in available else settings.LANGUAGE_CODE


def submission_create(
    *,
    revision: Revision,
    territory: TerritoryPage,
    answers: dict[str, Any],
    source: str = SubmissionSource.WEB,
    intake_page: IntakeFormPage | None = None,
    entered_by=None,
    idempotency_key: str | None = None,
) -> tuple[Submission, bool]:
    """Record one filled form against the exact revision it was filled with,
    and open its case when the page is bound to a workflow.

    With an idempotency key, sending the same form twice (double click, resent
    POST) returns the first submission instead of creating a second one.
    """
    definition, _steps = published_form(revision)
    files = {name: value for name, value in answers.items() if isinstance(value, File)}
    answers = {
        **answers,
        **{
            name: {"file": upload.name, "size": upload.size}
            for name, upload in files.items()
        },
    }
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                form_definition_id=revision.object_id,
                revision=revision,
                territory=territory,
                intake_page=intake_page,
                reference=reference_next(
                    territory=territory,
                    year=timezone.localdate(
                        timezone=ZoneInfo(territory.time_zone)
                    ).year,
                ),
                answers=answers,
                consents=_consents(definition, answers),
                source=source,
                entered_by=entered_by,
                language=_current_language(),
                idempotency_key=idempotency_key or uuid.uuid4().hex,
            )
            for name, upload in files.items():
                SubmissionFile.objects.create(
                    submission=submission,
                    field_name=name,
                    file=upload,
                    original_name=upload.name[:255],
                    size=upload.size,
                )
            if intake_page is not None and intake_page.workflow_id:
                _case_open_for(submission, intake_page, entered_by)
    except IntegrityError:
        # Sent twice: the key is unique, so the second attempt is undone
        # whole (number, files, case) and answers with the first. Asking
        # first would cost every submission a query for the rare resend.
        existing = (
            Submission.objects.filter(idempotency_key=idempotency_key).first()
            if idempotency_key
            else None
        )
        if existing is None:
            raise
        return existing, False
    return submission, True


def _case_open_for(submission: Submission, page: IntakeFormPage, actor) -> None:
    # Imported here: workflows builds on the forms library, not the reverse;
    # the page's binding is the one place a submission reaches a workflow.
    from workflows.services import case_open

    if not page.workflow.live:
        # Never lose what a person sent: keep the submission, tell the team.
        logger.warning(
            "Submission %s kept without a case: workflow %s is not published.",
            submission.reference,
            page.workflow_id,
        )
        return
    case_open(
        workflow=page.workflow,
        territory=submission.territory,
        submission=submission,
        actor=actor,
    )


def submission_send_receipt(*, submission: Submission, language: str) -> None:
    """Email the reference to the person, once the submission is committed."""
    transaction.on_commit(lambda: submission_receipt_task(submission.pk, language))


def submission_receipt_address(*, submission: Submission) -> str:
    """The first email address the person gave in this form, or ""."""
    return answer_of_kind(submission.revision, submission.answers, "email")


def form_definition_copy_from_template(
    *, template: FormDefinition, territory: TerritoryPage, user=None
) -> FormDefinition:
    """Start a territory's form from a shared template, as an unpublished draft.

    A template worded for one country is only copied into that country's
    territories: its words (who refers, which currency) would mislead others.
    """
    if template.territory_id is not None:
        raise ValidationError(
            _("Only a shared template can be copied into a territory.")
        )
    if template.wording_country and template.wording_country != territory.country:
        raise ValidationError(
            _(
                "This template is worded for %(country)s and %(territory)s is "
                "not: start from the template worded for its country."
            )
            % {
                "country": template.get_wording_country_display(),
                "territory": territory.title,
            }
        )
    copy = FormDefinition(
        title=template.title,
        territory=territory,
        purpose=template.purpose,
        retention_months=template.retention_months,
        fields=template.fields.raw_data,
        live=False,
    )
    copy.save()
    copy.save_revision(user=user, log_action=True)
    return copy


ABANDONED_AFTER = timedelta(days=1)


def abandoned_uploads_delete(*, now=None) -> int:
    """Delete files of forms being filled that nobody finished in a day.

    A person's proofs must not linger because they closed the page halfway.
    Returns how many files were deleted.
    """
    storage = storages["private_in_progress"]
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    try:
        _folders, names = storage.listdir("")
    except FileNotFoundError:
        return 0
    old = [name for name in names if storage.get_modified_time(name) < cutoff]
    for name in old:
        storage.delete(name)
    if old:
        logger.info("Deleted %d abandoned form attachment(s).", len(old))
    return len(old)
