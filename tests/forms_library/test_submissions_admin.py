"""Coordinators read their territory's submissions, labelled by their revision."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from content.models import TerritoryRole
from data_protection.services import personal_data_erase
from forms_library.services import submission_create
from tests.content.factories import TerritoryPageFactory, member_of
from tests.forms_library.factories import FormDefinitionFactory, field

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/submissions/"


def submit(definition, **answers):
    submission, _ = submission_create(
        revision=definition.live_revision,
        territory=definition.territory,
        answers=answers,
    )
    return submission


@pytest.fixture
def north_and_south():
    return (
        TerritoryPageFactory(title="Nord", code="NRD"),
        TerritoryPageFactory(title="Sud", code="SUD"),
    )


def test_listing_shows_only_own_territory(
    client, north_and_south, django_assert_max_num_queries
):
    north, south = north_and_south
    for _ in range(5):
        submit(FormDefinitionFactory(territory=north), first_name="Awa")
    submit(FormDefinitionFactory(territory=south), first_name="Yann")
    client.force_login(member_of(north, TerritoryRole.INTERVENTION))
    with django_assert_max_num_queries(40):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert text.count("NRD-") == 5
    assert "SUD-" not in text


def test_detail_uses_the_labels_of_its_own_revision(client, north_and_south):
    north, _south = north_and_south
    definition = FormDefinitionFactory(
        territory=north, fields=[field("short_text", "Prénom", "first_name")]
    )
    submission = submit(definition, first_name="Awa")
    definition.fields[0].value["label"] = "Votre prénom (nouveau libellé)"
    definition.save_revision().publish()
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    response = client.get(f"{LIST_URL}inspect/{submission.pk}/")
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "Prénom" in text
    assert "nouveau libellé" not in text
    assert "Awa" in text


def test_the_detail_gives_a_measure_with_its_unit(client, north_and_south):
    north, _south = north_and_south
    definition = FormDefinitionFactory(
        territory=north,
        fields=[field("number", "Reste à vivre par jour", "rav", unit="€")],
    )
    submission = submit(definition, rav="2.5")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    response = client.get(f"{LIST_URL}inspect/{submission.pk}/")
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "2,5\u00a0€" in text


def test_another_territory_gets_404_on_a_submission(client, north_and_south):
    north, south = north_and_south
    theirs = submit(FormDefinitionFactory(territory=south), first_name="Yann")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    assert client.get(f"{LIST_URL}inspect/{theirs.pk}/").status_code == 404


def test_partners_cannot_read_submissions(client, north_and_south):
    north, _south = north_and_south
    client.force_login(member_of(north, TerritoryRole.PARTNERS))
    assert client.get(LIST_URL).status_code in (302, 403)


def test_the_form_filter_offers_only_own_territorys_forms(client, north_and_south):
    north, south = north_and_south
    FormDefinitionFactory(territory=north, title="Formulaire du Nord")
    FormDefinitionFactory(territory=south, title="Formulaire du Sud")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    text = client.get(LIST_URL).content.decode()
    assert "Formulaire du Nord" in text
    assert "Formulaire du Sud" not in text


def test_search_by_reference(client, north_and_south):
    north, _south = north_and_south
    definition = FormDefinitionFactory(territory=north)
    first, second = submit(definition), submit(definition)
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    text = client.get(LIST_URL, {"q": second.reference}).content.decode()
    assert second.reference in text
    assert first.reference not in text


def test_an_answer_is_found_whatever_the_accents_and_not_once_erased(
    client, north_and_south
):
    north, _south = north_and_south
    definition = FormDefinitionFactory(territory=north)
    gwen = submit(definition, first_name="Gwenaëlle", housing="Hébergé")
    other = submit(definition, first_name="Awa", housing="Locataire")
    coordinator = member_of(north, TerritoryRole.COORDINATION)
    client.force_login(coordinator)
    for typed in ("gwenaelle", "GWENAËLLE", "heberge"):
        text = client.get(LIST_URL, {"answer": typed}).content.decode()
        assert gwen.reference in text and other.reference not in text, typed
    personal_data_erase(
        submissions=type(gwen).objects.filter(pk=gwen.pk), user=coordinator
    )
    text = client.get(LIST_URL, {"answer": "gwenaelle"}).content.decode()
    assert gwen.reference not in text


def test_filter_by_an_answer_and_by_date(client, north_and_south):
    north, _south = north_and_south
    definition = FormDefinitionFactory(territory=north)
    awa = submit(definition, first_name="Awa", housing="Locataire")
    yann = submit(definition, first_name="Yann", housing="Hébergé")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    text = client.get(LIST_URL, {"answer": "hébergé"}).content.decode()
    assert yann.reference in text
    assert awa.reference not in text
    today = timezone.localdate(awa.created_at).isoformat()
    text = client.get(
        LIST_URL, {"created_at_from": today, "created_at_to": today}
    ).content.decode()
    assert awa.reference in text and yann.reference in text
    text = client.get(
        LIST_URL, {"created_at_from": "2000-01-01", "created_at_to": "2000-01-02"}
    ).content.decode()
    assert awa.reference not in text


def test_the_date_filter_takes_the_first_and_last_days_a_calendar_has(
    client, north_and_south
):
    # The first day in Paris is still the year 0 in UTC, the last day ends
    # past the year 9999 there: neither is a time the database can compare.
    north, _south = north_and_south
    awa = submit(FormDefinitionFactory(territory=north), first_name="Awa")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    for period in (
        {"created_at_from": "0001-01-01"},
        {"created_at_to": "9999-12-31"},
        {"created_at_from": "0001-01-01", "created_at_to": "9999-12-31"},
    ):
        response = client.get(LIST_URL, period)
        assert response.status_code == 200, period
        assert awa.reference in response.content.decode(), period
    response = client.get(LIST_URL, {"created_at_to": "0001-01-01"})
    assert response.status_code == 200
    assert awa.reference not in response.content.decode()


def test_choosing_a_form_adds_its_questions_as_columns_and_filters(
    client, north_and_south
):
    north, south = north_and_south
    definition = FormDefinitionFactory(
        territory=north,
        fields=[
            field("short_text", "Prénom", "first_name"),
            field(
                "single_choice", "Logement", "housing", choices=["Locataire", "Hébergé"]
            ),
            field("multiple_choice", "Besoins", "needs", choices=["Épicerie", "Repas"]),
            field("yes_no", "Des enfants ?", "children"),
        ],
    )
    awa = submit(
        definition,
        first_name="Awa",
        housing="Hébergé",
        needs=["Épicerie"],
        children="yes",
    )
    yann = submit(
        definition,
        first_name="Yann",
        housing="Locataire",
        needs=["Repas"],
        children="no",
    )
    theirs = FormDefinitionFactory(territory=south)
    client.force_login(member_of(north, TerritoryRole.COORDINATION))

    def listed(**params):
        response = client.get(LIST_URL, {"form_definition": definition.pk, **params})
        page = BeautifulSoup(response.content, "html.parser")
        headers = [" ".join(th.get_text().split()) for th in page.select("thead th")]
        rows = [" ".join(tr.get_text().split()) for tr in page.select("tbody tr")]
        return headers, rows

    headers, rows = listed()
    assert headers[-4:] == ["Prénom", "Logement", "Besoins", "Des enfants ?"]
    assert any(awa.reference in row and "Hébergé Épicerie Oui" in row for row in rows)
    _headers, rows = listed(answer_housing="Hébergé")
    assert [awa.reference in row for row in rows] == [True]
    _headers, rows = listed(answer_needs="Repas")
    assert [yann.reference in row for row in rows] == [True]
    _headers, rows = listed(answer_children="yes")
    assert [awa.reference in row for row in rows] == [True]
    # A form of another territory adds no column and lists nothing.
    response = client.get(LIST_URL, {"form_definition": theirs.pk})
    assert "Logement" not in response.content.decode()


def test_staff_find_the_forms_to_fill_for_someone_on_the_phone(client, north_and_south):
    from tests.forms_library.factories import IntakeFormPageFactory

    north, south = north_and_south
    mine = IntakeFormPageFactory(parent=north, title="Demande d'aide du Nord")
    IntakeFormPageFactory(parent=south, title="Demande d'aide du Sud")
    client.force_login(member_of(north, TerritoryRole.INTERVENTION))
    listing = client.get(LIST_URL)
    assert "/admin/submissions/enter/" in listing.content.decode()
    response = client.get("/admin/submissions/enter/")
    page = BeautifulSoup(response.content, "html.parser")
    links = {a.get_text(): a["href"] for a in page.select(".nice-padding li a")}
    assert links == {"Demande d'aide du Nord": mine.url}


def test_a_form_filter_that_is_no_number_lists_without_a_column(
    client, north_and_south
):
    north, _south = north_and_south
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    for odd in ("²", "abc", "-1", "1.5"):
        assert client.get(LIST_URL, {"form_definition": odd}).status_code == 200


def test_the_detail_gives_the_time_received_as_the_listing_does(
    client, north_and_south
):
    north, _south = north_and_south
    submission = submit(FormDefinitionFactory(territory=north), first_name="Awa")
    received = timezone.make_aware(datetime.datetime(2026, 7, 14, 21, 45), datetime.UTC)
    type(submission).objects.filter(pk=submission.pk).update(created_at=received)
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    # Summer time in Paris (the site's time zone): 23:45 on the same day.
    for url in (LIST_URL, f"{LIST_URL}inspect/{submission.pk}/"):
        text = BeautifulSoup(client.get(url).content, "html.parser").get_text()
        assert "14 juillet 2026 23:45" in text, url
        assert "21:45" not in text


def test_a_question_removed_since_keeps_its_column_for_earlier_answers(
    client, north_and_south, django_assert_max_num_queries
):
    north, _south = north_and_south
    definition = FormDefinitionFactory(
        territory=north,
        fields=[
            field("short_text", "Prénom", "first_name"),
            field("long_text", "Commentaire", "comment", required=False),
        ],
    )
    submit(definition, first_name="Awa", comment="Mon long commentaire")
    definition.fields = [definition.fields.raw_data[0]]  # "Commentaire" removed
    definition.save_revision().publish()
    definition.refresh_from_db()
    submit(definition, first_name="Yann")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    client.get(LIST_URL, {"form_definition": definition.pk})
    with django_assert_max_num_queries(40):
        response = client.get(LIST_URL, {"form_definition": definition.pk})
    page = BeautifulSoup(response.content, "html.parser")
    headers = [" ".join(th.get_text().split()) for th in page.select("thead th")]
    assert headers[-2:] == ["Prénom", "Commentaire"]
    assert "Mon long commentaire" in page.select_one("tbody").get_text()
