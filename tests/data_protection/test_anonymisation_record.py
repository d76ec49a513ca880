"""The record of anonymisations is walled: each coordinator reads what a run
did in their territories only; superusers read the run's totals."""

import html

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from content.models import TerritoryRole
from content.services import territory_add_member
from data_protection.models import (
    AnonymisationKind,
    AnonymisationRun,
    AnonymisationRunTerritory,
)
from data_protection.services import (
    personal_data_anonymise_expired,
    personal_data_erase,
)
from forms_library.exports import export_request
from forms_library.models import ExportFormat, ExportKind, Submission
from tests.content.factories import UserFactory, member_of
from tests.data_protection.factories import personal_fields, send
from tests.data_protection.test_retention import age
from tests.workflows.factories import WorkflowDefinitionFactory, bound_intake_page

pytestmark = pytest.mark.django_db

RUNS = reverse("personal_data:runs")


@pytest.fixture
def elsewhere():
    """An intake page of another territory."""
    return bound_intake_page(WorkflowDefinitionFactory(), fields=personal_fields())


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def read_record(client, user):
    client.force_login(user)
    response = client.get(RUNS)
    assert response.status_code == 200
    return response.context["runs"], html.unescape(response.content.decode())


def nightly_run_over_two_territories(
    intake_page, elsewhere, django_capture_on_commit_callbacks
):
    """One submission (with a file) expires in the page's territory; two, with
    files and an export of their form, in the other one."""
    long_ago = timezone.now() - relativedelta(months=30)
    for submission in (
        send(intake_page, with_file=True),
        send(elsewhere, with_file=True),
        send(elsewhere, with_file=True, first_name="Lou"),
    ):
        age(submission, long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        export_request(
            user=member_of(elsewhere.territory, TerritoryRole.COORDINATION),
            kind=ExportKind.SUBMISSIONS,
            form_definition=elsewhere.form_definition,
            file_format=ExportFormat.CSV,
        )
    with django_capture_on_commit_callbacks(execute=True):
        return personal_data_anonymise_expired()


def test_a_coordinator_reads_only_their_territorys_share_of_a_nightly_run(
    client, intake_page, elsewhere, django_capture_on_commit_callbacks
):
    run = nightly_run_over_two_territories(
        intake_page, elsewhere, django_capture_on_commit_callbacks
    )
    assert run.submissions_count == 3 and run.exports_withdrawn == 1
    mine = member_of(intake_page.territory, TerritoryRole.COORDINATION)

    [line], page = read_record(client, mine)

    assert line.territories == [intake_page.territory.title]
    assert intake_page.territory.title in page
    assert elsewhere.territory.title not in page
    assert (line.submissions_count, line.cases_count, line.files_deleted) == (1, 1, 1)
    assert line.exports_withdrawn == 0  # the export was of the other's form
    # The other territory reads its own share, its export withdrawn included.
    theirs = member_of(elsewhere.territory, TerritoryRole.COORDINATION)
    [line], page = read_record(client, theirs)
    assert line.territories == [elsewhere.territory.title]
    assert intake_page.territory.title not in page
    assert (line.submissions_count, line.files_deleted) == (2, 2)
    assert line.exports_withdrawn == 1


def test_an_erasure_over_two_territories_shows_each_only_its_references(
    client, intake_page, elsewhere
):
    mine = send(intake_page)
    theirs = send(elsewhere)
    both = member_of(intake_page.territory, TerritoryRole.COORDINATION)
    territory_add_member(
        territory=elsewhere.territory, user=both, role=TerritoryRole.COORDINATION
    )
    note = "Appel du CCAS de Plouzané le 2 décembre"
    run = personal_data_erase(
        submissions=Submission.objects.filter(pk__in=[mine.pk, theirs.pk]),
        user=both,
        note=note,
    )
    assert sorted(run.references) == sorted([mine.reference, theirs.reference])
    only_mine = member_of(intake_page.territory, TerritoryRole.COORDINATION)

    [line], page = read_record(client, only_mine)

    assert line.references == [mine.reference]
    assert line.submissions_count == 1
    assert mine.reference in page
    assert theirs.reference not in page
    assert elsewhere.territory.title not in page
    # The note speaks of the whole request, the other territory's part too.
    assert line.note == "" and note not in page
    # Who coordinates both reads both shares, and the note.
    [line], page = read_record(client, both)
    assert sorted(line.references) == sorted(run.references)
    assert line.submissions_count == 2
    assert note in page


def test_an_erasure_in_one_territory_shows_its_note_to_its_coordinators(
    client, intake_page
):
    note = "Demande reçue par courrier le 1er décembre"
    personal_data_erase(
        submissions=Submission.objects.filter(pk=send(intake_page).pk),
        user=member_of(intake_page.territory, TerritoryRole.COORDINATION),
        note=note,
    )
    colleague = member_of(intake_page.territory, TerritoryRole.COORDINATION)

    [line], page = read_record(client, colleague)

    assert line.note == note and note in page


def test_superusers_read_the_totals_of_every_run(
    client,
    intake_page,
    elsewhere,
    superuser,
    django_capture_on_commit_callbacks,
):
    nightly_run_over_two_territories(
        intake_page, elsewhere, django_capture_on_commit_callbacks
    )
    erased = send(elsewhere, first_name="Noé")
    personal_data_erase(
        submissions=Submission.objects.filter(pk=erased.pk),
        user=member_of(elsewhere.territory, TerritoryRole.COORDINATION),
    )

    (erasure, nightly), page = read_record(client, superuser)

    assert nightly.run.kind == AnonymisationKind.RETENTION
    assert sorted(nightly.territories) == sorted(
        [intake_page.territory.title, elsewhere.territory.title]
    )
    assert (nightly.submissions_count, nightly.files_deleted) == (3, 3)
    assert nightly.exports_withdrawn == 1
    assert erasure.references == [erased.reference]
    assert intake_page.territory.title in page and erased.reference in page
    assert erasure.territories == [elsewhere.territory.title]


def test_the_record_reads_a_bounded_number_of_queries(
    client, intake_page, elsewhere, superuser, django_assert_max_num_queries
):
    territories = [intake_page.territory, elsewhere.territory]
    coordinator = member_of(territories[0], TerritoryRole.COORDINATION)
    territory_add_member(
        territory=territories[1], user=coordinator, role=TerritoryRole.COORDINATION
    )

    def record(count: int) -> None:
        for n in range(count):
            run = AnonymisationRun.objects.create(
                kind=AnonymisationKind.ERASURE,
                performed_by=coordinator,
                submissions_count=2,
                references=[f"A-{n}", f"B-{n}"],
            )
            run.territories.set(territories)
            for territory, reference in zip(territories, run.references, strict=True):
                AnonymisationRunTerritory.objects.create(
                    run=run,
                    territory=territory,
                    submissions_count=1,
                    references=[reference],
                )

    for reader in (coordinator, superuser):
        client.force_login(reader)
        client.get(RUNS)  # what is read once per session is read
    for count in (2, 20):
        record(count)
        for reader in (coordinator, superuser):
            client.force_login(reader)
            with django_assert_max_num_queries(13):
                response = client.get(RUNS)
            assert len(response.context["runs"]) == AnonymisationRun.objects.count()


def test_runs_recorded_before_per_territory_counts_keep_only_what_is_certain(
    client, intake_page, elsewhere
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "data_protection.migrations.0004_anonymisation_run_territory"
    )
    one, two = intake_page.territory, elsewhere.territory
    single = AnonymisationRun.objects.create(
        kind=AnonymisationKind.RETENTION, submissions_count=4, files_deleted=1
    )
    single.territories.set([one])
    mixed = AnonymisationRun.objects.create(
        kind=AnonymisationKind.RETENTION, submissions_count=9
    )
    mixed.territories.set([one, two])

    migration.share_single_territory_runs(apps, None)

    share = AnonymisationRunTerritory.objects.get()
    assert (share.run, share.territory) == (single, one)
    assert (share.submissions_count, share.files_deleted) == (4, 1)
    [line], _page = read_record(client, member_of(one, TerritoryRole.COORDINATION))
    assert line.run == single
    assert read_record(client, member_of(two, TerritoryRole.COORDINATION))[0] == []
