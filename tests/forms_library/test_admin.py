"""Coordinators build forms in the admin, inside their territory's walls."""

import html

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from content.models import TerritoryRole
from forms_library.models import FormDefinition
from tests.content.factories import TerritoryPageFactory, member_of
from tests.forms_library.factories import (
    FormDefinitionFactory,
    admin_fields_data,
    field,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/snippets/forms_library/formdefinition/"


def edit_url(definition) -> str:
    return f"{LIST_URL}edit/{definition.pk}/"


@pytest.fixture
def north_and_south():
    return TerritoryPageFactory(title="Nord"), TerritoryPageFactory(title="Sud")


def test_coordinator_lists_own_forms_and_templates_only(client, north_and_south):
    north, south = north_and_south
    mine = FormDefinitionFactory(territory=north, title="Formulaire du Nord")
    FormDefinitionFactory(territory=south, title="Formulaire du Sud")
    FormDefinitionFactory(territory=None, title="Modèle partagé")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    titles = BeautifulSoup(response.content, "html.parser").get_text()
    assert mine.title in titles
    assert "Modèle partagé" in titles
    assert "Formulaire du Sud" not in titles


def test_coordinator_cannot_open_or_change_another_territorys_form(
    client, north_and_south
):
    north, south = north_and_south
    theirs = FormDefinitionFactory(territory=south, title="Formulaire du Sud")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    response = client.get(edit_url(theirs))
    assert response.status_code in (302, 403, 404)
    client.post(edit_url(theirs), {"title": "Piraté"})
    theirs.refresh_from_db()
    assert theirs.title == "Formulaire du Sud"


def test_coordinator_edits_own_form(client, north_and_south):
    north, _south = north_and_south
    mine = FormDefinitionFactory(territory=north)
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    response = client.get(edit_url(mine))
    assert response.status_code == 200
    territory_options = BeautifulSoup(response.content, "html.parser").select(
        "select[name=territory] option"
    )
    assert [option.get_text() for option in territory_options] == ["Nord"]


def test_social_worker_cannot_edit_forms(client, north_and_south):
    north, _south = north_and_south
    mine = FormDefinitionFactory(territory=north)
    client.force_login(member_of(north, TerritoryRole.INTERVENTION))
    assert client.get(edit_url(mine)).status_code in (302, 403, 404)


def test_machine_names_cannot_change_once_published():
    definition = FormDefinitionFactory(
        fields=[field("short_text", "Prénom", "first_name")]
    )
    definition.fields[0].value["name"] = "prenom"
    with pytest.raises(ValidationError) as caught:
        definition.full_clean()
    assert "first_name → prenom" in str(caught.value)


def test_labels_can_change_once_published():
    definition = FormDefinitionFactory(
        fields=[field("short_text", "Prénom", "first_name")]
    )
    definition.fields[0].value["label"] = "Votre prénom"
    definition.full_clean()
    definition.save_revision().publish()
    assert FormDefinition.objects.get().fields[0].value["name"] == "first_name"


def test_coordinator_starts_a_form_from_a_template(client, north_and_south):
    north, south = north_and_south
    template = FormDefinitionFactory(territory=None, title="Commande de repas")
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    listing = client.get(LIST_URL).content.decode()
    copy_url = f"{LIST_URL}copy-template/{template.pk}/"
    assert copy_url in listing
    page = BeautifulSoup(client.get(copy_url).content, "html.parser")
    assert [o.get_text() for o in page.select("select[name=territory] option")] == [
        "Nord"
    ]
    refused = client.post(copy_url, {"territory": south.pk})
    assert refused.status_code == 200
    assert FormDefinition.objects.filter(territory=south).count() == 0
    # An id past what a database stores is refused as well, not sent to it.
    refused = client.post(copy_url, {"territory": "99999999999999999999"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["territory"]
    response = client.post(copy_url, {"territory": north.pk})
    copy = FormDefinition.objects.get(territory=north)
    assert response["Location"] == f"{LIST_URL}edit/{copy.pk}/"
    assert not copy.live
    assert copy.title == "Commande de repas"


def add_form(client, territory, title: str, *blocks, retention_months: int = 24):
    """A coordinator of the territory adds a form through the admin."""
    client.force_login(member_of(territory, TerritoryRole.COORDINATION))
    return client.post(
        f"{LIST_URL}add/",
        {
            "title": title,
            "territory": territory.pk,
            "purpose": "Test",
            "retention_months": retention_months,
            **admin_fields_data(*blocks),
        },
    )


def test_edit_time_errors_are_shown_and_the_draft_is_not_saved(client, north_and_south):
    north, _south = north_and_south
    response = add_form(
        client,
        north,
        "Nouveau formulaire",
        ("short_text", "Nom", "nom"),
        ("email", "Courriel", "nom"),
    )
    assert response.status_code == 200
    # The admin draws this error beside the second block's "machine name".
    page = html.unescape(response.content.decode())
    assert '"1": {"blockErrors": {"name": {"messages": ["Un autre champ' in page
    assert not FormDefinition.objects.filter(title="Nouveau formulaire").exists()


def test_a_retention_of_no_months_is_refused_with_a_reason(client, north_and_south):
    north, _south = north_and_south
    response = add_form(
        client,
        north,
        "Sans conservation",
        ("short_text", "Nom", "nom"),
        retention_months=0,
    )
    assert response.status_code == 200
    assert "au moins un mois" in html.unescape(response.content.decode())
    assert not FormDefinition.objects.filter(title="Sans conservation").exists()


def test_unpublishing_does_not_free_the_names_answered_before():
    from forms_library.services import submission_create

    definition = FormDefinitionFactory(
        fields=[field("short_text", "Prénom", "first_name")]
    )
    submission_create(
        revision=definition.live_revision,
        territory=definition.territory,
        answers={"first_name": "Awa"},
    )
    definition.unpublish()
    definition.refresh_from_db()
    definition.fields[0].value["name"] = "prenom"
    with pytest.raises(ValidationError):
        definition.full_clean()


def test_a_published_name_cannot_go_to_a_new_question():
    definition = FormDefinitionFactory(
        fields=[field("short_text", "Prénom", "first_name")]
    )
    definition.fields = [field("short_text", "Nom de famille", "first_name")]
    with pytest.raises(ValidationError) as caught:
        definition.full_clean()
    assert "first_name" in str(caught.value)


@pytest.mark.parametrize("action", ["action-publish", None])
def test_a_new_page_refuses_another_territorys_workflow_beside_the_field(
    client, north_and_south, action
):
    from wagtail.test.utils.form_data import rich_text

    from content.services import territory_add_member
    from forms_library.models import IntakeFormPage
    from tests.workflows.factories import WorkflowDefinitionFactory

    north, south = north_and_south
    # A coordinator of both territories: the chooser offers both workflows,
    # which often carry the same title.
    coordinator = member_of(north, TerritoryRole.COORDINATION)
    territory_add_member(
        territory=south, user=coordinator, role=TerritoryRole.COORDINATION
    )
    form = FormDefinitionFactory(territory=north)
    theirs = WorkflowDefinitionFactory(territory=south)
    client.force_login(coordinator)
    data = {
        "title": "Demande d'aide",
        "slug": "demande-d-aide",
        "form_definition": form.pk,
        "workflow": theirs.pk,
        "introduction": rich_text(""),
        "confirmation_text": rich_text(""),
        "closed_message": "",
        "opens_at": "",
        "closes_at": "",
    }
    if action:
        data[action] = "1"
    response = client.post(
        f"/admin/pages/add/forms_library/intakeformpage/{north.pk}/", data
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["workflow"] == ["Choisissez un parcours de ce territoire."]
    assert not IntakeFormPage.objects.filter(slug="demande-d-aide").exists()


def test_a_retention_beyond_a_century_is_refused_beside_the_field(
    client, north_and_south
):
    north, _south = north_and_south
    response = add_form(
        client,
        north,
        "Conservation sans fin",
        ("short_text", "Nom", "nom"),
        retention_months=99999,
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["retention_months"]
    assert not FormDefinition.objects.filter(title="Conservation sans fin").exists()


def test_the_forms_listing_queries_do_not_grow_with_the_forms(
    client, north_and_south, django_assert_max_num_queries
):
    import datetime

    from django.utils import timezone

    north, _south = north_and_south
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    FormDefinitionFactory(territory=north)
    client.get(LIST_URL)
    with django_assert_max_num_queries(40) as few:
        client.get(LIST_URL)
    for _ in range(8):
        FormDefinitionFactory(territory=north)
    # A draft scheduled to go live: its status is read from its revisions.
    later = FormDefinitionFactory(
        territory=north, title="Atelier d'été", published=False
    )
    later.save_revision(approved_go_live_at=timezone.now() + datetime.timedelta(days=3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST_URL)
    page = BeautifulSoup(response.content, "html.parser")
    assert len(page.select("tbody tr")) == 10
    row = next(tr for tr in page.select("tbody tr") if "Atelier" in tr.get_text())
    assert "programmée" in row.get_text()


def answered_form(title: str) -> FormDefinition:
    """A published form with one submission, which protects it from deletion."""
    from forms_library.services import submission_create

    definition = FormDefinitionFactory(title=title)
    submission_create(
        revision=definition.live_revision,
        territory=definition.territory,
        answers={"first_name": "Awa"},
    )
    return definition


def test_deleting_a_form_still_answered_says_why_instead_of_failing(client):
    from django.contrib.auth import get_user_model
    from wagtail.models import ReferenceIndex

    definition = answered_form("Colis d'urgence")
    client.force_login(get_user_model().objects.create_superuser("root"))

    # Wagtail learns what uses an object in the background (and never
    # learns of the events holding a form's revisions): until then it lets
    # the deletion through to the database, which refuses it.
    ReferenceIndex.objects.all().delete()
    response = client.post(f"{LIST_URL}delete/{definition.pk}/", follow=True)

    assert response.status_code == 200
    assert FormDefinition.objects.filter(pk=definition.pk).exists()
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1
    assert "Colis d'urgence" in shown[0]
    assert "Demandes" in shown[0]


def test_a_form_shown_on_a_page_stays_in_its_territory(client, north_and_south):
    from content.services import territory_add_member
    from tests.forms_library.factories import IntakeFormPageFactory

    north, south = north_and_south
    coordinator = member_of(north, TerritoryRole.COORDINATION)
    territory_add_member(
        territory=south, user=coordinator, role=TerritoryRole.COORDINATION
    )
    definition = FormDefinitionFactory(
        territory=north, fields=[field("short_text", "Nom", "nom")]
    )
    IntakeFormPageFactory(parent=north, form_definition=definition)
    client.force_login(coordinator)

    response = client.post(
        edit_url(definition),
        {
            "title": definition.title,
            "territory": south.pk,
            "purpose": definition.purpose,
            "retention_months": 24,
            "action-publish": "1",
            **admin_fields_data(
                ("short_text", "Nom", "nom"), ids=(definition.fields[0].id,)
            ),
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["territory"]
    definition.refresh_from_db()
    assert definition.territory_id == north.pk


def test_a_form_asked_on_a_workflows_transition_stays_in_its_territory(
    client, north_and_south
):
    from content.services import territory_add_member
    from tests.workflows.factories import WorkflowDefinitionFactory, accompaniment_graph

    north, south = north_and_south
    coordinator = member_of(north, TerritoryRole.COORDINATION)
    territory_add_member(
        territory=south, user=coordinator, role=TerritoryRole.COORDINATION
    )
    closing = FormDefinitionFactory(
        territory=north, fields=[field("long_text", "Bilan", "bilan")]
    )
    WorkflowDefinitionFactory(
        territory=north, graph=accompaniment_graph(form=closing.pk)
    )
    client.force_login(coordinator)
    response = client.post(
        edit_url(closing),
        {
            "title": closing.title,
            "territory": south.pk,
            "purpose": closing.purpose,
            "retention_months": 24,
            **admin_fields_data(
                ("long_text", "Bilan", "bilan"), ids=(closing.fields[0].id,)
            ),
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["territory"]
    closing.refresh_from_db()
    assert closing.territory_id == north.pk


def test_deleting_several_forms_at_once_says_which_is_still_answered(client):
    from django.contrib.auth import get_user_model
    from wagtail.models import ReferenceIndex

    answered = answered_form("Colis d'urgence")
    unused = FormDefinitionFactory(title="Brouillon oublié")
    client.force_login(get_user_model().objects.create_superuser("root"))
    # As for one deletion: Wagtail's index may not know the submissions yet.
    ReferenceIndex.objects.all().delete()
    response = client.post(
        f"/admin/bulk/forms_library/formdefinition/delete/?next={LIST_URL}"
        f"&id={answered.pk}&id={unused.pk}",
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any("Colis d'urgence" in message for message in shown)
    # Nothing is deleted: the coordinator chooses again knowing why.
    assert FormDefinition.objects.filter(pk__in=[answered.pk, unused.pk]).count() == 2


def test_an_intake_page_given_ids_that_are_not_ids_asks_to_choose_again(
    client, north_and_south
):
    from wagtail.test.utils.form_data import rich_text

    from forms_library.models import IntakeFormPage

    north, _south = north_and_south
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    response = client.post(
        f"/admin/pages/add/forms_library/intakeformpage/{north.pk}/",
        {
            "title": "Demande d'aide",
            "slug": "demande-d-aide",
            "form_definition": "abc",
            "workflow": "1; DROP",
            "introduction": rich_text(""),
            "confirmation_text": rich_text(""),
            "closed_message": "",
            "opens_at": "",
            "closes_at": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"form_definition", "workflow"}
    assert not IntakeFormPage.objects.filter(slug="demande-d-aide").exists()


@pytest.mark.parametrize("chosen", ["form_definition", "workflow"])
def test_a_page_refused_another_territorys_choice_does_not_name_it(
    client, north_and_south, chosen
):
    # The page shown again with its error kept the posted id in the chooser,
    # which named another territory's form or workflow by its title.
    from wagtail.test.utils.form_data import rich_text

    from tests.workflows.factories import WorkflowDefinitionFactory

    north, south = north_and_south
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    ours = {
        "form_definition": FormDefinitionFactory(territory=north).pk,
        "workflow": "",
    }
    theirs = {
        "form_definition": FormDefinitionFactory(
            territory=south, title="Secret du Sud"
        ).pk,
        "workflow": WorkflowDefinitionFactory(
            territory=south, title="Secret du Sud"
        ).pk,
    }
    data = {
        "title": "Demande d'aide",
        "slug": "demande-d-aide",
        **ours,
        chosen: theirs[chosen],
        "introduction": rich_text(""),
        "confirmation_text": rich_text(""),
        "closed_message": "",
        "opens_at": "",
        "closes_at": "",
    }
    response = client.post(
        f"/admin/pages/add/forms_library/intakeformpage/{north.pk}/", data
    )
    assert response.status_code == 200
    assert chosen in response.context["form"].errors
    assert "Secret du Sud" not in html.unescape(response.content.decode())


def test_wagtails_own_form_builder_is_not_offered(client, north_and_south):
    # Intake forms are this library's; Wagtail's form pages listing only
    # confused coordinators (and failed on a crafted site id).
    north, _south = north_and_south
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    assert client.get("/admin/forms/").status_code == 404
    assert client.get("/admin/forms/?site=99999999999999999999").status_code == 404


def test_a_coordinator_says_a_date_question_takes_only_past_days(
    client, north_and_south
):
    north, _south = north_and_south
    client.force_login(member_of(north, TerritoryRole.COORDINATION))
    editor = html.unescape(client.get(f"{LIST_URL}add/").content.decode())
    assert "ou avant (une date de naissance, de don)" in editor

    response = client.post(
        f"{LIST_URL}add/",
        {
            "title": "Dons",
            "territory": north.pk,
            "purpose": "Test",
            "retention_months": 24,
            **admin_fields_data(("date", "Date du don", "date_don")),
            "fields-0-value-period": "past",
        },
    )

    assert response.status_code == 302
    [question] = FormDefinition.objects.get(title="Dons").fields
    assert question.value["period"] == "past"
