"""The cases of a workflow as a spreadsheet: where each stands, days per state."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from content.models import TerritoryRole
from forms_library.exports import export_request
from forms_library.models import ExportStatus
from tests.content.factories import member_of
from tests.workflows.factories import WorkflowDefinitionFactory, case_from_submission
from workflows.forms import EXPECTED_STATE
from workflows.models import CaseEvent
from workflows.services import case_take_transition

pytestmark = pytest.mark.django_db


def test_cases_export_gives_state_assignee_and_days_in_each_state(
    django_capture_on_commit_callbacks,
):
    workflow = WorkflowDefinitionFactory()
    other = WorkflowDefinitionFactory()
    case = case_from_submission(workflow, first_name="Awa")
    case_from_submission(other, first_name="Yann")
    worker = member_of(workflow.territory, TerritoryRole.INTERVENTION)
    case_take_transition(
        case=case,
        transition_name="prendre_en_charge",
        user=worker,
        data={EXPECTED_STATE: "accueil"},
    )
    # Opened three days ago, taken in charge a day later.
    now = timezone.now()
    case.events.filter(kind="opened").update(created_at=now - timedelta(days=3))
    type(case).objects.filter(pk=case.pk).update(opened_at=now - timedelta(days=3))
    CaseEvent.objects.filter(case=case, kind="transition").update(
        created_at=now - timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(
            user=worker, kind="cases", workflow=workflow, file_format="csv"
        )
    export.refresh_from_db()
    rows = list(
        csv.reader(io.StringIO(export.file.open("rb").read().decode("utf-8-sig")))
    )
    with translation.override("fr"):  # the site's first language
        expected = [gettext("Reference"), gettext("Name"), gettext("State")]
    assert rows[0][:3] == expected
    assert len(rows) == 2
    assert rows[1][0] == case.reference and rows[1][1] == "Awa"
    assert rows[1][5] == worker.username  # no name given: the login
    days = [float(value) for value in rows[1][8:10]]
    assert days == [1.0, 2.0]


def test_an_xlsx_of_cases_keeps_its_times_typed(django_capture_on_commit_callbacks):
    workflow = WorkflowDefinitionFactory()
    case = case_from_submission(workflow, first_name="Awa")
    worker = member_of(
        workflow.territory, TerritoryRole.COORDINATION, first_name="Awa", last_name="Sy"
    )
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(
            user=worker, kind="cases", workflow=workflow, file_format="xlsx"
        )
    export.refresh_from_db()
    with export.file.open("rb") as stored:
        row = list(load_workbook(io.BytesIO(stored.read())).active.values)[1]
    opened = timezone.localtime(case.opened_at)
    assert row[3] == opened.replace(tzinfo=None, second=0, microsecond=0)
    assert row[4] is None  # not closed: an empty cell, not a text
    assert isinstance(row[7], datetime)  # the deadline of the first state


def test_control_characters_in_a_case_name_do_not_break_an_xlsx(
    django_capture_on_commit_callbacks,
):
    workflow = WorkflowDefinitionFactory()
    # The case is named after the answers, with what Word pasted into them.
    case = case_from_submission(workflow, first_name="Awa\x0bDiallo\x01")
    worker = member_of(workflow.territory, TerritoryRole.COORDINATION)
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(
            user=worker, kind="cases", workflow=workflow, file_format="xlsx"
        )
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    with export.file.open("rb") as stored:
        row = list(load_workbook(io.BytesIO(stored.read())).active.values)[1]
    assert row[:2] == (case.reference, "Awa\nDiallo")


def test_a_cases_export_file_is_named_in_the_sites_language(
    django_capture_on_commit_callbacks,
):
    workflow = WorkflowDefinitionFactory()
    worker = member_of(workflow.territory, TerritoryRole.COORDINATION)
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(
            user=worker, kind="cases", workflow=workflow, file_format="csv"
        )
    export.refresh_from_db()
    name = export.file.name.rsplit("/", 1)[-1]
    assert name == f"dossiers-{timezone.localdate():%Y%m%d}-{export.pk}.csv"
