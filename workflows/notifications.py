"""Messages about cases: who gets them, on which channel, in which language.

Each message is recorded (the delivery log of the case) before it is sent by
Huey once the change that caused it is committed; a failed send is recorded
and retried, a sent one is never sent again.
"""

import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from wagtail.admin.utils import get_user_display_name

from content.content_language import staff_language
from forms_library.forms import answer_of_kind
from workflows.blocks import ASSIGNEE, PARTNER, RESIDENT, Channel
from workflows.channels import sms_backend
from workflows.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    MessageTemplate,
    Notification,
    NotificationChannel,
    NotificationStatus,
)
from workflows.placeholders import placeholders_fill
from workflows.tasks import notification_send_task

logger = logging.getLogger("maillage")

FIRST_NAME_QUESTIONS = ("prenom", "first_name", "given_name")


@dataclass(frozen=True)
class Recipient:
    label: str
    channel: str
    address: str
    language: str


def _resident_channel(case: Case, effect: dict[str, Any], email: str) -> str:
    """The channel the effect asks for the person: email, or a text message."""
    wanted = effect.get("channel") or Channel.EMAIL
    if wanted != Channel.PREFERRED:
        return wanted
    answers = case.submission.answers
    choice = str(answers.get(effect.get("channel_question") or "", "")).casefold()
    if "sms" in choice or "texto" in choice:
        return Channel.SMS
    if not choice:
        return Channel.EMAIL if email else Channel.SMS
    return Channel.EMAIL


def _resident_addresses(case: Case) -> tuple[str, str]:
    """The email address and phone number the person gave, "" when none."""
    submission = case.submission
    email = answer_of_kind(submission.revision, submission.answers, "email")
    phone = answer_of_kind(submission.revision, submission.answers, "phone")
    return email, phone


def _resident(case: Case, effect: dict[str, Any]) -> list[Recipient]:
    submission = case.submission
    if submission is None:
        return []
    email, phone = _resident_addresses(case)
    wanted = _resident_channel(case, effect, email)
    label = case.title or _("the person")
    if wanted == Channel.SMS and phone:
        return [Recipient(label, NotificationChannel.SMS, phone, submission.language)]
    # A text message without a number still reaches the person by email.
    if email:
        return [Recipient(label, NotificationChannel.EMAIL, email, submission.language)]
    return []


def _staff_meant_for(case: Case, who: str) -> list:
    """The people, or the organisation, a message to the team is for, whether
    or not they have an email address."""
    if who == ASSIGNEE:
        return [case.assignee] if case.assignee else []
    if who == PARTNER:
        return [case.partner] if case.partner else []
    return list(
        get_user_model().objects.filter(
            is_active=True,
            groups__territory_group__territory=case.territory_id,
            groups__territory_group__role=who,
        )
    )


def recipients_of(case: Case, effect: dict[str, Any]) -> list[Recipient]:
    """Who a notification effect reaches; people without an address are skipped."""
    who = effect["recipient"]
    if who == RESIDENT:
        return _resident(case, effect)
    # Partner organisations have no admin profile: they get the site's language.
    # People are named as everywhere else in the admin, not by their login.
    return [
        Recipient(
            str(meant) if who == PARTNER else get_user_display_name(meant),
            NotificationChannel.EMAIL,
            meant.email,
            settings.LANGUAGE_CODE if who == PARTNER else staff_language(meant),
        )
        for meant in _staff_meant_for(case, who)
        if meant.email
    ]


def placeholder_values(case: Case, language: str) -> dict[str, str]:
    answers = case.submission.answers if case.submission else {}
    first_name = next(
        (str(answers[name]) for name in FIRST_NAME_QUESTIONS if answers.get(name)),
        (case.title or "").split(" ")[0],
    )
    # The day of the deadline where the case is followed: 20:00 in Québec is
    # already the next day in Paris, the server's time zone.
    zone = ZoneInfo(case.territory.time_zone)
    with translation.override(language):
        deadline = (
            formats.date_format(
                timezone.localtime(case.deadline, zone), "SHORT_DATE_FORMAT"
            )
            if case.deadline
            else ""
        )
    return {
        "reference": case.reference,
        "name": case.title,
        "first_name": first_name,
        "state": case.state_label,
        "territory": case.territory.title,
        "deadline": deadline,
        "link": settings.WAGTAILADMIN_BASE_URL + reverse("cases:case", args=[case.pk]),
    }


def _template_of(effect: dict[str, Any]) -> MessageTemplate | None:
    template_id = effect.get("template")
    if not template_id or effect.get("maillage_message"):
        return None
    return MessageTemplate.objects.filter(pk=template_id).first()


def _texts(
    effect: dict[str, Any], template: MessageTemplate | None, language: str
) -> tuple[str, str]:
    if effect.get("maillage_message"):
        # One of Maillage's own messages, in the recipient's language.
        with translation.override(language):
            return _(effect["subject"]), _(effect["message"])
    if template is not None:
        return template.in_language(language)
    return effect.get("subject") or "", effect.get("message") or ""


def notifications_queue(
    *, case: Case, effect: dict[str, Any], event: CaseEvent | None = None
) -> list[Notification]:
    """Record one message per recipient and send each from Huey once committed.

    `effect` is a notify effect's value: recipient, template or subject and
    message, channel.
    """
    template = _template_of(effect)
    if template is None and not (effect.get("subject") and effect.get("message")):
        _record_template_gone(case)
        return []
    recipients = recipients_of(case, effect)
    if not recipients:
        _record_nobody_reached(case, effect)
        return []
    created = []
    for recipient in recipients:
        subject, body = _texts(effect, template, recipient.language)
        values = placeholder_values(case, recipient.language)
        notification = Notification.objects.create(
            case=case,
            event=event,
            recipient=recipient.label[:120],
            channel=recipient.channel,
            address=recipient.address,
            language=recipient.language,
            subject=placeholders_fill(subject, values)[:200],
            body=placeholders_fill(body, values),
        )
        notification_enqueue(notification)
        created.append(notification)
    return created


def _record_template_gone(case: Case) -> None:
    # The template was deleted after the workflow was published: sending its
    # effect's empty subject and message would reach the person with nothing.
    # The team must know they were not told.
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "A message was not sent: its message template was deleted. Tell the "
            "person another way, and ask your coordinator to choose another "
            "template in the workflow."
        )
    CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, text=text)


def _record_nobody_reached(case: Case, effect: dict[str, Any]) -> None:
    # The team must know the person was not told, and why, to tell them
    # another way.
    subject, _body = _texts(effect, _template_of(effect), settings.LANGUAGE_CODE)
    subject = placeholders_fill(
        subject, placeholder_values(case, settings.LANGUAGE_CODE)
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _why_nobody_was_reached(case, effect) % {"subject": subject}
    CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, text=text)


def _why_nobody_was_reached(case: Case, effect: dict[str, Any]) -> str:
    """Why a notify effect reached nobody, in the active language, with a
    %(subject)s placeholder for the message's subject."""
    who = effect["recipient"]
    if who == RESIDENT and case.submission is not None:
        email, _phone = _resident_addresses(case)
        if _resident_channel(case, effect, email) == Channel.SMS:
            return _(
                "Message “%(subject)s” not sent: it goes by text message and the "
                "person gave neither a phone number nor an email address. Tell "
                "them another way."
            )
        return _(
            "Message “%(subject)s” not sent: it goes by email and the person gave "
            "no email address. Tell them another way."
        )
    if who != RESIDENT and _staff_meant_for(case, who):
        return _(
            "Message “%(subject)s” not sent: it goes by email and nobody it was "
            "meant for has an email address here. Tell them another way."
        )
    return _(
        "Message “%(subject)s” not sent: nobody it was meant for has an "
        "email address or a phone number here. Tell them another way."
    )


def notification_enqueue(notification: Notification) -> None:
    transaction.on_commit(
        lambda pk=notification.pk: notification_send_task(pk), robust=True
    )


def notification_send(*, notification_id: int) -> Notification:
    """Send one recorded message; a failure is recorded and raised for a retry.

    The row is locked while sending, so two workers never send it twice.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status == NotificationStatus.SENT:
            return notification
        notification.attempts += 1
        try:
            _deliver(notification)
        except Exception as error:
            notification.status = NotificationStatus.FAILED
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            notification.save(update_fields=["status", "attempts", "last_error"])
            failed = error
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.save(
                update_fields=["status", "attempts", "sent_at", "last_error"]
            )
            return notification
    raise failed  # after the commit, so the failure stays recorded


def _deliver(notification: Notification) -> None:
    if notification.channel == NotificationChannel.SMS:
        sms_backend().send(notification.address, notification.body)
        return
    send_mail(notification.subject, notification.body, None, [notification.address])


def notification_resend(*, notification: Notification, user) -> Notification:
    """Send a message again (a failed one, or one the person says they lost).

    Refused, with the reason, while it is still on its way or once the
    person's address was erased.
    """
    with transaction.atomic():
        # Locked, so a double click makes one copy: the second sees the first.
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        copies = Notification.objects.filter(
            case=notification.case_id,
            event=notification.event_id,
            address=notification.address,
            subject=notification.subject,
            created_at__gt=notification.created_at,
        )
        # A copy sent again already and still on its way answers for it.
        reason = notification.why_not_sent_again() or next(
            (copy.why_not_sent_again() for copy in copies if copy.may_still_arrive()),
            "",
        )
        if reason:
            raise ValidationError(reason)
        return _resend(notification, user)


def _resend(notification: Notification, user) -> Notification:
    resent = Notification.objects.create(
        case=notification.case,
        event=notification.event,
        recipient=notification.recipient,
        channel=notification.channel,
        address=notification.address,
        language=notification.language,
        subject=notification.subject,
        body=notification.body,
    )
    logger.info(
        "Notification %s resent as %s by %s", notification.pk, resent.pk, user.pk
    )
    notification_enqueue(resent)
    return resent


def message_preview(template: MessageTemplate, user) -> list[dict[str, str]]:
    """The template filled with a real case of its territory, in each language."""
    from workflows.selectors import cases_visible_to

    cases = cases_visible_to(user).select_related("revision", "territory", "submission")
    if template.territory_id:
        cases = cases.filter(territory=template.territory_id)
    case = cases.order_by("-opened_at").first()
    previews = []
    for language, name in settings.LANGUAGES:
        subject, body = template.in_language(language)
        values = (
            placeholder_values(case, language)
            if case
            else {"reference": "ABC-2026-0001", "name": "Awa Diallo"}
        )
        previews.append(
            {
                "language": str(name),
                "case": case.reference if case else "",
                "subject": placeholders_fill(subject, values),
                "body": placeholders_fill(body, values),
            }
        )
    return previews
