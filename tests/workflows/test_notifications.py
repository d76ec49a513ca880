"""Messages people can edit, on the person's channel and in their language."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.users.models import UserProfile

from content.models import TerritoryRole
from forms_library.library import field
from tests.content.factories import member_of
from tests.workflows.factories import (
    WorkflowDefinitionFactory,
    accompaniment_graph,
    case_from_submission,
    case_without_submission,
)
from tests.workflows.test_admin import shown
from workflows.blocks import NotifyBlock
from workflows.demo import notify
from workflows.digest import weekly_digest_send
from workflows.forms import EXPECTED_STATE
from workflows.models import (
    CaseEventKind,
    MessageTemplate,
    Notification,
    NotificationStatus,
)
from workflows.notifications import message_preview, placeholder_values
from workflows.placeholders import placeholders_fill
from workflows.services import case_take_transition
from workflows.timeline import case_timeline

pytestmark = pytest.mark.django_db

CONTACT_FIELDS = [
    field("short_text", "Prénom", "prenom"),
    field("email", "Courriel", "courriel", required=False),
    field("phone", "Téléphone", "telephone", required=False),
    field(
        "single_choice",
        "Comment vous joindre ?",
        "canal",
        choices=["Par courriel", "Par SMS"],
    ),
]


def take_first_step(case, worker, capture, *, sent: bool = True):
    """Take the case in hand; with `sent` False, its messages wait in the
    queue (the worker is busy)."""
    with capture(execute=sent):
        case_take_transition(
            case=case,
            transition_name="prendre_en_charge",
            user=worker,
            data={EXPECTED_STATE: "accueil"},
        )


def test_an_unknown_placeholder_is_refused_and_named():
    template = MessageTemplate(
        title="Accueil",
        subject_fr="Votre demande {reference}",
        body_fr="Bonjour {prénom}, rendez-vous le {date_rdv}.",
    )
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    message = refused.value.message_dict["body_fr"][0]
    assert message.startswith("Unknown placeholder: {date_rdv}, {prénom}.")
    template.body_fr = "Bonjour {first_name, à bientôt."
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "A brace is not closed" in refused.value.message_dict["body_fr"][0]


def test_a_placeholder_with_a_format_is_refused_and_never_run(django_user_model):
    template = MessageTemplate(
        title="Rendez-vous",
        subject_fr="Votre demande {reference!r}",
        body_fr="Rendez-vous le {deadline:%d/%m/%Y}, {name:>999999999}.",
    )
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert refused.value.message_dict["body_fr"][0].startswith(
        "Write placeholders without a format after a colon or an exclamation "
        "mark: {deadline}, {name}."
    )
    assert "{reference}" in refused.value.message_dict["subject_fr"][0]
    # The preview of a draft shows it, formats ignored, before it is checked.
    admin = django_user_model.objects.create_superuser("relecture", password="x")
    french = message_preview(template, admin)[0]
    assert french["subject"] == "Votre demande ABC-2026-0001"
    assert french["body"] == "Rendez-vous le , Awa Diallo."


def test_filling_keeps_what_is_not_a_placeholder_as_written():
    values = {"reference": "ARS-2026-0007"}
    assert placeholders_fill("{reference} {{reference}} {inconnu}", values) == (
        "ARS-2026-0007 {reference} {inconnu}"
    )
    assert placeholders_fill("Accolade {reference", values) == "Accolade {reference"


def test_a_notify_effect_needs_a_text_or_a_template_and_known_placeholders():
    block = NotifyBlock()
    value = block.to_python(
        {"recipient": "resident", "subject": "", "message": "{inconnu}"}
    )
    with pytest.raises(ValidationError) as refused:
        block.clean(value)
    errors = refused.value.block_errors
    assert errors["subject"].messages == ["Write it, or choose a message template."]
    assert errors["message"].messages[0].startswith("Unknown placeholder: {inconnu}.")


def workflow_notifying_with_a_template(**texts):
    """A published workflow whose first step tells the resident with a
    message template of its territory holding these texts."""
    workflow = WorkflowDefinitionFactory(published=False)
    template = MessageTemplate.objects.create(
        title="Prise en charge", territory=workflow.territory, **texts
    )
    effect = notify("resident", "", "")
    effect[1]["template"] = template.pk
    workflow.graph = accompaniment_graph(effects_on_take=[effect])
    workflow.save_revision().publish()
    workflow.refresh_from_db()
    return workflow, template


@pytest.mark.parametrize(
    ("language", "subject"),
    [("fr", "Votre demande {ref}"), ("en", "Your request {ref}")],
)
def test_a_template_speaks_the_language_the_person_used(
    language, subject, django_capture_on_commit_callbacks
):
    workflow, _template = workflow_notifying_with_a_template(
        subject_fr="Votre demande {reference}",
        body_fr="Bonjour {first_name}, {state} avant le {deadline}.",
        subject_en="Your request {reference}",
        body_en="Hello {first_name}, {state} before {deadline}.",
    )
    with translation.override(language):
        case = case_from_submission(
            workflow, CONTACT_FIELDS, prenom="Awa", courriel="awa@example.org"
        )
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    take_first_step(case, worker, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(case=case)
    assert notification.language == language
    assert notification.subject == subject.format(ref=case.reference)
    assert notification.body.startswith(
        {
            "fr": "Bonjour Awa, Évaluation avant le ",
            "en": "Hello Awa, Évaluation before ",
        }[language]
    )
    assert mail.outbox[-1].subject == notification.subject


def test_the_person_who_chose_sms_gets_a_text_message(
    django_capture_on_commit_callbacks,
):
    effect = notify("resident", "Demande {reference}", "Bonjour {first_name}.")
    effect[1].update(channel="preferred", channel_question="canal")
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    case = case_from_submission(
        workflow,
        CONTACT_FIELDS,
        prenom="Yann",
        courriel="yann@example.org",
        telephone="06 12 34 56 78",
        canal="Par SMS",
    )
    outbox = Path(settings.MAILLAGE_SMS_FILE_PATH)
    before = set(outbox.glob("*.txt")) if outbox.exists() else set()
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    take_first_step(case, worker, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(case=case)
    assert (notification.channel, notification.address) == ("sms", "06 12 34 56 78")
    assert notification.status == NotificationStatus.SENT
    written = set(outbox.glob("*.txt")) - before
    assert [path.read_text() for path in written] == [
        "To: 06 12 34 56 78\n\nBonjour Yann.\n"
    ]
    assert not [m for m in mail.outbox if m.to == ["yann@example.org"]]


def case_writing_to_awa():
    """A case whose taking in hand writes to Awa by email, and a social worker."""
    effect = notify("resident", "Demande {reference}", "Bonjour.")
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    case = case_from_submission(
        workflow, CONTACT_FIELDS, prenom="Awa", courriel="awa@example.org"
    )
    return case, member_of(workflow.territory, TerritoryRole.INTERVENTION)


def test_a_message_can_be_sent_again_from_the_case_page(
    client, django_capture_on_commit_callbacks
):
    case, worker = case_writing_to_awa()
    take_first_step(case, worker, django_capture_on_commit_callbacks)
    first = Notification.objects.get(case=case)
    client.force_login(worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/cases/{case.pk}/messages/{first.pk}/resend/")
    assert response.status_code == 302
    assert Notification.objects.filter(case=case, status="sent").count() == 2
    assert len([m for m in mail.outbox if m.to == ["awa@example.org"]]) == 2
    stranger = member_of(
        WorkflowDefinitionFactory().territory, TerritoryRole.COORDINATION
    )
    client.force_login(stranger)
    url = f"/admin/cases/{case.pk}/messages/{first.pk}/resend/"
    assert client.post(url).status_code == 404


def test_a_message_on_its_way_or_without_address_is_not_sent_twice(
    client, django_capture_on_commit_callbacks
):
    case, worker = case_writing_to_awa()
    take_first_step(case, worker, django_capture_on_commit_callbacks, sent=False)
    queued = Notification.objects.get(case=case)
    assert queued.status == NotificationStatus.QUEUED
    client.force_login(worker)
    url = f"/admin/cases/{case.pk}/messages/{queued.pk}/resend/"
    page = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert url not in page
    refused = client.post(url, follow=True)
    assert shown(
        "This message is still on its way: it cannot be sent again yet.", refused
    )
    assert Notification.objects.filter(case=case).count() == 1

    Notification.objects.filter(pk=queued.pk).update(status="sent", address="")
    assert url not in client.get(f"/admin/cases/{case.pk}/").content.decode()
    refused = client.post(url, follow=True)
    assert shown(
        "The person's data was erased: there is no address to send it to.", refused
    )
    assert Notification.objects.filter(case=case).count() == 1


def test_a_message_is_sent_again_once_whatever_the_clicks_and_retries(
    django_capture_on_commit_callbacks,
):
    from workflows.notifications import notification_resend
    from workflows.tasks import NOTIFICATION_RETRIES

    case, worker = case_writing_to_awa()
    take_first_step(case, worker, django_capture_on_commit_callbacks, sent=False)
    first = Notification.objects.get(case=case)
    # Failed once, with retries left: it may still arrive.
    Notification.objects.filter(pk=first.pk).update(status="failed", attempts=1)
    with pytest.raises(ValidationError):
        notification_resend(notification=first, user=worker)
    # Every retry failed: the team may try again, once.
    Notification.objects.filter(pk=first.pk).update(attempts=NOTIFICATION_RETRIES + 1)
    with django_capture_on_commit_callbacks(execute=False):  # the copy waits
        notification_resend(notification=first, user=worker)
    with pytest.raises(ValidationError):  # a second click, a reload
        notification_resend(notification=first, user=worker)
    assert Notification.objects.filter(case=case).count() == 2
    # A message left queued longer than its retries take was lost.
    Notification.objects.filter(case=case).update(
        status="queued", created_at=timezone.now() - timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=False):
        notification_resend(notification=first, user=worker)
    assert Notification.objects.filter(case=case).count() == 3


def test_the_weekly_digest_counts_each_territory_of_each_coordinator():
    workflow = WorkflowDefinitionFactory()
    other = WorkflowDefinitionFactory()
    coordinator = member_of(workflow.territory, TerritoryRole.COORDINATION)
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "en"  # the language of their messages too
    profile.save()
    member_of(other.territory, TerritoryRole.COORDINATION)
    late = case_from_submission(workflow, first_name="Awa")
    case_from_submission(workflow, first_name="Bertrand")
    case_from_submission(other, first_name="Yann")
    sent = weekly_digest_send(now=timezone.now() + timedelta(days=3))
    assert sent == 2
    mine = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert mine.subject == "Your week on Maillage"
    assert f"== {workflow.territory.title} ==" in mine.body
    assert "New submissions this week: 2\nCases past their deadline: 2" in mine.body
    assert other.territory.title not in mine.body
    assert late.reference in mine.body
    assert "Yann" not in mine.body


NOT_SENT_BY_EMAIL = (
    "Message “%(subject)s” not sent: it goes by email and the person gave "
    "no email address. Tell them another way."
)
NOT_SENT_BY_SMS = (
    "Message “%(subject)s” not sent: it goes by text message and the "
    "person gave neither a phone number nor an email address. Tell "
    "them another way."
)
NOT_SENT_TO_STAFF = (
    "Message “%(subject)s” not sent: it goes by email and nobody it was "
    "meant for has an email address here. Tell them another way."
)
NOT_SENT_TO_ANYONE = (
    "Message “%(subject)s” not sent: nobody it was meant for has an "
    "email address or a phone number here. Tell them another way."
)


def unsent_note(case) -> str:
    """The note the team reads on the case when a message could not go."""
    notes = case.events.filter(kind=CaseEventKind.NOTE)
    assert not Notification.objects.filter(case=case).exists()
    return notes.get().text


def in_french(message: str, **params) -> str:
    # Notes are written in the site's language, whoever reads the test.
    with translation.override("fr"):
        return gettext(message) % params


@pytest.mark.parametrize(
    ("channel", "answers", "why"),
    [
        # The reported case: a phone number, but the message goes by email.
        ("email", {"telephone": "06 12 34 56 78"}, NOT_SENT_BY_EMAIL),
        ("preferred", {"canal": "Par courriel"}, NOT_SENT_BY_EMAIL),
        ("sms", {}, NOT_SENT_BY_SMS),
        ("preferred", {"canal": "Par SMS"}, NOT_SENT_BY_SMS),
    ],
)
def test_a_message_the_person_cannot_get_says_why_on_the_case(
    channel, answers, why, django_capture_on_commit_callbacks
):
    effect = notify("resident", "Demande {reference}", "Bonjour.", channel=channel)
    effect[1]["channel_question"] = "canal" if channel == "preferred" else ""
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    case = case_from_submission(
        workflow,
        CONTACT_FIELDS,
        **{"prenom": "Awa", "canal": "Par courriel", **answers},
    )
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    take_first_step(case, worker, django_capture_on_commit_callbacks)
    subject = f"Demande {case.reference}"
    assert unsent_note(case) == in_french(why, subject=subject)


def test_a_message_to_a_team_member_without_email_says_why_on_the_case(
    django_capture_on_commit_callbacks,
):
    effect = notify("assignee", "À suivre", "Un dossier pour vous.")
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    case = case_from_submission(workflow, CONTACT_FIELDS, courriel="awa@example.org")
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION, email="")
    take_first_step(case, worker, django_capture_on_commit_callbacks)
    assert unsent_note(case) == in_french(NOT_SENT_TO_STAFF, subject="À suivre")


def test_a_message_with_nobody_to_receive_it_keeps_the_general_note(
    django_capture_on_commit_callbacks,
):
    effect = notify("resident", "Demande {reference}", "Bonjour.")
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    case = case_without_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    take_first_step(case, worker, django_capture_on_commit_callbacks)
    subject = f"Demande {case.reference}"
    assert unsent_note(case) == in_french(NOT_SENT_TO_ANYONE, subject=subject)


def test_a_message_counts_its_attempts_in_words(django_capture_on_commit_callbacks):
    effect = notify("resident", "Demande {reference}", "Bonjour.")
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    case = case_from_submission(workflow, CONTACT_FIELDS, courriel="awa@example.org")
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    take_first_step(case, worker, django_capture_on_commit_callbacks)

    def statuses() -> list[str]:
        return [entry.status for entry in case_timeline(case) if entry.status]

    assert statuses() == ["Sent after 1 attempt"]
    case.notifications.update(attempts=3)
    assert statuses() == ["Sent after 3 attempts"]


def test_the_deadline_in_a_message_is_the_day_of_the_territory():
    workflow = WorkflowDefinitionFactory(territory__time_zone="America/Toronto")
    case = case_without_submission(workflow)
    # 02:30 in Paris on 8 December is still 7 December, 20:30, in Québec.
    case.deadline = datetime(2026, 12, 8, 1, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("fr"):
        assert placeholder_values(case, "fr")["deadline"] == "07/12/2026"


def test_a_message_to_the_team_names_each_person_not_their_login(
    django_capture_on_commit_callbacks,
):
    effect = notify("coordination", "Nouveau dossier {reference}", "{link}")
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    member_of(
        workflow.territory,
        TerritoryRole.COORDINATION,
        username="coordination.test",
        first_name="Maëlle",
        last_name="Guéguen",
        email="maelle@example.org",
    )
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    take_first_step(case, worker, django_capture_on_commit_callbacks)
    assert Notification.objects.get(case=case).recipient == "Maëlle Guéguen"
    titles = [entry.title for entry in case_timeline(case)]
    assert any(title.endswith("to Maëlle Guéguen") for title in titles), titles


def test_a_deleted_template_sends_no_empty_message_and_the_team_knows_it(
    django_capture_on_commit_callbacks,
):
    workflow, template = workflow_notifying_with_a_template(
        subject_fr="Votre demande {reference}", body_fr="Bonjour {first_name}."
    )
    case = case_from_submission(
        workflow, CONTACT_FIELDS, prenom="Awa", courriel="awa@example.org"
    )
    # Deleted once the workflow was published (the admin warns of its uses,
    # and lets a superuser go on).
    template.delete()
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    take_first_step(case, worker, django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.state == "evaluation"
    assert not Notification.objects.filter(case=case).exists()
    assert mail.outbox == []
    note = case.events.get(kind=CaseEventKind.NOTE)
    with translation.override("fr"):
        assert note.text == gettext(
            "A message was not sent: its message template was deleted. Tell the "
            "person another way, and ask your coordinator to choose another "
            "template in the workflow."
        )


def test_each_send_again_button_names_its_message(
    client, django_capture_on_commit_callbacks
):
    """Tabbing through the timeline, a keyboard or screen-reader user heard
    "Renvoyer" once per message, with nothing to tell them apart."""
    case, worker = case_writing_to_awa()
    take_first_step(case, worker, django_capture_on_commit_callbacks)
    first = Notification.objects.get(case=case)
    client.force_login(worker)
    page = BeautifulSoup(client.get(f"/admin/cases/{case.pk}/").content, "html.parser")
    button = page.select_one(
        f'form[action="/admin/cases/{case.pk}/messages/{first.pk}/resend/"] button'
    )
    name = " ".join(button.get_text().split())
    assert name.startswith("Renvoyer")
    assert f"Demande {case.reference}" in name and "Awa" in name
