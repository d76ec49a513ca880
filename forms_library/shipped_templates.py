"""The seven form templates Maillage ships, in the words of each country.

The same template reads differently in France and in Québec: a person is
referred by a CCAS or by a community organisation, counts in euros or in
dollars, has a "reste à vivre" or a monthly income (see the glossary). Each
template is written once, against a `Wording`, and stored once per country
as a shared template that coordinators of that country copy.
"""

from collections.abc import Callable
from dataclasses import dataclass

from forms_library.blocks import DatePeriod
from forms_library.library import consent, field, step, when


@dataclass(frozen=True)
class Wording:
    """The words the shipped templates use in one country."""

    country: str  # a territory's country code, also the postal-code format
    currency: str
    food_aid: str  # "Orientation vers …"
    food_insecurity: str
    allocation_committee: str
    to_allocation_committee: str  # French contracts "à le" into "au"
    referrers: tuple[str, ...]  # who meets and refers the people concerned
    organisation: str  # the word for a structure that welcomes people
    of_an_organisation: str
    your_organisation: str
    name_of_organisation: str
    lead_organisation: str
    income_label: str
    income_name: str
    accompaniment_team: str
    food_aid_need: str
    audiences: tuple[str, ...]
    workshops: tuple[str, ...]
    plan_axes: tuple[str, ...]  # the axes of the programme's action plans
    kept: str  # what a consent says is kept: answers, personal information


FRANCE = Wording(
    country="FR",
    currency="€",
    food_aid="l'aide alimentaire",
    food_insecurity="précarité alimentaire",
    allocation_committee="la commission d'attribution",
    to_allocation_committee="à la commission d'attribution",
    referrers=("CCAS", "CHRS", "CADA", "MECS"),
    organisation="Structure",
    of_an_organisation="d'une structure",
    your_organisation="votre structure",
    name_of_organisation="Nom de la structure",
    lead_organisation="Structure porteuse",
    income_label="Reste à vivre par jour et par personne",
    income_name="reste_a_vivre",
    accompaniment_team="l'équipe d'accompagnement du territoire",
    food_aid_need="Aide alimentaire",
    audiences=(
        "Professionnel·le",
        "Bénévole de l'aide alimentaire",
        "Élu·e",
        "Personne concernée",
    ),
    workshops=(
        "Atelier cuisine",
        "Formation des professionnels",
        "Sensibilisation des élus",
    ),
    plan_axes=(
        "Accès à une alimentation de qualité",
        "Accompagnement des personnes",
        "Formation des professionnels et bénévoles",
        "Lutte contre le gaspillage",
    ),
    kept="Vos réponses",
)

QUEBEC = Wording(
    country="CA",
    currency="$",
    food_aid="le dépannage alimentaire",
    food_insecurity="insécurité alimentaire",
    allocation_committee="le comité local en sécurité alimentaire",
    to_allocation_committee="au comité local en sécurité alimentaire",
    referrers=(
        "Organisme communautaire",
        "CLSC",
        "Comptoir alimentaire",
        "Ressource d'hébergement",
    ),
    organisation="Organisme",
    of_an_organisation="d'un organisme",
    your_organisation="votre organisme",
    name_of_organisation="Nom de l'organisme",
    lead_organisation="Organisme porteur",
    income_label="Revenu du ménage par mois",
    income_name="revenu_mensuel",
    accompaniment_team="l'équipe d'accompagnement de la MRC",
    food_aid_need="Dépannage alimentaire",
    audiences=(
        "Intervenant·e",
        "Bénévole en dépannage alimentaire",
        "Élu·e",
        "Participant·e",
    ),
    workshops=(
        "Cuisine collective",
        "Formation des intervenants",
        "Sensibilisation des élus",
    ),
    plan_axes=(
        "Accompagnement",
        "Transformation alimentaire",
        "Accès à une alimentation de qualité",
        "Lutte contre le gaspillage",
    ),
    kept="Vos renseignements personnels",
)

WORDINGS = (FRANCE, QUEBEC)


def accompaniment_request(w: Wording) -> dict:
    return {
        "title": "Demande d'accompagnement",
        "purpose": "Organiser l'accompagnement que vous demandez vers un service.",
        "fields": [
            step("Vous"),
            field("short_text", "Prénom", "prenom"),
            field(
                "phone",
                "Téléphone",
                "telephone",
                help_text="Pour vous rappeler et convenir d'un rendez-vous.",
                country=w.country,
            ),
            field("email", "Courriel", "courriel", required=False),
            field("postal_code", "Code postal", "code_postal", country=w.country),
            step("Votre demande"),
            field(
                "multiple_choice",
                "Pour quoi avez-vous besoin d'aide\u00a0?",
                "besoins",
                choices=[
                    "Transport",
                    "Démarches administratives",
                    "Rendez-vous médical",
                    w.food_aid_need,
                ],
            ),
            field("yes_no", "Avez-vous besoin d'un transport\u00a0?", "transport"),
            field(
                "address",
                "Adresse de départ",
                "adresse_depart",
                show_if=when("transport", "equals", "yes"),
            ),
            field("long_text", "Dites-nous en plus", "precisions", required=False),
            step("Accord"),
            consent(
                f"{w.kept} servent à organiser votre accompagnement. Seule "
                f"{w.accompaniment_team} y a accès."
            ),
        ],
    }


def food_aid_referral(w: Wording) -> dict:
    return {
        "title": f"Orientation vers {w.food_aid}",
        "purpose": f"Présenter une demande {w.to_allocation_committee}.",
        "fields": [
            step("Personne orientée"),
            field("short_text", "Prénom", "prenom"),
            field("short_text", "Nom", "nom"),
            field("phone", "Téléphone", "telephone", required=False, country=w.country),
            step("Foyer"),
            field(
                "number",
                "Nombre d'adultes",
                "adultes",
                min_value=1,
                max_value=20,
                whole=True,
            ),
            field(
                "number",
                "Nombre d'enfants",
                "enfants",
                min_value=0,
                max_value=20,
                whole=True,
            ),
            field(
                "number",
                w.income_label,
                w.income_name,
                unit=w.currency,
                required=False,
            ),
            step("Orientation"),
            field(
                "single_choice",
                f"{w.organisation} qui oriente",
                "structure",
                choices=[*w.referrers, "Autre"],
                display="radio",
            ),
            field(
                "short_text",
                "Précisez",
                "structure_autre",
                show_if=when("structure", "equals", "Autre"),
            ),
            consent(
                f"{w.kept} servent uniquement à l'étude de la demande par "
                f"{w.allocation_committee}."
            ),
        ],
    }


def workshop_registration(w: Wording) -> dict:
    return {
        "title": "Inscription à un atelier",
        "purpose": "Vous inscrire à un atelier ou une formation et vous prévenir "
        "en cas de changement.",
        "fields": [
            # The whole name: phones fill it in one go (autocomplete "name").
            field("short_text", "Prénom et nom", "nom_complet"),
            field("email", "Courriel", "courriel"),
            field(
                "single_choice",
                "Vous venez en tant que",
                "public",
                choices=list(w.audiences),
                display="radio",
            ),
            field(
                "single_choice",
                "Atelier",
                "atelier",
                choices=list(w.workshops),
                display="select",
            ),
            field(
                "long_text",
                "Besoins particuliers (accessibilité, garde d'enfants…)",
                "besoins",
                required=False,
            ),
            consent("Votre inscription sert à organiser l'atelier."),
        ],
    }


def unsold_food_donation(w: Wording) -> dict:
    return {
        "title": "Déclaration de don d'invendus",
        "purpose": "Enregistrer les dons d'invendus pour la transformation "
        "alimentaire.",
        "fields": [
            field("short_text", "Commerce donateur", "donateur"),
            field("date", "Date du don", "date_don", period=DatePeriod.PAST),
            field(
                "single_choice",
                "Catégorie",
                "categorie",
                choices=[
                    "Fruits et légumes",
                    "Produits laitiers",
                    "Viandes",
                    "Boulangerie",
                    "Épicerie",
                ],
                display="radio",
            ),
            field("number", "Poids", "poids_kg", unit="kg", min_value=0),
        ],
    }


def meal_order(w: Wording) -> dict:
    return {
        "title": "Commande de repas",
        "purpose": "Commander des repas transformés pour les personnes que "
        f"{w.your_organisation} accompagne.",
        "fields": [
            field("short_text", w.organisation, "organisme"),
            field("email", "Courriel", "courriel"),
            field(
                "number",
                "Nombre de repas",
                "repas",
                min_value=1,
                max_value=500,
                whole=True,
            ),
            field(
                "date",
                "Date de retrait souhaitée",
                "date_retrait",
                period=DatePeriod.FUTURE,
            ),
        ],
    }


def needs_assessment(w: Wording) -> dict:
    return {
        "title": f"Diagnostic des besoins {w.of_an_organisation}",
        "purpose": "Identifier les besoins et les parcours des personnes en "
        f"{w.food_insecurity} accueillies par {w.your_organisation}.",
        "fields": [
            step(w.your_organisation.capitalize()),
            field("short_text", w.name_of_organisation, "structure"),
            field(
                "single_choice",
                "Type",
                "type_structure",
                choices=[*w.referrers, "Autre"],
                display="radio",
            ),
            step("Les personnes accueillies"),
            field(
                "number",
                "Personnes accueillies par an",
                "personnes",
                min_value=0,
                whole=True,
            ),
            field(
                "long_text",
                "Difficultés d'accès à l'alimentation observées",
                "difficultes",
            ),
        ],
    }


def action_proposal(w: Wording) -> dict:
    return {
        "title": "Proposition d'action",
        "purpose": "Proposer une action au plan d'action du territoire.",
        "fields": [
            field("short_text", "Titre de l'action", "titre"),
            field(
                "single_choice",
                "Axe",
                "axe",
                choices=list(w.plan_axes),
                display="radio",
            ),
            field("long_text", "Description", "description"),
            field("short_text", w.lead_organisation, "porteur"),
        ],
    }


TEMPLATES: tuple[Callable[[Wording], dict], ...] = (
    accompaniment_request,
    food_aid_referral,
    workshop_registration,
    unsold_food_donation,
    meal_order,
    needs_assessment,
    action_proposal,
)


def shipped_templates(wording: Wording) -> list[dict]:
    """Every shipped template (title, purpose, fields) in this wording."""
    return [template(wording) for template in TEMPLATES]
