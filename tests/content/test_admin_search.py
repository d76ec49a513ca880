"""Searching the walled admin listings and choosers, as each role does."""

import pytest

from content.models import TerritoryRole
from tests.content.factories import member_of
from tests.forms_library.factories import FormDefinitionFactory
from tests.workflows.factories import WorkflowDefinitionFactory
from workflows.models import MessageTemplate

pytestmark = pytest.mark.django_db

SEARCHES = [
    ("/admin/snippets/forms_library/formdefinition/", "Inscription atelier"),
    ("/admin/snippets/choose/forms_library/formdefinition/", "Inscription atelier"),
    (
        "/admin/snippets/choose/forms_library/formdefinition/results/",
        "Inscription atelier",
    ),
    ("/admin/snippets/workflows/workflowdefinition/", "Parcours repas"),
    ("/admin/snippets/choose/workflows/workflowdefinition/", "Parcours repas"),
    (
        "/admin/snippets/choose/workflows/workflowdefinition/results/",
        "Parcours repas",
    ),
    ("/admin/snippets/workflows/messagetemplate/", "Accueil chaleureux"),
]

READ_BY_SOCIAL_WORKERS = {
    "/admin/snippets/forms_library/formdefinition/",
    "/admin/snippets/workflows/workflowdefinition/",
}


@pytest.mark.parametrize(
    "role", [TerritoryRole.COORDINATION, TerritoryRole.INTERVENTION, None]
)
@pytest.mark.parametrize(("url", "title"), SEARCHES)
def test_a_search_finds_what_the_walls_let_through(client, role, url, title):
    form = FormDefinitionFactory(title="Inscription atelier", published=True)
    territory = form.territory
    WorkflowDefinitionFactory(title="Parcours repas", territory=territory)
    MessageTemplate.objects.create(
        title="Accueil chaleureux", territory=territory, subject_fr="Bonjour"
    )
    FormDefinitionFactory(title="Inscription ailleurs", published=True)
    if role is None:
        user = member_of(territory, TerritoryRole.COORDINATION, is_superuser=True)
    else:
        user = member_of(territory, role)
    client.force_login(user)
    response = client.get(url, {"q": title.split()[0]})
    if role == TerritoryRole.INTERVENTION and url not in READ_BY_SOCIAL_WORKERS:
        # Only those who run the territory choose forms or write messages.
        assert response.status_code in (200, 302, 403)
        assert title not in response.content.decode()
        return
    assert response.status_code == 200, response.content[:500]
    text = response.content.decode()
    assert title in text
    if role is not None:
        assert "Inscription ailleurs" not in text
