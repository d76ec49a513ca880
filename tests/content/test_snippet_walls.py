"""Snippet choosers and listing searches stop at the same walls as listings."""

import pytest

from content.models import TerritoryRole
from tests.content.factories import (
    ActionPlanPageFactory,
    PartnerOrganisationFactory,
    TerritoryPageFactory,
    UserFactory,
    member_of,
)
from tests.content.test_media_walls import document, image
from tests.data_protection.test_incidents import incident
from tests.forms_library.factories import FormDefinitionFactory
from tests.workflows.factories import WorkflowDefinitionFactory
from workflows.models import MessageTemplate

pytestmark = pytest.mark.django_db

CHOOSERS = "/admin/snippets/choose/"


def message(territory, title):
    return MessageTemplate.objects.create(
        territory=territory, title=title, subject_fr="Objet", body_fr="Texte"
    )


# Snippets of one territory, each made with a title, and their admin address.
WALLED_SNIPPETS = [
    (
        lambda t, title: PartnerOrganisationFactory(territory=t, name=title),
        "content/partnerorganisation/",
    ),
    (message, "workflows/messagetemplate/"),
    (lambda t, title: incident(t, title=title), "data_protection/dataincident/"),
]


@pytest.mark.parametrize("make, url", WALLED_SNIPPETS)
def test_a_chooser_lists_and_gives_only_the_users_territories(client, make, url):
    here, there = TerritoryPageFactory(), TerritoryPageFactory()
    mine, theirs = make(here, "Chez nous"), make(there, "Chez eux")
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    for listing in (
        CHOOSERS + url,
        CHOOSERS + url + "results/",
        CHOOSERS + url + "results/?q=Chez",
        f"/admin/snippets/{url}?q=Chez",
    ):
        page = client.get(listing).content.decode()
        assert "Chez nous" in page, listing
        assert "Chez eux" not in page, listing
    assert client.get(f"{CHOOSERS}{url}chosen/{mine.pk}/").status_code == 200
    assert client.get(f"{CHOOSERS}{url}chosen/{theirs.pk}/").status_code == 404


def test_a_message_template_stays_in_the_coordinators_territories(client):
    here, there = TerritoryPageFactory(), TerritoryPageFactory()
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    url = "/admin/snippets/workflows/messagetemplate/"
    data = {"title": "Rappel", "subject_fr": "Objet", "body_fr": "Bonjour {name}"}
    for territory in (there.pk, ""):
        response = client.post(url + "add/", {**data, "territory": territory})
        assert response.status_code == 200  # the form again, with its error
        assert response.context["form"].errors["territory"]
        assert response.context["form"].data["body_fr"] == "Bonjour {name}"
    assert not MessageTemplate.objects.exists()
    mine = message(here, "Le nôtre")
    client.post(f"{url}edit/{mine.pk}/", {**data, "territory": there.pk})
    mine.refresh_from_db()
    assert mine.territory_id == here.pk


# The site history lists every territory's objects and editors; the page
# types usage counts every territory's pages and names the last one edited of
# each type, a draft of another territory too.
@pytest.mark.parametrize(
    "report", ["/admin/reports/site-history/", "/admin/reports/page-types-usage/"]
)
def test_a_report_crossing_territories_is_for_superusers(client, report):
    here = TerritoryPageFactory()
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    assert client.get(report).status_code == 404
    assert client.get(f"{report}results/").status_code == 404
    assert report not in client.get("/admin/").content.decode()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(report).status_code == 200


@pytest.mark.parametrize(
    "make, url",
    [
        *WALLED_SNIPPETS,
        (
            lambda t, title: FormDefinitionFactory(territory=t, title=title),
            "forms_library/formdefinition/",
        ),
        (
            lambda t, title: WorkflowDefinitionFactory(territory=t, title=title),
            "workflows/workflowdefinition/",
        ),
    ],
)
def test_choosing_several_at_once_gives_only_the_users_territories(client, make, url):
    # The chooser's "chosen-multiple" view answers with the title of each id
    # asked for: another territory's ids give nothing.
    here, there = TerritoryPageFactory(), TerritoryPageFactory()
    mine, theirs = make(here, "Chez nous"), make(there, "Chez eux")
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    response = client.get(
        f"{CHOOSERS}{url}chosen-multiple/", {"id": [mine.pk, theirs.pk]}
    )
    assert response.status_code == 200
    chosen = [item["id"] for item in response.json()["result"]]
    assert chosen == [str(mine.pk)]
    assert "Chez eux" not in response.content.decode()


@pytest.mark.parametrize(
    "make, url",
    [
        *[(make, f"{url}delete/") for make, url in WALLED_SNIPPETS],
        (
            lambda t, title: FormDefinitionFactory(territory=t, title=title),
            "forms_library/formdefinition/delete/",
        ),
        (
            lambda t, title: ActionPlanPageFactory(parent=t, title=title),
            "wagtailcore/page/delete/",
        ),
        (
            lambda t, title: ActionPlanPageFactory(parent=t, title=title),
            "wagtailcore/page/publish/",
        ),
        (document, "wagtaildocs/document/delete/"),
        (image, "wagtailimages/image/add_to_collection/"),
    ],
)
def test_a_bulk_action_names_nothing_of_another_territory(client, make, url):
    # Wagtail's confirmation lists what the person may not act on by its
    # title: another territory's ids must not name what they hold.
    here, there = TerritoryPageFactory(), TerritoryPageFactory()
    mine, theirs = make(here, "Chez nous"), make(there, "Chez eux")
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    response = client.get(f"/admin/bulk/{url}", {"id": [mine.pk, theirs.pk]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chez nous" in text
    assert "Chez eux" not in text


def test_wagtails_task_chooser_is_for_those_who_build_wagtail_workflows(client):
    # It lists every territory's approval tasks, named after the territory,
    # and the workflows using them; only the workflow editor needs it.
    from wagtail.models import Task

    here = TerritoryPageFactory()
    task = Task.objects.create(name="Avis du comité de pilotage – Ailleurs")
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    for url in (
        "/admin/workflows/task_chooser/",
        "/admin/workflows/task_chooser/results/",
        "/admin/workflows/task_chooser/create/",
        f"/admin/workflows/task_chooser/{task.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/workflows/task_chooser/").status_code == 200


NO_ROW = "99999999999999999999"  # past the largest id a database stores


@pytest.mark.parametrize(
    "url, data",
    [
        ("workflows/messagetemplate/", {"title": "Rappel", "subject_fr": "Objet"}),
        ("content/partnerorganisation/", {"name": "Épicerie", "kind": "ccas"}),
        ("forms_library/formdefinition/", {"title": "Demande", "fields-count": 0}),
    ],
)
def test_a_territory_id_no_row_can_have_is_refused_as_any_other(client, url, data):
    here = TerritoryPageFactory()
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    response = client.post(f"/admin/snippets/{url}add/", {**data, "territory": NO_ROW})
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["territory"]


def test_a_member_id_no_row_can_have_is_refused_as_any_other(client):
    here = TerritoryPageFactory()
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    response = client.post(
        "/admin/snippets/content/partnerorganisation/add/",
        {"name": "Épicerie", "kind": "ccas", "territory": here.pk, "members": NO_ROW},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["members"]


@pytest.mark.parametrize("crafted", ["abc", "²", "99999999999999999999999"])
@pytest.mark.parametrize(
    "url, status",
    [
        (CHOOSERS + "forms_library/formdefinition/chosen/{id}/", 404),
        (CHOOSERS + "workflows/workflowdefinition/chosen/{id}/", 404),
        (CHOOSERS + "workflows/messagetemplate/chosen/{id}/", 404),
        (CHOOSERS + "forms_library/formdefinition/chosen-multiple/?id={id}", 200),
        (CHOOSERS + "workflows/workflowdefinition/chosen-multiple/?id={id}", 200),
        (CHOOSERS + "content/partnerorganisation/chosen-multiple/?id={id}", 200),
        ("/admin/bulk/wagtailcore/page/delete/?id={id}", 404),
        ("/admin/bulk/forms_library/formdefinition/delete/?id={id}", 404),
    ],
)
def test_an_id_that_is_no_id_names_nothing(client, url, status, crafted):
    territory = TerritoryPageFactory()
    client.force_login(member_of(territory, TerritoryRole.COORDINATION))
    response = client.get(url.format(id=crafted))
    assert response.status_code == status
    if status == 200:
        assert response.json()["result"] == []
