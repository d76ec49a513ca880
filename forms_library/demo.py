"""Demo forms: the shipped templates, published, and live on the demo territories."""

from django.db import transaction

from content.models import TerritoryPage
from forms_library.models import FormDefinition, IntakeFormPage
from forms_library.services import form_definition_copy_from_template
from forms_library.shipped_templates import (
    TEMPLATES,
    WORDINGS,
    accompaniment_request,
    action_proposal,
    food_aid_referral,
    meal_order,
    unsold_food_donation,
    workshop_registration,
)

# The templates each programme puts on a page, by country of the territory,
# with the slug of their intake page.
DEMO_PAGES = {
    "CA": {
        accompaniment_request: "demande-accompagnement",
        meal_order: "commande-de-repas",
        unsold_food_donation: "don-invendus",
    },
    "FR": {
        food_aid_referral: "orientation-aide-alimentaire",
        workshop_registration: "inscription-atelier",
        action_proposal: "proposer-une-action",
    },
}


def load_form_templates() -> dict[tuple[str, str], FormDefinition]:
    """Store the shipped templates, in each country's words, as shared and
    published form definitions; keyed by (country, template's function name)."""
    templates = {}
    for wording in WORDINGS:
        for template_of in TEMPLATES:
            spec = template_of(wording)
            template = FormDefinition.objects.filter(
                territory=None, title=spec["title"], wording_country=wording.country
            ).first()
            if template is None:
                template = FormDefinition(
                    title=spec["title"],
                    wording_country=wording.country,
                    purpose=spec["purpose"],
                    fields=spec["fields"],
                    live=False,
                )
                template.save()
                template.save_revision().publish()
            templates[(wording.country, template_of.__name__)] = template
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
        pages = DEMO_PAGES.get(territory.country, {})
        for template, slug in pages.items():
            shipped = templates[(territory.country, template.__name__)]
            _ensure_intake_page(territory.specific, shipped, slug)
