"""Exports built by Huey: rows shaped with pandas chunk by chunk, written to a
private file, so 100,000 rows never sit in memory at once.
"""

import csv
import logging
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.models import Revision

from content.content_language import staff_language
from content.dates import long_date
from content.permissions import territories_granting
from content.spreadsheets import frame_as_text
from forms_library.forms import STORED_AS_TEXT, answer_display, answerable_fields
from forms_library.models import (
    RESTARTABLE_EXPORT_STATUSES,
    DataExport,
    ExportFormat,
    ExportKind,
    ExportStatus,
    FormDefinition,
    Submission,
    WithdrawalReason,
)

logger = logging.getLogger("maillage")

CHUNK_ROWS = 2000
# A running export whose worker has not been heard of for this long died.
STALE_AFTER = timedelta(minutes=10)
# A queued export no worker took in this long was lost by the queue (a Redis
# restarted empty, a task that could not be stored): a busy queue takes less.
LOST_IN_QUEUE_AFTER = timedelta(hours=1)
# The same export asked again this soon, while the first is still on its
# way, is the same click sent twice.
SAME_REQUEST_WITHIN = timedelta(minutes=2)
KEPT_FOR = timedelta(days=7)
# The first word of a built file's name, in the language of what it holds.
FILE_NAME_WORDS = {
    ExportKind.SUBMISSIONS: pgettext_lazy("export file name", "submissions"),
    ExportKind.CASES: pgettext_lazy("export file name", "cases"),
}

Frames = Iterator[pd.DataFrame]


def submission_columns(definition: FormDefinition) -> list[tuple[str, str, str]]:
    """(machine name, label, kind) of every question ever answered or
    published, in the live form's order, then those only older revisions
    had; each labelled as the newest revision that has it, a measure with
    its unit ("Poids (kg)"): the cells hold bare numbers."""
    answered = definition.submissions.values_list("revision_id", flat=True)
    revisions = Revision.objects.filter(pk__in=answered.distinct()).order_by("-pk")
    ordered: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    sources = ([definition.live_revision] if definition.live_revision else []) + list(
        revisions
    )
    for revision in sources:
        for child in answerable_fields(revision):
            name = child.value["name"]
            if name not in seen:
                seen.add(name)
                ordered.append((name, _column_label(child), child.block_type))
    return ordered


def _column_label(question) -> str:
    unit = question.value.get("unit") if question.block_type == "number" else ""
    label = question.value["label"]
    return f"{label} ({unit})" if unit else label


def _submissions(export: DataExport) -> QuerySet[Submission]:
    submissions = Submission.objects.filter(
        form_definition=export.form_definition_id,
        territory__in=territories_granting(export.requested_by, "view"),
    )
    if export.date_from:
        submissions = submissions.filter(created_at__date__gte=export.date_from)
    if export.date_to:
        submissions = submissions.filter(created_at__date__lte=export.date_to)
    return submissions


def submission_frames(export: DataExport) -> tuple[list[str], int, Frames]:
    """Headers, row count and the frames of a submissions export."""
    columns = submission_columns(export.form_definition)
    headers = [_("Reference"), _("Received at"), _("Source")] + [
        label for _name, label, _kind in columns
    ]
    sources = dict(Submission._meta.get_field("source").choices)
    submissions = _submissions(export)
    text = answer_text_of_export()
    # A spreadsheet adds up numbers and sorts dates only when they are typed.
    typed = export.file_format == ExportFormat.XLSX
    cell_of = {name: _cell_function(kind, text, typed) for name, _l, kind in columns}

    def frames() -> Frames:
        rows = submissions.order_by("pk").values_list(
            "reference", "created_at", "source", "answers"
        )
        for chunk in _chunks(rows.iterator(chunk_size=CHUNK_ROWS)):
            frame = pd.DataFrame.from_records(
                [answers for *_meta, answers in chunk],
                columns=list(cell_of),
            ).astype(object)
            for name, cell in cell_of.items():
                frame[name] = frame[name].map(cell, na_action="ignore")
            # Empty where this submission's revision lacked the question.
            frame = frame.astype(object).fillna("")
            frame.insert(0, "source", [str(sources.get(r[2], r[2])) for r in chunk])
            frame.insert(
                0, "created_at", local_times([r[1] for r in chunk], typed=typed)
            )
            frame.insert(0, "reference", [r[0] for r in chunk])
            frame.columns = headers
            yield frame

    return headers, submissions.count(), frames()


def answer_text_of_export() -> Callable[[object], str]:
    """`answer_display` with a short way for plain texts, the bulk of answers:
    an export calls it once per cell."""
    yes, no = str(_("Yes")), str(_("No"))

    def text(value) -> str:
        if type(value) is str and value not in ("", "yes", "no"):
            return value
        if value is None or value == "":
            return ""  # unanswered, as a question the revision lacked
        if value == "yes":
            return yes
        if value == "no":
            return no
        return answer_display(value)

    return text


def _cell_function(kind: str, text: Callable[[object], str], typed: bool):
    """How one question's answers are written: as read, or typed for XLSX."""
    parse = STORED_AS_TEXT.get(kind)
    if typed and parse:
        return lambda value: _typed(value, parse, text)
    return text


def _typed(value, parse: Callable, text: Callable[[object], str]):
    try:
        return parse(str(value))
    except (ArithmeticError, ValueError):
        return text(value)  # not what the question expects: kept as typed


def local_times(moments: list, *, typed: bool) -> list:
    """Times in the site's time zone, to the minute: as a person reads them,
    or typed, for a spreadsheet to sort (without their zone: Excel has none)."""
    if not moments:
        return []
    zone = timezone.get_current_timezone()
    times = pd.to_datetime(pd.Series(moments), utc=True).dt.tz_convert(zone)
    if typed:
        # Without the zone first: flooring in it fails on autumn's doubled hour.
        minutes = times.dt.tz_localize(None).dt.floor("min")
        return [
            moment.to_pydatetime() if pd.notna(moment) else "" for moment in minutes
        ]
    return times.dt.strftime("%Y-%m-%d %H:%M").fillna("").tolist()


def _chunks(rows) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _builder(kind: str) -> Callable[[DataExport], tuple[list[str], int, Frames]]:
    if kind == ExportKind.CASES:
        # Imported here: workflows builds on the forms library, not the reverse.
        from workflows.exports import case_frames

        return case_frames
    return submission_frames


def _write_csv(path: Path, headers: list[str], frames: Frames, progress) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as output:
        csv.writer(output).writerow(headers)
        for frame in frames:
            frame_as_text(frame).to_csv(output, header=False, index=False)
            progress(len(frame))


def _write_xlsx(path: Path, headers: list[str], frames: Frames, progress) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([_text_cell(sheet, header) for header in headers])
    for frame in frames:
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_text_cell(sheet, value) for value in row])
        progress(len(frame))
    workbook.save(path)


def _text_cell(sheet, value):
    if not isinstance(value, str):
        return value
    # Control characters pasted from Word (a vertical tab for a line break)
    # cannot be stored in a worksheet: openpyxl refuses the whole file for one.
    # A line break stays one; the others are dropped.
    value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\v", "\n"))
    if value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def export_request(*, user, **choices) -> DataExport:
    """Record what the person asked for and build it in the background.

    The same request again while it is still on its way (a double tap, a
    reload of the page that sent it) is answered by that export, not built
    twice.
    """
    on_its_way = (
        DataExport.objects.filter(
            requested_by=user,
            status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
            created_at__gte=timezone.now() - SAME_REQUEST_WITHIN,
            **choices,
        )
        .order_by("-created_at")
        .first()
    )
    if on_its_way is not None:
        return on_its_way
    export = DataExport.objects.create(
        requested_by=user, heartbeat_at=timezone.now(), **choices
    )
    transaction.on_commit(lambda: _build_in_background(export.pk))
    return export


def _build_in_background(export_id: int) -> None:
    """Queue the build; when the queue refuses it, the export says so and can
    be started again, rather than wait for ever."""
    from forms_library.tasks import export_build_task

    try:
        export_build_task(export_id)
    except Exception as error:
        logger.exception("Export %s could not be queued", export_id)
        DataExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )


def export_build(*, export_id: int) -> DataExport | None:
    """Build one export; a failure is recorded on it, never lost in a log."""
    claimed = DataExport.objects.filter(
        pk=export_id, status=ExportStatus.QUEUED
    ).update(
        status=ExportStatus.RUNNING,
        heartbeat_at=timezone.now(),
        rows_done=0,
        attempt=F("attempt") + 1,
    )
    if not claimed:
        return None  # already built, or taken by another worker
    export = DataExport.objects.select_related("requested_by").get(pk=export_id)
    try:
        finished = _build(export)
    except Exception as error:
        logger.exception("Export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return None
    if not finished:
        return None
    export.refresh_from_db()
    _tell_requester(export)
    return export


def _build(export: DataExport) -> bool:
    # Headers and answers ("Oui", dates) in the site's first language.
    with translation.override(settings.LANGUAGE_CODE):
        return _write(export)


def _write(export: DataExport) -> bool:
    headers, total, frames = _builder(export.kind)(export)
    DataExport.objects.filter(pk=export.pk).update(rows_total=total)
    done = 0

    def progress(rows: int) -> None:
        nonlocal done
        done += rows
        DataExport.objects.filter(pk=export.pk).update(
            rows_done=done, heartbeat_at=timezone.now()
        )

    name = export_file_name(export, day=timezone.localdate())
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        write = _write_xlsx if export.file_format == ExportFormat.XLSX else _write_csv
        write(path, headers, frames, progress)
        with path.open("rb") as built:
            export.file.save(name, File(built), save=False)
    now = timezone.now()
    # Only if still running, and still this attempt: an erasure meanwhile
    # withdrew what was read, and a restart since is another worker's.
    finished = DataExport.objects.filter(
        pk=export.pk, status=ExportStatus.RUNNING, attempt=export.attempt
    ).update(
        file=export.file.name,
        status=ExportStatus.DONE,
        rows_total=total,
        rows_done=done,
        finished_at=now,
        expires_at=now + KEPT_FOR,
    )
    if not finished:
        export.file.delete(save=False)
    return bool(finished)


def export_file_name(export: DataExport, *, day: date) -> str:
    """The name of a built file, in the active language, e.g.
    "demandes-20261202-1.csv"; slugified, so any translation is safe in it."""
    word = slugify(FILE_NAME_WORDS[export.kind]) or export.kind
    return f"{word}-{day:%Y%m%d}-{export.pk}.{export.file_format}"


def _tell_requester(export: DataExport) -> None:
    person = export.requested_by
    if not person.email:
        return
    link = settings.WAGTAILADMIN_BASE_URL + reverse("exports:index")
    expires_on = timezone.localdate(export.expires_at)
    # In the language the person chose for the admin, dates as they read them.
    with translation.override(staff_language(person)):
        send_mail(
            _("Your export is ready"),
            _("The export you asked for (%(export)s) is ready until %(date)s: %(link)s")
            % {
                "export": str(export),
                "date": long_date(expires_on),
                "link": link,
            },
            None,
            [person.email],
        )


def export_restart(*, export: DataExport) -> DataExport:
    """Build a failed export again."""
    DataExport.objects.filter(
        pk=export.pk, status__in=RESTARTABLE_EXPORT_STATUSES
    ).update(
        status=ExportStatus.QUEUED,
        error="",
        rows_done=0,
        finished_at=None,
        # Queued now: what tells a lost one from one waiting its turn.
        heartbeat_at=timezone.now(),
    )
    transaction.on_commit(lambda: _build_in_background(export.pk))
    export.refresh_from_db()
    return export


def exports_fail_stale(*, now=None) -> int:
    """Mark failed the exports whose worker died while building them, and
    those no worker ever took: both can then be started again."""
    now = now or timezone.now()
    died = DataExport.objects.filter(
        status=ExportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    ).update(
        status=ExportStatus.FAILED,
        error=_("The worker stopped while building this export: start it again."),
        finished_at=now,
    )
    # Queued before this field said when: their asking time stands for it.
    queued_at = Coalesce("heartbeat_at", "created_at")
    lost = (
        DataExport.objects.alias(queued_at=queued_at)
        .filter(status=ExportStatus.QUEUED, queued_at__lt=now - LOST_IN_QUEUE_AFTER)
        .update(
            status=ExportStatus.FAILED,
            error=_("No worker took this export: start it again."),
            finished_at=now,
        )
    )
    return died + lost


def exports_withdraw(
    *,
    form_definition_ids: set[int],
    workflow_ids: set[int],
    reason: WithdrawalReason,
) -> dict[int | None, int]:
    """Delete the built files that may hold data just anonymised, after an
    erasure or at the end of retention.

    Each becomes a withdrawn export saying why, which its requester can build
    again from what is left. Returns how many files were deleted, by the
    territory owning the form or workflow exported (None: a shared template).
    """
    concerned = DataExport.objects.filter(
        Q(form_definition_id__in=form_definition_ids) | Q(workflow_id__in=workflow_ids)
    )
    built = list(
        concerned.filter(status=ExportStatus.DONE)
        .exclude(file="")
        .annotate(
            owner_id=Coalesce("form_definition__territory", "workflow__territory")
        )
    )
    # Nobody may download them from now on; the files go once that is stored.
    # One being built may have read the rows already: it is withdrawn too,
    # and its worker drops the file it was writing.
    concerned.filter(
        Q(pk__in=[e.pk for e in built]) | Q(status=ExportStatus.RUNNING)
    ).update(
        file="",
        status=ExportStatus.WITHDRAWN,
        # The reason's code: each requester reads it in their own language.
        error=reason.value,
        finished_at=timezone.now(),
    )
    deleted: dict[int | None, int] = {}
    for export in built:
        transaction.on_commit(lambda file=export.file: file.delete(save=False))
        deleted[export.owner_id] = deleted.get(export.owner_id, 0) + 1
    return deleted


def exports_delete_expired(*, now=None) -> int:
    """Delete the files of exports past their date; the record stays."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(expires_at__lt=now).exclude(file="")
    count = 0
    for export in expired:
        export.file.delete(save=False)
        DataExport.objects.filter(pk=export.pk).update(file="")
        count += 1
    return count
