"""The shared form templates Maillage ships, written as a coordinator would.

Each template is plain StreamField data; `load_form_templates` stores them as
shared templates (no territory), which coordinators copy into their territory.
"""

import uuid

NO_CONDITION = {"match": "all", "rules": []}


def field(
    block_type: str,
    label: str,
    name: str,
    *,
    required: bool = True,
    show_if: dict | None = None,
    help_text: str = "",
    **extra,
) -> dict:
    """One answerable block, as stored in a form's StreamField."""
    return {
        "type": block_type,
        "id": str(uuid.uuid4()),
        "value": {
            "label": label,
            "name": name,
            "required": required,
            "help_text": help_text,
            "show_if": show_if or NO_CONDITION,
            **extra,
        },
    }


def step(title: str, *, show_if: dict | None = None) -> dict:
    """A step break with its title."""
    return {
        "type": "step_break",
        "id": str(uuid.uuid4()),
        "value": {"title": title, "show_if": show_if or NO_CONDITION},
    }


def when(field_name: str, operator: str, value: str = "") -> dict:
    """A one-rule condition."""
    return {
        "match": "all",
        "rules": [{"field": field_name, "operator": operator, "value": value}],
    }


def consent(purpose: str) -> dict:
    return field(
        "consent", "J'ai compris et j'accepte", "consentement", purpose=purpose
    )


TEMPLATES: list[dict] = [
    {
        "title": "Demande d'accompagnement",
        "purpose": "Organiser l'accompagnement que vous demandez vers un service.",
        "fields": lambda: [
            step("Vous"),
            field("short_text", "Prénom", "prenom"),
            field(
                "phone",
                "Téléphone",
                "telephone",
                help_text="Pour vous rappeler et convenir d'un rendez-vous.",
            ),
            field("email", "Courriel", "courriel", required=False),
            field("postal_code", "Code postal", "code_postal", country="CA"),
            step("Votre demande"),
            field(
                "multiple_choice",
                "Pour quoi avez-vous besoin d'aide ?",
                "besoins",
                choices=[
                    "Transport",
                    "Démarches administratives",
                    "Rendez-vous médical",
                    "Aide alimentaire",
                ],
            ),
            field("yes_no", "Avez-vous besoin d'un transport ?", "transport"),
            field(
                "address",
                "Adresse de départ",
                "adresse_depart",
                show_if=when("transport", "equals", "yes"),
            ),
            field("long_text", "Dites-nous en plus", "precisions", required=False),
            step("Accord"),
            consent(
                "Vos réponses servent à organiser votre accompagnement. Seule "
                "l'équipe d'accompagnement de la MRC les lit."
            ),
        ],
    },
    {
        "title": "Orientation vers l'aide alimentaire",
        "purpose": "Présenter une demande d'aide alimentaire à la commission "
        "d'attribution.",
        "fields": lambda: [
            step("Personne orientée"),
            field("short_text", "Prénom", "prenom"),
            field("short_text", "Nom", "nom"),
            field("phone", "Téléphone", "telephone", required=False),
            step("Foyer"),
            field("number", "Nombre d'adultes", "adultes", min_value=1, max_value=20),
            field("number", "Nombre d'enfants", "enfants", min_value=0, max_value=20),
            field(
                "number",
                "Reste à vivre par jour et par personne",
                "reste_a_vivre",
                unit="€",
                required=False,
            ),
            step("Orientation"),
            field(
                "single_choice",
                "Structure qui oriente",
                "structure",
                choices=["CCAS", "CHRS", "CADA", "MECS", "Autre"],
                display="radio",
            ),
            field(
                "short_text",
                "Précisez la structure",
                "structure_autre",
                show_if=when("structure", "equals", "Autre"),
            ),
            consent(
                "Ces informations servent uniquement à l'étude de la demande "
                "par la commission d'attribution."
            ),
        ],
    },
    {
        "title": "Inscription à un atelier",
        "purpose": "Vous inscrire à un atelier ou une formation et vous prévenir "
        "en cas de changement.",
        "fields": lambda: [
            field("short_text", "Prénom et nom", "nom"),
            field("email", "Courriel", "courriel"),
            field(
                "single_choice",
                "Vous venez en tant que",
                "public",
                choices=[
                    "Professionnel·le",
                    "Bénévole de l'aide alimentaire",
                    "Élu·e",
                    "Personne concernée",
                ],
                display="radio",
            ),
            field(
                "single_choice",
                "Atelier",
                "atelier",
                choices=[
                    "Atelier cuisine",
                    "Formation des professionnels",
                    "Sensibilisation des élus",
                ],
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
    },
    {
        "title": "Déclaration de don d'invendus",
        "purpose": "Enregistrer les dons d'invendus pour la transformation "
        "alimentaire.",
        "fields": lambda: [
            field("short_text", "Commerce donateur", "donateur"),
            field("date", "Date du don", "date_don"),
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
    },
    {
        "title": "Commande de repas",
        "purpose": "Commander des repas transformés pour les personnes que votre "
        "organisme accompagne.",
        "fields": lambda: [
            field("short_text", "Organisme", "organisme"),
            field("email", "Courriel", "courriel"),
            field("number", "Nombre de repas", "repas", min_value=1, max_value=500),
            field("date", "Date de retrait souhaitée", "date_retrait"),
        ],
    },
    {
        "title": "Diagnostic des besoins d'une structure",
        "purpose": "Identifier les besoins et les parcours des personnes en "
        "précarité alimentaire accueillies par votre structure.",
        "fields": lambda: [
            step("Votre structure"),
            field("short_text", "Nom de la structure", "structure"),
            field(
                "single_choice",
                "Type",
                "type_structure",
                choices=["CCAS", "CHRS", "CADA", "MECS", "Autre"],
                display="radio",
            ),
            step("Les personnes accueillies"),
            field("number", "Personnes accueillies par an", "personnes", min_value=0),
            field(
                "long_text",
                "Difficultés d'accès à l'alimentation observées",
                "difficultes",
            ),
        ],
    },
    {
        "title": "Proposition d'action",
        "purpose": "Proposer une action au plan d'action du territoire.",
        "fields": lambda: [
            field("short_text", "Titre de l'action", "titre"),
            field(
                "single_choice",
                "Axe",
                "axe",
                choices=[
                    "Accès à une alimentation de qualité",
                    "Accompagnement des personnes",
                    "Formation des professionnels et bénévoles",
                    "Lutte contre le gaspillage",
                ],
                display="radio",
            ),
            field("long_text", "Description", "description"),
            field("short_text", "Structure porteuse", "porteur"),
        ],
    },
]
