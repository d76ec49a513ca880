"""Cases: opened by a submission, moved by transitions, kept on their revision."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from content.models import PartnerOrganisation, TerritoryRole
from forms_library.library import field
from tests.content.factories import member_of
from tests.forms_library.factories import FormDefinitionFactory, three_step_fields
from tests.workflows.factories import (
    WorkflowDefinitionFactory,
    accompaniment_graph,
    case_from_submission,
    named,
)
from workflows.demo import assign, notify, state, transition
from workflows.forms import CHOSEN_PARTNER, EXPECTED_STATE
from workflows.models import (
    Case,
    CaseEventKind,
    Notification,
    NotificationStatus,
    WorkflowDefinition,
)
from workflows.selectors import CaseActors, cases_visible_to, inbox_for
from workflows.services import (
    CaseActionRefused,
    case_add_note,
    case_take_transition,
    cases_flag_overdue,
)

pytestmark = pytest.mark.django_db


def take(case, name, user, **data):
    return case_take_transition(
        case=case,
        transition_name=name,
        user=user,
        data={EXPECTED_STATE: case.state, **data},
    )


def test_a_submission_on_a_bound_page_opens_a_case_in_the_initial_state():
    workflow = WorkflowDefinitionFactory()
    case = case_from_submission(workflow, first_name="Awa")
    assert case.state == "accueil"
    assert case.reference == case.submission.reference
    assert case.title == "Awa"
    assert case.revision_id == workflow.live_revision_id
    assert case.deadline is not None
    assert case.deadline - case.opened_at == timedelta(days=2)
    assert [e.kind for e in case.events.all()] == [CaseEventKind.OPENED]


def test_taking_a_transition_moves_assigns_and_records_it():
    workflow = WorkflowDefinitionFactory()
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    case = take(case, "prendre_en_charge", worker)
    case.refresh_from_db()
    assert case.state == "evaluation"
    assert case.assignee == worker
    assert case.deadline - timezone.now() > timedelta(days=6)
    kinds = [e.kind for e in case.events.all()]
    assert kinds == [
        CaseEventKind.OPENED,
        CaseEventKind.TRANSITION,
        CaseEventKind.ASSIGNMENT,
    ]
    assert case.history.count() == 2
    assert case.history.first().history_user == worker


def test_a_stale_transition_changes_nothing_and_says_why():
    workflow = WorkflowDefinitionFactory()
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.COORDINATION)
    seen_state = case.state
    take(case, "prendre_en_charge", worker)
    with pytest.raises(CaseActionRefused) as refused:
        case_take_transition(
            case=case,
            transition_name="classer_sans_suite",
            user=worker,
            data={EXPECTED_STATE: seen_state},
        )
    assert "Someone acted on this case meanwhile" in refused.value.message
    case.refresh_from_db()
    assert case.state == "evaluation"
    assert case.events.filter(kind=CaseEventKind.TRANSITION).count() == 1


def test_a_role_the_transition_does_not_allow_is_refused():
    workflow = WorkflowDefinitionFactory()
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    with pytest.raises(CaseActionRefused) as refused:
        take(case, "classer_sans_suite", worker)
    assert refused.value.message == (
        "You are not among the people who may take “Classer sans suite”."
    )
    case.refresh_from_db()
    assert case.state == "accueil"


def test_someone_of_another_territory_cannot_take_it():
    workflow = WorkflowDefinitionFactory()
    other = WorkflowDefinitionFactory()
    case = case_from_submission(workflow)
    stranger = member_of(other.territory, TerritoryRole.COORDINATION)
    with pytest.raises(CaseActionRefused):
        take(case, "prendre_en_charge", stranger)
    with pytest.raises(CaseActionRefused):
        case_add_note(case=case, user=stranger, text="Vu")


def test_a_transition_form_is_required_and_kept_with_its_revision():
    workflow = WorkflowDefinitionFactory(published=False)
    reason = FormDefinitionFactory(
        territory=workflow.territory,
        fields=[field("long_text", "Bilan", "bilan")],
    )
    workflow.graph = accompaniment_graph(form=reason.pk)
    workflow.save_revision().publish()
    workflow.refresh_from_db()
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.COORDINATION)
    take(case, "prendre_en_charge", worker)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused) as refused:
        take(case, "cloturer", worker)
    assert refused.value.form.errors["bilan"] == ["This field is required."]
    case.refresh_from_db()
    assert case.state == "evaluation"
    take(case, "cloturer", worker, bilan="Accompagnement réussi")
    case.refresh_from_db()
    assert case.is_closed
    event = case.events.get(kind=CaseEventKind.TRANSITION, to_state="cloture")
    assert event.labelled_answers() == [("Bilan", "Accompagnement réussi")]


def test_notifications_are_recorded_and_sent_after_commit(
    django_capture_on_commit_callbacks,
):
    effect = notify(
        "resident", "Votre demande {reference}", "Bonjour {name}, état : {state}."
    )
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    fields = [
        field("short_text", "Prénom", "first_name"),
        field("email", "Courriel", "email"),
    ]
    case = case_from_submission(workflow, fields, email="awa@example.org")
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    with django_capture_on_commit_callbacks(execute=True):
        take(case, "prendre_en_charge", worker)
    notification = Notification.objects.get(case=case)
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 1
    assert mail.outbox[-1].to == [notification.address]
    assert mail.outbox[-1].subject == f"Votre demande {case.reference}"
    assert mail.outbox[-1].body == "Bonjour Awa, état : Évaluation."


def test_a_person_with_no_address_is_not_told_and_the_team_knows_it(
    django_capture_on_commit_callbacks,
):
    effect = notify("resident", "Votre demande {reference}", "Bonjour {name}.")
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    case = case_from_submission(workflow, first_name="Awa")  # no email, no phone
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    with django_capture_on_commit_callbacks(execute=True):
        take(case, "prendre_en_charge", worker)
    assert not Notification.objects.filter(case=case).exists()
    note = case.events.get(kind="note")
    assert f"Votre demande {case.reference}" in note.text
    assert "Prévenez" in note.text


def test_referral_to_a_partner_lets_its_members_see_and_act():
    workflow = WorkflowDefinitionFactory(
        graph=named(
            [
                state("Reçue", "recue", "initial"),
                state("Chez le partenaire", "partenaire"),
                state("Servie", "servie", "final_positive"),
                transition(
                    "Orienter",
                    "recue",
                    "partenaire",
                    effects=[assign("chosen_partner")],
                ),
                transition("Servir", "partenaire", "servie", allowed=["partner"]),
            ]
        )
    )
    partner = PartnerOrganisation.objects.create(
        territory=workflow.territory, name="Épicerie solidaire"
    )
    partner_staff = member_of(workflow.territory, TerritoryRole.PARTNERS)
    partner.members.add(partner_staff)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    case = case_from_submission(workflow)
    assert not cases_visible_to(partner_staff).filter(pk=case.pk).exists()
    take(case, "orienter", worker, **{CHOSEN_PARTNER: str(partner.pk)})
    case.refresh_from_db()
    assert case.partner == partner
    assert cases_visible_to(partner_staff).filter(pk=case.pk).exists()
    assert list(inbox_for(partner_staff, scope="mine")) == [case]
    with pytest.raises(CaseActionRefused):
        take(case, "servir", worker)  # only the partner serves
    take(case, "servir", partner_staff)
    case.refresh_from_db()
    assert case.state == "servie"
    assert case.events.filter(kind=CaseEventKind.REFERRAL).get().description == (
        "Épicerie solidaire"
    )


def test_a_transition_can_open_a_linked_case_in_another_workflow():
    food_aid = WorkflowDefinitionFactory(title="Aide alimentaire")
    workflow = WorkflowDefinitionFactory(
        territory=food_aid.territory,
        graph=accompaniment_graph(
            effects_on_take=[("open_case", {"workflow": food_aid.pk})]
        ),
    )
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    take(case, "prendre_en_charge", worker)
    linked = case.linked_cases.get()
    assert linked.workflow == food_aid
    assert linked.state == "accueil"
    assert linked.submission == case.submission
    assert linked.reference != case.reference
    assert linked.title == case.title


def test_running_cases_keep_their_revision_when_a_state_is_removed():
    workflow = WorkflowDefinitionFactory()
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.COORDINATION)
    workflow.graph = named(
        [
            state("Accueil", "accueil", "initial"),
            state("Clôturé", "cloture", "final_positive"),
            transition("Clôturer", "accueil", "cloture"),
        ]
    )
    workflow.save_revision().publish()
    workflow.refresh_from_db()
    take(case, "prendre_en_charge", worker)  # "evaluation" is gone from the new one
    case.refresh_from_db()
    assert case.state_label == "Évaluation"
    assert [t.name for t in CaseActors(worker, case.territory).transitions(case)] == [
        "cloturer"
    ]
    new_case = case_from_submission(workflow)
    assert new_case.revision_id != case.revision_id
    assert [
        t.name for t in CaseActors(worker, new_case.territory).transitions(new_case)
    ] == ["cloturer"]


def test_overdue_cases_are_flagged_once(django_capture_on_commit_callbacks):
    workflow = WorkflowDefinitionFactory()
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    take(case, "prendre_en_charge", worker)
    later = timezone.now() + timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_flag_overdue(now=later) == 1
        assert cases_flag_overdue(now=later) == 0
    notification = Notification.objects.get(case=case)
    assert notification.address == worker.email
    assert notification.status == NotificationStatus.SENT
    assert case.events.filter(kind=CaseEventKind.DEADLINE_PASSED).count() == 1
    assert len([m for m in mail.outbox if m.to == [worker.email]]) == 1


def test_unassigned_overdue_case_tells_the_coordination():
    workflow = WorkflowDefinitionFactory()
    coordinator = member_of(workflow.territory, TerritoryRole.COORDINATION)
    case = case_from_submission(workflow)
    assert cases_flag_overdue(now=timezone.now() + timedelta(days=3)) == 1
    assert Notification.objects.get(case=case).address == coordinator.email


def test_a_failed_send_is_recorded_and_never_blocks_the_transition(
    settings, django_capture_on_commit_callbacks
):
    # A real SMTP client against a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        9,
        2,
    )
    effect = notify("coordination", "Nouveau dossier {reference}", "{link}")
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    member_of(workflow.territory, TerritoryRole.COORDINATION)
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    with django_capture_on_commit_callbacks(execute=True):
        take(case, "prendre_en_charge", worker)
    case.refresh_from_db()
    assert case.state == "evaluation"
    notification = Notification.objects.get(case=case)
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == 1
    assert "Connection" in notification.last_error


def test_a_case_handed_to_a_group_waits_in_its_members_inboxes():
    workflow = WorkflowDefinitionFactory(
        graph=named(
            [
                state("Reçue", "recue", "initial"),
                state("En commission", "commission"),
                state("Close", "close", "final_positive"),
                transition(
                    "Présenter",
                    "recue",
                    "commission",
                    effects=[assign(TerritoryRole.STEERING_COMMITTEE)],
                ),
                transition("Clore", "commission", "close"),
            ]
        )
    )
    case = case_from_submission(workflow)
    committee_member = member_of(workflow.territory, TerritoryRole.STEERING_COMMITTEE)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    assert list(inbox_for(worker, scope="unassigned")) == [case]
    take(case, "presenter", worker)
    case.refresh_from_db()
    assert case.assigned_role == TerritoryRole.STEERING_COMMITTEE
    assert list(inbox_for(worker, scope="unassigned")) == []
    assert list(inbox_for(worker, scope="groups")) == []
    assert list(inbox_for(committee_member, scope="groups")) == [case]
    assert list(cases_visible_to(committee_member)) == [case]
    other = case_from_submission(workflow)  # not handed to the committee
    assert not cases_visible_to(committee_member).filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    ("given_to", "worker_inbox"), [("actor", "mine"), ("nobody", "unassigned")]
)
def test_a_case_given_to_someone_or_nobody_leaves_the_group_it_was_handed_to(
    given_to, worker_inbox
):
    workflow = WorkflowDefinitionFactory(
        graph=named(
            [
                state("Reçue", "recue", "initial"),
                state("En commission", "commission"),
                state("Suivie", "suivie"),
                state("Close", "close", "final_positive"),
                transition(
                    "Présenter",
                    "recue",
                    "commission",
                    effects=[assign(TerritoryRole.STEERING_COMMITTEE)],
                ),
                transition(
                    "Reprendre", "commission", "suivie", effects=[assign(given_to)]
                ),
                transition("Clore", "suivie", "close"),
            ]
        )
    )
    case = case_from_submission(workflow)
    committee_member = member_of(workflow.territory, TerritoryRole.STEERING_COMMITTEE)
    worker = member_of(workflow.territory, TerritoryRole.COORDINATION)
    take(case, "presenter", worker)
    case.refresh_from_db()
    take(case, "reprendre", worker)
    case.refresh_from_db()
    assert case.assigned_role == ""
    assert list(inbox_for(committee_member)) == []
    assert not cases_visible_to(committee_member).filter(pk=case.pk).exists()
    assert list(inbox_for(worker, scope=worker_inbox)) == [case]


def test_an_intake_page_binds_only_a_published_workflow_of_its_territory():
    from django.core.exceptions import ValidationError

    from tests.workflows.factories import bound_intake_page

    workflow = WorkflowDefinitionFactory()
    elsewhere = WorkflowDefinitionFactory()
    page = bound_intake_page(workflow)
    page.workflow = elsewhere
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert refused.value.message_dict["workflow"] == [
        "Choose a workflow of this territory."
    ]


def _writing_to_the_person(channel: str) -> WorkflowDefinition:
    return WorkflowDefinitionFactory(
        graph=accompaniment_graph(
            effects_on_take=[
                notify("resident", "Prise en charge", "Bonjour {name}", channel)
            ]
        )
    )


def test_a_workflow_writing_by_email_is_not_bound_to_a_form_without_email():
    from forms_library.bindings import unreachable_by_binding

    phone_only = FormDefinitionFactory(fields=three_step_fields())
    [message] = unreachable_by_binding(_writing_to_the_person("email"), phone_only)
    assert message.startswith(
        "This workflow writes to the person by email (“Prendre en charge”) and "
        "this form asks no email address"
    )
    # By text message to the phone given.
    assert unreachable_by_binding(_writing_to_the_person("preferred"), phone_only) == []


def test_a_workflow_writing_to_the_person_needs_an_email_or_a_phone_question():
    from forms_library.bindings import unreachable_by_binding

    name_only = FormDefinitionFactory(fields=[field("short_text", "Prénom", "nom")])
    [message] = unreachable_by_binding(_writing_to_the_person("preferred"), name_only)
    assert "neither an email address nor a phone number" in message
    with_email = FormDefinitionFactory(fields=[field("email", "Courriel", "courriel")])
    assert unreachable_by_binding(_writing_to_the_person("email"), with_email) == []


def test_a_page_bound_before_the_rule_can_still_be_unpublished():
    from tests.workflows.factories import bound_intake_page

    page = bound_intake_page(_writing_to_the_person("email"))  # a phone, no email
    page.unpublish()  # saving the page does not stop on the binding
    page.refresh_from_db()
    assert not page.live


def test_a_form_published_by_a_script_keeps_its_email_question_too():
    from django.core.exceptions import ValidationError

    from tests.workflows.factories import bound_intake_page

    page = bound_intake_page(
        _writing_to_the_person("email"),
        fields=[field("email", "Courriel", "courriel")],
    )
    definition = page.form_definition
    definition.fields = [field("short_text", "Prénom", "nom")]
    with pytest.raises(ValidationError):
        definition.save_revision().publish()
    definition.refresh_from_db()
    assert "email" in {child.block_type for child in definition.fields}


def test_the_page_editor_shows_why_the_workflow_cannot_be_bound(client):
    from bs4 import BeautifulSoup

    from tests.workflows.factories import bound_intake_page

    page = bound_intake_page(WorkflowDefinitionFactory())
    by_email = _writing_to_the_person("email")
    by_email.territory = page.get_parent().specific
    by_email.save()
    client.force_login(member_of(by_email.territory, TerritoryRole.COORDINATION))
    url = f"/admin/pages/{page.pk}/edit/"
    form = BeautifulSoup(client.get(url).content, "html.parser").select_one(
        "form#page-edit-form"
    )
    data = {
        element["name"]: element.get("value", element.text)
        for element in form.select("input[name], textarea[name]")
        if element.get("type") not in ("checkbox", "radio", "submit", "file")
    }
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]")
        data[select["name"]] = chosen["value"] if chosen else ""
    data["workflow"] = str(by_email.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    errors = BeautifulSoup(response.content, "html.parser").select(".error-message")
    assert any("par courriel" in error.get_text() for error in errors)
    page.refresh_from_db()
    assert page.workflow_id != by_email.pk


def test_a_bound_workflow_is_not_published_with_a_message_that_reaches_nobody():
    from django.core.exceptions import ValidationError

    from tests.workflows.factories import bound_intake_page

    workflow = WorkflowDefinitionFactory()
    bound_intake_page(workflow)  # its form asks a phone number, no email address
    workflow.graph = accompaniment_graph(
        effects_on_take=[notify("resident", "Prise en charge", "Bonjour", "email")]
    )
    with pytest.raises(ValidationError) as refused:
        workflow.save_revision().publish()
    assert any(
        "shows a form that asks no email address" in message
        for message in refused.value.messages
    )
    workflow.graph = accompaniment_graph(
        effects_on_take=[notify("resident", "Prise en charge", "Bonjour", "preferred")]
    )
    workflow.save_revision().publish()  # by text message to the phone given


def test_a_form_shown_with_such_a_workflow_keeps_its_email_question(client):
    import html
    import json

    from tests.forms_library.factories import admin_fields_data
    from tests.workflows.factories import bound_intake_page

    by_email = _writing_to_the_person("email")
    page = bound_intake_page(
        by_email,
        fields=[
            field("short_text", "Prénom", "first_name"),
            field("email", "Courriel", "courriel"),
        ],
    )
    definition = page.form_definition
    client.force_login(member_of(by_email.territory, TerritoryRole.COORDINATION))
    response = client.post(
        f"/admin/snippets/forms_library/formdefinition/edit/{definition.pk}/",
        {
            "title": definition.title,
            "territory": by_email.territory.pk,
            "purpose": definition.purpose,
            "retention_months": 24,
            "action-publish": "publish",
            **admin_fields_data(("short_text", "Prénom", "first_name")),
        },
    )
    assert response.status_code == 200
    # The admin draws the error above the questions from JSON, where accented
    # letters, « » and non-breaking spaces are escaped.
    expected = (
        f"La page «\u00a0{page.title}\u00a0» montre ce formulaire, et son parcours "
        "écrit à la personne\u00a0: gardez une question «\u00a0Courriel\u00a0» ou "
        "«\u00a0Téléphone\u00a0»."
    )
    assert json.dumps(expected)[1:-1] in html.unescape(response.content.decode())
    definition.refresh_from_db()
    assert {child.block_type for child in definition.fields} == {
        "short_text",
        "email",
    }


def test_cases_held_by_a_person_and_a_group_leave_the_group_on_migrating():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "workflows.migrations.0006_cases_held_by_a_person_leave_their_group"
    )
    workflow = WorkflowDefinitionFactory()
    worker = member_of(workflow.territory, TerritoryRole.COORDINATION)
    both = case_from_submission(workflow)
    group_only = case_from_submission(workflow)
    Case.objects.filter(pk=both.pk).update(
        assignee=worker, assigned_role=TerritoryRole.STEERING_COMMITTEE
    )
    Case.objects.filter(pk=group_only.pk).update(
        assigned_role=TerritoryRole.STEERING_COMMITTEE
    )
    migration.leave_the_group(apps, None)
    both.refresh_from_db()
    group_only.refresh_from_db()
    assert (both.assignee, both.assigned_role) == (worker, "")
    assert group_only.assigned_role == TerritoryRole.STEERING_COMMITTEE
