"""Demo forms: the shipped templates, published, and live on the demo territories."""

from django.db import transaction

from content.models import TerritoryPage
from forms_library.library import TEMPLATES
from forms_library.models import FormDefinition, IntakeFormPage
from forms_library.services import form_definition_copy_from_template

# Template title → slug of its intake page, by country of the territory.
DEMO_PAGES = {
    "CA": {
        "Demande d'accompagnement": "demande-accompagnement",
        "Commande de repas": "commande-de-repas",
        "Déclaration de don d'invendus": "don-invendus",
    },
    "FR": {
        "Orientation vers l'aide alimentaire": "orientation-aide-alimentaire",
        "Inscription à un atelier": "inscription-atelier",
        "Proposition d'action": "proposer-une-action",
    },
}


def load_form_templates() -> dict[str, FormDefinition]:
    """Store the shipped templates as shared, published form definitions."""
    templates = {}
    for spec in TEMPLATES:
        template = FormDefinition.objects.filter(
            territory=None, title=spec["title"]
        ).first()
        if template is None:
            template = FormDefinition(
                title=spec["title"],
                purpose=spec["purpose"],
                fields=spec["fields"](),
                live=False,
            )
            template.save()
            template.save_revision().publish()
        templates[spec["title"]] = template
    return templates


def _ensure_intake_page(territory: TerritoryPage, template: FormDefinition, slug: str):
    definition = FormDefinition.objects.filter(
        territory=territory, title=template.title
    ).first()
    if definition is None:
        definition = form_definition_copy_from_template(
            template=template, territory=territory
        )
        definition.latest_revision.publish()
        definition.refresh_from_db()
    if IntakeFormPage.objects.descendant_of(territory).filter(slug=slug).exists():
        return
    page = territory.add_child(
        instance=IntakeFormPage(
            title=template.title,
            slug=slug,
            form_definition=definition,
            introduction=f"<p>{template.purpose}</p>",
        )
    )
    page.save_revision().publish()


@transaction.atomic
def load_forms() -> None:
    """Templates, and on each demo territory its forms published on a page."""
    templates = load_form_templates()
    for territory in TerritoryPage.objects.all():
        for title, slug in DEMO_PAGES.get(territory.country, {}).items():
            _ensure_intake_page(territory.specific, templates[title], slug)
