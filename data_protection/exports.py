"""One person's data as a file they can take away (right of access, portability).

Built synchronously: one person's submissions and cases are a few rows.
"""

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from content.spreadsheets import cell_as_text
from forms_library.forms import answer_display
from forms_library.models import Submission


def _moment(value, zone: tzinfo | None = None) -> str:
    """A moment in the zone given, the site's by default, with its offset."""
    return timezone.localtime(value, zone).isoformat() if value else ""


def _consent_document(consent: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    # Stored as text, in UTC: read back in the zone of the other times.
    given_at = consent.get("given_at")
    try:
        moment = datetime.fromisoformat(given_at)
    except (TypeError, ValueError):
        return dict(consent)  # not a time written by us: kept as it is
    if timezone.is_naive(moment):
        return dict(consent)
    return {**consent, "given_at": _moment(moment, zone)}


def _case_document(case, zone: tzinfo) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "workflow": case.workflow.title,
        "name": case.title,
        "state": case.state_label,
        "opened_at": _moment(case.opened_at, zone),
        "closed_at": _moment(case.closed_at, zone),
        "timeline": [
            {
                "at": _moment(event.created_at, zone),
                "kind": event.get_kind_display(),
                "description": event.description,
                "note": event.text,
                "answers": dict(event.labelled_answers()),
            }
            for event in case.events.select_related("form_revision")
        ],
        "messages": [
            {
                "at": _moment(message.created_at, zone),
                "channel": message.get_channel_display(),
                "address": message.address,
                "subject": message.subject,
                "body": message.body,
                "status": message.get_status_display(),
            }
            for message in case.notifications.all()
        ],
    }


def _submission_document(submission: Submission) -> dict[str, Any]:
    # Its times as the people of its territory read their clocks.
    zone = ZoneInfo(submission.territory.time_zone)
    return {
        "reference": submission.reference,
        "form": submission.form_definition.title,
        "purpose": submission.form_definition.purpose,
        "territory": submission.territory.title,
        "received_at": _moment(submission.created_at, zone),
        "source": submission.get_source_display(),
        "language": submission.language,
        "answers": [
            {"question": label, "name": name, "answer": value}
            for name, label, value in submission.labelled_answers()
        ],
        "consents": [_consent_document(c, zone) for c in submission.consents],
        "files": [
            {"question": f.field_name, "name": f.original_name, "size": f.size}
            for f in submission.files.all()
        ],
        "cases": [
            _case_document(case, zone)
            for case in submission.cases.select_related("workflow", "revision")
        ],
    }


def personal_data_document(submissions: Iterable[Submission]) -> dict[str, Any]:
    """Everything held about one person in these submissions and their cases."""
    return {
        "generated_at": _moment(timezone.now()),
        "submissions": [_submission_document(s) for s in submissions],
    }


def personal_data_json(document: dict[str, Any]) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _rows(document: dict[str, Any]) -> Iterable[list[str]]:
    for submission in document["submissions"]:
        reference, received = submission["reference"], submission["received_at"]
        yield [_("Submission"), reference, received, _("Form"), submission["form"]]
        for answer in submission["answers"]:
            value = answer_display(answer["answer"])
            yield [_("Answer"), reference, received, answer["question"], value]
        for consent in submission["consents"]:
            yield [
                _("Consent"),
                reference,
                consent.get("given_at", ""),
                consent.get("purpose", ""),
                _("Yes"),
            ]
        for attached in submission["files"]:
            yield [
                _("File"),
                reference,
                received,
                attached["question"],
                attached["name"],
            ]
        for case in submission["cases"]:
            yield from _case_rows(case)


def _case_rows(case: dict[str, Any]) -> Iterable[list[str]]:
    reference = case["reference"]
    yield [_("Case"), reference, case["opened_at"], _("State"), case["state"]]
    for event in case["timeline"]:
        details = [event["description"], event["note"]] + [
            f"{label}: {answer_display(value)}"
            for label, value in event["answers"].items()
        ]
        text = " · ".join(d for d in details if d)
        yield [_("Timeline"), reference, event["at"], event["kind"], text]
    for message in case["messages"]:
        text = f"{message['address']} · {message['subject']} · {message['body']}"
        yield [_("Message"), reference, message["at"], message["channel"], text]


def personal_data_csv(document: dict[str, Any]) -> str:
    """The same document flattened: one line per answer, event or message."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([_("What"), _("Reference"), _("Date"), _("Item"), _("Value")])
    for row in _rows(document):
        writer.writerow([cell_as_text(str(cell)) for cell in row])
    return output.getvalue()
