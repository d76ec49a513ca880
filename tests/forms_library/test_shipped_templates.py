"""The shipped templates speak the words of the country they are copied into."""

import html
import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from content.models import Country, TerritoryRole
from forms_library.blocks import ANSWERABLE_BLOCK_TYPES, DatePeriod
from forms_library.forms import NAME_AUTOCOMPLETE
from forms_library.models import FormDefinition
from forms_library.services import form_definition_copy_from_template
from forms_library.shipped_templates import FRANCE, QUEBEC, TEMPLATES, WORDINGS
from tests.content.factories import TerritoryPageFactory, member_of
from tests.forms_library.factories import FormDefinitionFactory
from tests.forms_library.test_blocks import clean
from workflows.demo_cases import demo_answers

LIST_URL = "/admin/snippets/forms_library/formdefinition/"

# Words of one country a person of the other would not use (see the glossary).
ONLY_IN_FRANCE = ["CCAS", "CHRS", "CADA", "MECS", "Reste à vivre", "€", "commission"]
ONLY_IN_QUEBEC = ["MRC", "CLSC", "$", "renseignements personnels", "Organisme"]


def every_template():
    return [
        pytest.param(template, wording, id=f"{template.__name__}-{wording.country}")
        for wording in WORDINGS
        for template in TEMPLATES
    ]


@pytest.mark.parametrize(("template", "wording"), every_template())
def test_every_shipped_template_passes_the_edit_time_checks(template, wording):
    clean(template(wording)["fields"])


@pytest.mark.parametrize(
    ("wording", "foreign_words"),
    [(FRANCE, ONLY_IN_QUEBEC), (QUEBEC, ONLY_IN_FRANCE)],
    ids=["France", "Québec"],
)
def test_templates_use_only_their_own_countrys_words(wording, foreign_words):
    for template in TEMPLATES:
        text = json.dumps(template(wording), ensure_ascii=False)
        assert not [word for word in foreign_words if word in text], template
        postal_codes = [
            block["value"]["country"]
            for block in template(wording)["fields"]
            if block["type"] == "postal_code"
        ]
        assert set(postal_codes) <= {wording.country}


def test_both_wordings_keep_the_same_machine_names():
    # A partner reading exports from both programmes finds the same columns,
    # except where the question itself differs (income).
    for template in TEMPLATES:
        names = [
            {b["value"].get("name") for b in template(w)["fields"]} for w in WORDINGS
        ]
        assert names[0] ^ names[1] <= {FRANCE.income_name, QUEBEC.income_name}


@pytest.fixture
def brittany_and_quebec(db):
    return (
        TerritoryPageFactory(title="Argoat", country=Country.FRANCE),
        TerritoryPageFactory(title="MRC des Sources", country=Country.CANADA),
    )


def shared(title: str, country: str) -> FormDefinition:
    return FormDefinitionFactory(
        territory=None, title=title, wording_country=country, live=True
    )


def test_coordinators_see_the_templates_of_their_country(client, brittany_and_quebec):
    argoat, _sources = brittany_and_quebec
    shared("Orientation vers l'aide alimentaire", "FR")
    shared("Orientation vers le dépannage alimentaire", "CA")
    shared("Modèle pour tous", "")
    client.force_login(member_of(argoat, TerritoryRole.COORDINATION))
    text = BeautifulSoup(client.get(LIST_URL).content, "html.parser").get_text()
    assert "Orientation vers l'aide alimentaire" in text
    assert "Modèle pour tous" in text
    assert "dépannage" not in text


def test_a_templates_title_leads_coordinators_to_its_copy_screen(
    client, brittany_and_quebec
):
    argoat, _sources = brittany_and_quebec
    template = shared("Orientation vers l'aide alimentaire", "FR")
    own = FormDefinitionFactory(territory=argoat, title="Notre formulaire")
    client.force_login(member_of(argoat, TerritoryRole.COORDINATION))
    page = BeautifulSoup(client.get(LIST_URL).content, "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in page.select("td.title a")}
    copy_url = f"{LIST_URL}copy-template/{template.pk}/"
    assert links["Orientation vers l'aide alimentaire"] == copy_url
    assert links["Notre formulaire"] == f"{LIST_URL}edit/{own.pk}/"
    for href in links.values():
        assert client.get(href).status_code == 200


def test_a_template_is_copied_only_into_a_territory_of_its_country(
    client, brittany_and_quebec
):
    argoat, sources = brittany_and_quebec
    quebec_template = shared("Demande d'accompagnement", "CA")
    coordinator = member_of(argoat, TerritoryRole.COORDINATION)
    sources_role = member_of(sources, TerritoryRole.COORDINATION)
    coordinator.groups.add(*sources_role.groups.all())
    client.force_login(coordinator)
    copy_url = f"{LIST_URL}copy-template/{quebec_template.pk}/"
    page = BeautifulSoup(client.get(copy_url).content, "html.parser")
    options = [o.get_text() for o in page.select("select[name=territory] option")]
    assert options == ["MRC des Sources"]
    refused = client.post(copy_url, {"territory": argoat.pk})
    assert refused.status_code == 200
    assert not FormDefinition.objects.filter(territory=argoat).exists()
    client.post(copy_url, {"territory": sources.pk})
    copy = FormDefinition.objects.get(territory=sources)
    assert copy.wording_country == ""  # a territory's form is not a template


def test_the_copy_itself_refuses_another_country_or_a_territorys_form(
    brittany_and_quebec,
):
    argoat, sources = brittany_and_quebec
    quebec_template = shared("Demande d'accompagnement", "CA")
    with pytest.raises(ValidationError, match="MRC des Sources|Argoat"):
        form_definition_copy_from_template(template=quebec_template, territory=argoat)
    own_form = FormDefinitionFactory(territory=sources, title="Notre formulaire")
    with pytest.raises(ValidationError, match="shared template|modèle partagé"):
        form_definition_copy_from_template(template=own_form, territory=argoat)
    assert not FormDefinition.objects.filter(territory=argoat).exists()
    for_everyone = shared("Modèle pour tous", "")
    copy = form_definition_copy_from_template(template=for_everyone, territory=argoat)
    assert copy.territory == argoat


def test_a_coordinator_with_no_territory_in_that_country_is_told_why(
    client, brittany_and_quebec
):
    argoat, _sources = brittany_and_quebec
    quebec_template = shared("Demande d'accompagnement", "CA")
    client.force_login(member_of(argoat, TerritoryRole.COORDINATION))
    response = client.post(f"{LIST_URL}copy-template/{quebec_template.pk}/", {})
    assert response.status_code == 200
    assert "partez du modèle rédigé pour votre pays" in html.unescape(
        response.content.decode()
    )
    assert not FormDefinition.objects.filter(territory=argoat).exists()


def test_only_superusers_choose_a_templates_wording(client, brittany_and_quebec):
    argoat, _sources = brittany_and_quebec
    mine = FormDefinitionFactory(territory=argoat)
    client.force_login(member_of(argoat, TerritoryRole.COORDINATION))
    page = client.get(f"{LIST_URL}edit/{mine.pk}/").content.decode()
    assert 'name="wording_country"' not in page
    client.force_login(member_of(argoat, TerritoryRole.COORDINATION, is_superuser=True))
    page = client.get(f"{LIST_URL}add/").content.decode()
    assert 'name="wording_country"' in page


@pytest.mark.parametrize("wording", WORDINGS, ids=lambda w: w.country)
def test_name_questions_let_a_phone_fill_in_what_they_ask(wording):
    expected = {"Prénom": "given-name", "Nom": "family-name", "Prénom et nom": "name"}
    seen = set()
    for template in TEMPLATES:
        for block in template(wording)["fields"]:
            label = block["value"].get("label")
            if label in expected:
                assert NAME_AUTOCOMPLETE[block["value"]["name"]] == expected[label]
                seen.add(label)
    assert seen == set(expected)


@pytest.mark.parametrize("wording", WORDINGS, ids=lambda w: w.country)
def test_date_questions_say_which_days_they_take(wording):
    # A donation has been made; a pick-up is yet to come: fixed limits would
    # go stale, the period counts from the day the form is filled.
    periods = {
        block["value"]["name"]: block["value"].get("period")
        for template in TEMPLATES
        for block in template(wording)["fields"]
        if block["type"] == "date"
    }
    assert periods == {"date_don": DatePeriod.PAST, "date_retrait": DatePeriod.FUTURE}


@pytest.mark.django_db
@pytest.mark.parametrize(("template", "wording"), every_template())
def test_the_demo_answers_every_question_of_every_template(template, wording):
    definition = FormDefinitionFactory(fields=template(wording)["fields"])
    answerable = {
        block.value["name"]
        for block in definition.fields
        if block.block_type in ANSWERABLE_BLOCK_TYPES
        and block.block_type != "file"
        and not block.value["show_if"]["rules"]
    }

    answers = demo_answers(definition, index=3, country=wording.country)

    assert answerable <= set(answers)
