"""The demo publishes the shipped templates as live forms on the territories."""

import pytest
from django.core.management import call_command

from forms_library.models import FormDefinition, IntakeFormPage
from forms_library.services import form_definition_copy_from_template

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    """Tests that read the demo, loaded once for them all."""

    def test_demo_forms_are_live_on_every_territory_and_load_twice_the_same(self):
        counts = (FormDefinition.objects.count(), IntakeFormPage.objects.count())
        call_command("load_demo")
        assert (
            FormDefinition.objects.count(),
            IntakeFormPage.objects.count(),
        ) == counts
        # The seven shipped templates, worded for France and for Québec.
        templates = FormDefinition.objects.filter(territory=None, live=True)
        assert templates.filter(wording_country="FR").count() == 7
        assert templates.filter(wording_country="CA").count() == 7
        quebec_request = FormDefinition.objects.get(
            territory__country="CA", title="Demande d'accompagnement"
        )
        assert [
            block.value["country"]
            for block in quebec_request.fields
            if block.block_type == "postal_code"
        ] == ["CA"]
        # Three pages in the Québec MRC, three in each of the six Breton territories.
        assert IntakeFormPage.objects.live().count() == 3 + 6 * 3

    def test_a_demo_form_can_be_filled(self, client):
        page = IntakeFormPage.objects.get(
            slug="inscription-atelier", url_path__contains="argoat"
        )
        client.get(page.url)
        response = client.post(
            page.url,
            {
                f"intake_{page.pk}-current_step": "0",
                "0-nom_complet": "Jeanne Le Gall",
                "0-courriel": "jeanne@example.org",
                "0-public": "Bénévole de l'aide alimentaire",
                "0-atelier": "Atelier cuisine",
                "0-consentement": "on",
            },
        )
        assert response.status_code == 200
        client.post(page.url, {f"intake_{page.pk}-current_step": "review"})
        sent = page.submissions.get(answers__nom_complet="Jeanne Le Gall")
        assert sent.reference.startswith("ARS-")

    def test_copying_a_template_gives_an_unpublished_draft_of_the_territory(self):
        template = FormDefinition.objects.get(
            territory=None, title="Commande de repas", wording_country="FR"
        )
        from content.models import TerritoryPage

        territory = TerritoryPage.objects.get(code="ABE")
        copy = form_definition_copy_from_template(
            template=template, territory=territory
        )
        assert copy.territory == territory
        assert not copy.live
        assert copy.latest_revision is not None
        assert list(copy.machine_names().values()) == list(
            template.machine_names().values()
        )
