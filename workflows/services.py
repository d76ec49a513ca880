"""Use cases that change cases: open one, take a transition, note, attach, notify."""

import json
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.admin.utils import get_user_display_name

from content.co_construction import case_reached_state
from content.models import TerritoryPage, TerritoryRole
from forms_library.forms import published_form
from forms_library.models import Submission
from forms_library.services import reference_next
from workflows.blocks import ASSIGNEE, AssignTo
from workflows.forms import (
    CHOSEN_PARTNER,
    CHOSEN_PERSON,
    EXPECTED_STATE,
    TransitionForm,
)
from workflows.graph import Transition
from workflows.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseEventKind,
    WorkflowDefinition,
    graph_of_revision,
)
from workflows.notifications import notifications_queue
from workflows.selectors import CaseActors, cases_visible_to

logger = logging.getLogger("maillage")

# The same note by the same person this soon is the same click sent twice.
SAME_NOTE_WITHIN = timedelta(minutes=2)


class CaseActionRefused(Exception):
    """An action on a case that was not taken; the message says why, plainly."""

    def __init__(
        self, message: str, form: TransitionForm | None = None, *, moved: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.form = form
        # The case is no longer in the state the person saw: what they wrote
        # cannot be taken as it is, but must not be lost either.
        self.moved = moved


def case_title_from(submission: Submission) -> str:
    """Name a case after the first short answers of its form (first and last
    name, an organisation's name…), so the inbox can be searched by name."""
    texts = [
        submission.answers.get(child.value["name"])
        for child in published_form(submission.revision)[0].fields
        if child.block_type == "short_text"
    ]
    return " ".join(str(text) for text in texts if text)[:255] if texts else ""


def _new_reference(territory: TerritoryPage) -> str:
    year = timezone.localdate(timezone=ZoneInfo(territory.time_zone)).year
    return reference_next(territory=territory, year=year)


@transaction.atomic
def case_open(
    *,
    workflow: WorkflowDefinition,
    territory: TerritoryPage,
    submission: Submission | None = None,
    opened_from: Case | None = None,
    actor=None,
) -> Case:
    """Open a case in the initial state of the workflow's published revision."""
    revision = workflow.live_revision
    if not workflow.live or revision is None:
        raise CaseActionRefused(
            _("The workflow “%(title)s” is not published.") % {"title": workflow}
        )
    initial = graph_of_revision(revision).initial
    first_case = submission is not None and not submission.cases.exists()
    now = timezone.now()
    case = Case(
        workflow=workflow,
        revision=revision,
        territory=territory,
        submission=submission,
        opened_from=opened_from,
        reference=submission.reference if first_case else _new_reference(territory),
        title=(
            opened_from.title
            if opened_from
            else case_title_from(submission)
            if submission
            else ""
        ),
        state=initial.name,
        deadline=_deadline_in(initial.deadline_days, now),
        opened_at=now,
    )
    case._history_user = actor
    case.save()
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.OPENED,
        actor=actor,
        to_state=initial.name,
        description=initial.label,
        created_at=now,
    )
    return case


def _deadline_in(days: int | None, now):
    return now + timedelta(days=days) if days else None


def transition_form_for(
    *, case: Case, transition: Transition, data: Mapping | None = None
) -> TransitionForm:
    return TransitionForm(data, case=case, transition=transition)


def case_take_transition(
    *, case: Case, transition_name: str, user, data: Mapping[str, Any]
) -> Case:
    """Take one transition: checked, locked, recorded; side effects on commit.

    `data` holds the transition form's answers and the state the person saw
    (`_expected_state`). Two people acting on one case at once: the first
    wins, the second is told the case moved and nothing changes.
    """
    transition = case.graph.transition(transition_name)
    if transition is None or transition.target is None:
        raise CaseActionRefused(_("This action does not exist in this workflow."))
    form = transition_form_for(case=case, transition=transition, data=data)
    if transition.form_id and form.form_revision is None:
        raise CaseActionRefused(
            _("The form of this action is no longer published: ask your coordinator.")
        )
    if not form.is_valid():
        raise CaseActionRefused(_("Please correct the answers below."), form=form)
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update()
            .select_related("revision", "territory")
            .get(pk=case.pk)
        )
        _check_can_take(locked, transition, user, form.cleaned_data[EXPECTED_STATE])
        event = _apply_transition(locked, transition, user, form)
    return event.case


def case_moved_message(case: Case) -> str:
    """What a person is told when the case moved since they loaded it."""
    return _(
        "Someone acted on this case meanwhile: it is now “%(state)s”. "
        "Nothing was changed; look at it again before acting."
    ) % {"state": case.state_label}


def case_transition_already_taken(*, case: Case, form: TransitionForm, user) -> bool:
    """Whether the case's latest move is this person taking this action, from
    the state they saw, with these very answers (`form`, as they sent it):
    their own page sent twice (a double tap, a reload), not someone else
    acting meanwhile, nor another tab of theirs where they wrote something
    else."""
    if not form.is_valid():
        return False
    last = (
        case.events.filter(kind=CaseEventKind.TRANSITION)
        .order_by("-created_at", "-pk")
        .first()
    )
    # As the event stored them: dates and numbers as JSON has them.
    sent = json.loads(json.dumps(form.answers(), cls=DjangoJSONEncoder))
    return (
        last is not None
        and last.actor_id == user.pk
        and last.transition == form.transition.name
        and last.from_state == form.cleaned_data[EXPECTED_STATE]
        and last.answers == sent
    )


def _check_can_take(case: Case, transition: Transition, user, expected: str) -> None:
    if case.state != expected:
        raise CaseActionRefused(case_moved_message(case), moved=True)
    if case.is_closed or transition.source != case.state:
        raise CaseActionRefused(
            _("“%(action)s” cannot be taken from “%(state)s”.")
            % {"action": transition.label, "state": case.state_label}
        )
    if not CaseActors(user, case.territory).may_take(case, transition):
        raise CaseActionRefused(
            _("You are not among the people who may take “%(action)s”.")
            % {"action": transition.label}
        )


def _apply_transition(
    case: Case, transition: Transition, user, form: TransitionForm
) -> CaseEvent:
    now = timezone.now()
    source = case.graph.state(case.state)
    target = case.graph.state(transition.target)
    case.state = target.name
    case.deadline = _deadline_in(target.deadline_days, now)
    case.closed_at = now if target.is_final else None
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.TRANSITION,
        actor=user,
        transition=transition.name,
        description=transition.label,
        from_state=source.name,
        to_state=target.name,
        form_revision=form.form_revision,
        answers=form.answers(),
        created_at=now,
    )
    notifications: list[dict] = []
    linked: list[int] = []
    for effect in transition.effects:
        value = effect["value"]
        if effect["type"] == "assign":
            _assign(case, value["to"], user, form, now)
        elif effect["type"] == "deadline":
            case.deadline = _deadline_in(value.get("days"), now)
        elif effect["type"] == "notify":
            notifications.append(value)
        elif effect["type"] == "open_case":
            linked.append(value["workflow"])
    case.overdue_notified_at = None
    case._history_user = user
    case.save()
    case_reached_state(case=case)
    for workflow_id in linked:
        _open_linked_case(case, workflow_id, user)
    for value in notifications:
        notifications_queue(case=case, event=event, effect=value)
    return event


def _assign(case: Case, to: str, user, form: TransitionForm, now) -> None:
    before = (case.assignee_id, case.partner_id, case.assigned_role)
    # A case is in one person's hands or one group's, not both: a group it was
    # handed to earlier (the committee, say) neither keeps it in its inbox nor
    # goes on reading it once it is given to someone, or to nobody.
    if to == AssignTo.ACTOR:
        case.assignee, case.assigned_role = user, ""
    elif to == AssignTo.CHOSEN_PERSON:
        case.assignee, case.assigned_role = form.cleaned_data[CHOSEN_PERSON], ""
    elif to == AssignTo.CHOSEN_PARTNER:
        case.partner = form.cleaned_data[CHOSEN_PARTNER]
    elif to == AssignTo.NOBODY:
        case.assignee, case.assigned_role = None, ""
    elif to in TerritoryRole.values:
        case.assignee, case.assigned_role = None, to
    if (case.assignee_id, case.partner_id, case.assigned_role) == before:
        return
    if to == AssignTo.CHOSEN_PARTNER:
        kind, text = CaseEventKind.REFERRAL, str(case.partner)
    elif to in TerritoryRole.values:
        kind, text = CaseEventKind.ASSIGNMENT, case.get_assigned_role_display()
    else:
        kind = CaseEventKind.ASSIGNMENT
        text = get_user_display_name(case.assignee) or "—"
    CaseEvent.objects.create(
        case=case, kind=kind, actor=user, description=text[:255], created_at=now
    )


def _open_linked_case(case: Case, workflow_id: int, user) -> None:
    workflow = WorkflowDefinition.objects.filter(pk=workflow_id, live=True).first()
    if workflow is None:
        raise CaseActionRefused(
            _("The workflow of the linked case is not published: ask your coordinator.")
        )
    linked = case_open(
        workflow=workflow,
        territory=case.territory,
        submission=case.submission,
        opened_from=case,
        actor=user,
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.LINKED_CASE,
        actor=user,
        description=f"{linked.reference} · {workflow.title}"[:255],
    )


DEADLINE_SUBJECT = gettext_noop("Case {reference} is past its deadline")
DEADLINE_MESSAGE = gettext_noop(
    "The case {reference} ({name}) has been “{state}” longer than planned "
    "(deadline: {deadline}).\n\nOpen it: {link}"
)


def cases_flag_overdue(*, now=None) -> int:
    """Tell the assignee (or the coordination) once of each case past its deadline.

    Idempotent: a case is flagged once per deadline; running it again sends
    nothing more. A new deadline (a transition) may be flagged again.
    """
    now = now or timezone.now()
    due = Case.objects.filter(
        closed_at__isnull=True, deadline__lt=now, overdue_notified_at__isnull=True
    ).select_related("revision", "territory", "assignee")
    flagged = 0
    for case in due:
        with transaction.atomic():
            claimed = Case.objects.filter(
                pk=case.pk, overdue_notified_at__isnull=True, deadline=case.deadline
            ).update(overdue_notified_at=now)
            if not claimed:
                continue  # another worker got there first
            event = CaseEvent.objects.create(
                case=case,
                kind=CaseEventKind.DEADLINE_PASSED,
                description=case.state_label,
                created_at=now,
            )
            notifications_queue(
                case=case,
                event=event,
                effect={
                    "recipient": ASSIGNEE
                    if case.assignee_id
                    else TerritoryRole.COORDINATION,
                    "subject": DEADLINE_SUBJECT,
                    "message": DEADLINE_MESSAGE,
                    "maillage_message": True,
                },
            )
        flagged += 1
    return flagged


@transaction.atomic
def case_add_note(*, case: Case, user, text: str) -> CaseEvent:
    """An internal note on the case's timeline.

    The same note by the same person again this soon (a double tap, a reload
    of the page that sent it) is that note, not a second copy of it.
    """
    _check_can_see(case, user)
    # One note at a time per case, so that a note sent twice at once is seen.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    same_note = (
        CaseEvent.objects.filter(
            case=case,
            kind=CaseEventKind.NOTE,
            actor=user,
            text=text,
            created_at__gte=timezone.now() - SAME_NOTE_WITHIN,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if same_note is not None:
        return same_note
    return CaseEvent.objects.create(
        case=case, kind=CaseEventKind.NOTE, actor=user, text=text
    )


@transaction.atomic
def case_add_attachment(*, case: Case, user, upload: UploadedFile) -> CaseAttachment:
    """A private file on the case, with its event on the timeline."""
    _check_can_see(case, user)
    attachment = CaseAttachment(
        case=case, original_name=upload.name[:255], size=upload.size, uploaded_by=user
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.ATTACHMENT,
        actor=user,
        description=attachment.original_name,
    )
    return attachment


def _check_can_see(case: Case, user) -> None:
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        raise CaseActionRefused(_("You cannot act on this case."))
