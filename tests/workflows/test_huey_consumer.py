"""The deadline task and the notification it queues, run by a real Huey consumer."""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from content.models import TerritoryRole
from tests.content.factories import member_of
from tests.workflows.factories import (
    WorkflowDefinitionFactory,
    accompaniment_graph,
    case_from_submission,
)
from workflows.demo import notify
from workflows.forms import EXPECTED_STATE
from workflows.models import Case, CaseEventKind, Notification, NotificationStatus
from workflows.services import case_take_transition
from workflows.tasks import cases_flag_overdue_task

ROOT = Path(settings.BASE_DIR)


def database_url() -> str:
    """The test database as a URL, for a process that is not pytest's."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


@pytest.fixture
def queued_huey():
    """Huey enqueuing for real, as in production, then back to immediate."""
    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


@pytest.fixture
def start_consumer():
    """Start `manage.py run_huey` on the test database, with extra settings."""
    processes = []

    def start(**settings_env):
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "MAILLAGE_TEST_HUEY_IMMEDIATE": "false",
            "DATABASE_URL": database_url(),
            **settings_env,
        }
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "2"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def consumer(start_consumer):
    return start_consumer()


def wait_for(condition, seconds: float = 40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.django_db(transaction=True)
def test_the_consumer_flags_an_overdue_case_once_and_sends_the_notice(
    queued_huey, consumer
):
    workflow = WorkflowDefinitionFactory()
    case = case_from_submission(workflow)
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    case_take_transition(
        case=case,
        transition_name="prendre_en_charge",
        user=worker,
        data={EXPECTED_STATE: "accueil"},
    )
    Case.objects.filter(pk=case.pk).update(deadline=timezone.now() - timedelta(hours=1))
    cases_flag_overdue_task()
    cases_flag_overdue_task()  # a second run, as after a restart: sends nothing more

    def sent():
        return Notification.objects.filter(
            case=case, status=NotificationStatus.SENT
        ).exists()

    assert wait_for(sent), consumer.stderr.read1().decode() if consumer.poll() else ""
    assert wait_for(lambda: len(queued_huey) == 0, seconds=20)
    notification = Notification.objects.get(case=case)
    assert notification.address == worker.email
    assert notification.attempts == 1
    assert case.events.filter(kind=CaseEventKind.DEADLINE_PASSED).count() == 1


class CollectingHandler:
    """An SMTP server's handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_message_waits_for_the_mail_server_and_arrives_once(
    queued_huey, start_consumer
):
    port = free_port()
    start_consumer(EMAIL_URL=f"smtp://127.0.0.1:{port}")
    effect = notify("coordination", "Nouveau : {reference}", "À voir : {link}")
    workflow = WorkflowDefinitionFactory(
        graph=accompaniment_graph(effects_on_take=[effect])
    )
    coordinator = member_of(workflow.territory, TerritoryRole.COORDINATION)
    case = case_from_submission(workflow)
    case_take_transition(
        case=case,
        transition_name="prendre_en_charge",
        user=coordinator,
        data={EXPECTED_STATE: "accueil"},
    )

    def status():
        return Notification.objects.get(case=case).status

    # The mail server is down: the first try fails, and says why.
    assert wait_for(lambda: status() == NotificationStatus.FAILED)
    assert "Connection" in Notification.objects.get(case=case).last_error
    handler = CollectingHandler()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert wait_for(lambda: status() == NotificationStatus.SENT)
        time.sleep(3)  # no late duplicate
    finally:
        server.stop()
    assert len(handler.messages) == 1
    assert handler.messages[0].rcpt_tos == [coordinator.email]
    assert (
        f"Subject: Nouveau : {case.reference}" in handler.messages[0].content.decode()
    )
    assert Notification.objects.get(case=case).attempts >= 2
