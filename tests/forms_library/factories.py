"""Factories for form definitions, intake pages and their fields."""

import factory
import wagtail_factories

from forms_library.library import field, step, when
from forms_library.models import FormDefinition, IntakeFormPage
from tests.content.factories import TerritoryPageFactory


def rule(field_name: str, operator: str, value: str = "") -> dict:
    return when(field_name, operator, value)


def three_step_fields() -> list[dict]:
    """A 3-step request form with a field condition and a step condition."""
    return [
        step("Vous"),
        field("short_text", "Prénom", "first_name"),
        field("phone", "Téléphone", "phone", help_text="Pour vous rappeler."),
        field("yes_no", "Avez-vous des enfants ?", "has_children"),
        field(
            "number",
            "Nombre d'enfants",
            "children",
            min_value=1,
            max_value=15,
            show_if=rule("has_children", "equals", "yes"),
        ),
        step("Votre situation"),
        field(
            "single_choice",
            "Logement",
            "housing",
            choices=["Locataire", "Hébergé", "Sans logement"],
            display="radio",
        ),
        field("postal_code", "Code postal", "postal_code", country="FR"),
        step("Hébergement", show_if=rule("housing", "equals", "Sans logement")),
        field("long_text", "Où dormez-vous ?", "where_sleeping"),
        step("Accord"),
        field(
            "consent",
            "J'accepte",
            "consent",
            purpose="Vos réponses servent à étudier votre demande.",
        ),
    ]


class FormDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormDefinition
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Demande {n}")
    territory = factory.SubFactory(TerritoryPageFactory)
    purpose = "Étudier votre demande d'aide alimentaire."
    fields = factory.LazyFunction(three_step_fields)
    live = False

    @factory.post_generation
    def published(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.save_revision().publish()
            obj.refresh_from_db()


class IntakeFormPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = IntakeFormPage

    title = "Demande d'aide"
    slug = factory.Sequence(lambda n: f"demande-{n}")
    form_definition = factory.SubFactory(
        FormDefinitionFactory, territory=factory.SelfAttribute("..parent")
    )
    parent = factory.SubFactory(TerritoryPageFactory)


def admin_fields_data(*blocks: tuple[str, str, str], ids: tuple = ()) -> dict:
    """The POST data the admin sends for a form's fields: (type, label, name)."""
    data = {"fields-count": len(blocks)}
    for index, (block_type, label, name) in enumerate(blocks):
        prefix = f"fields-{index}"
        data.update(
            {
                f"{prefix}-type": block_type,
                f"{prefix}-deleted": "",
                f"{prefix}-order": index,
                f"{prefix}-value-label": label,
                f"{prefix}-value-name": name,
                f"{prefix}-value-required": "on",
                f"{prefix}-value-show_if-match": "all",
                f"{prefix}-value-show_if-rules-count": 0,
            }
        )
        if index < len(ids):
            data[f"{prefix}-id"] = ids[index]
    return data
