"""A case's timeline: what happened, who did it, what was sent, in order."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.utils import get_user_display_name

from forms_library.forms import displayed_answers
from workflows.models import Case, CaseEventKind


@dataclass
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    actor: str = ""
    text: str = ""
    answers: list[tuple[str, object]] = field(default_factory=list)
    status: str = ""
    # The message's id when it may be sent again (see `why_not_sent_again`).
    resendable_id: int | None = None


def _event_title(event, graph) -> str:
    if event.kind == CaseEventKind.TRANSITION:
        return _("%(action)s: %(source)s → %(target)s") % {
            "action": event.description,
            "source": graph.state(event.from_state).label,
            "target": graph.state(event.to_state).label,
        }
    if event.kind == CaseEventKind.OPENED:
        return _("Case opened in “%(state)s”") % {"state": event.description}
    if event.kind == CaseEventKind.ASSIGNMENT:
        return _("Assigned to %(who)s") % {"who": event.description}
    if event.kind == CaseEventKind.REFERRAL:
        return _("Referred to %(partner)s") % {"partner": event.description}
    if event.kind == CaseEventKind.DEADLINE_PASSED:
        return _("Deadline passed in “%(state)s”") % {"state": event.description}
    if event.kind == CaseEventKind.LINKED_CASE:
        return _("Linked case opened: %(case)s") % {"case": event.description}
    if event.kind == CaseEventKind.ATTACHMENT:
        return _("File added: %(name)s") % {"name": event.description}
    return _("Note")


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Events and notifications of the case, oldest first (three queries)."""
    graph = case.graph
    entries = [
        TimelineEntry(
            at=event.created_at,
            kind=event.kind,
            title=_event_title(event, graph),
            actor=get_user_display_name(event.actor) if event.actor else _("Maillage"),
            text=event.text,
            answers=[
                (label, shown)
                for _name, label, shown in displayed_answers(
                    event.form_revision, event.answers
                )
            ]
            if event.form_revision_id
            else [],
        )
        for event in case.events.select_related("actor", "form_revision")
    ]
    entries += [
        TimelineEntry(
            at=notification.created_at,
            kind="notification",
            title=_("%(channel)s “%(subject)s” to %(recipient)s")
            % {
                "channel": notification.get_channel_display(),
                "subject": notification.subject,
                "recipient": notification.recipient,
            },
            actor=_("Maillage"),
            status=ngettext(
                "%(status)s after %(attempts)s attempt",
                "%(status)s after %(attempts)s attempts",
                notification.attempts,
            )
            % {
                "status": notification.get_status_display(),
                "attempts": notification.attempts,
            },
            text=notification.last_error,
            resendable_id=(
                None if notification.why_not_sent_again() else notification.pk
            ),
        )
        for notification in case.notifications.all()
    ]
    return sorted(entries, key=lambda entry: entry.at)
