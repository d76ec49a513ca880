"""Builders for data protection tests: a form asking for every kind of personal data."""

from django.core.files.uploadedfile import SimpleUploadedFile

from forms_library.library import field
from forms_library.services import submission_create

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def personal_fields() -> list[dict]:
    return [
        field("short_text", "Prénom", "first_name"),
        field("email", "Courriel", "email", required=False),
        field("phone", "Téléphone", "phone", required=False),
        field("date", "Date de naissance", "birth_date", required=False),
        field("address", "Adresse", "address", required=False),
        field("postal_code", "Code postal", "postal_code", country="FR"),
        field("number", "Personnes au foyer", "household"),
        field(
            "single_choice",
            "Logement",
            "housing",
            choices=["Locataire", "Hébergé", "Sans logement"],
            display="radio",
        ),
        field("yes_no", "Enfants ?", "has_children"),
        field("long_text", "Votre situation", "situation", required=False),
        field("file", "Justificatif", "proof", required=False, allowed_types=["pdf"]),
        field("consent", "J'accepte", "consent", purpose="Étudier la demande."),
    ]


def answers(**overrides) -> dict:
    return {
        "first_name": "Awa",
        "email": "awa.diallo@example.org",
        "phone": "0612345678",
        "birth_date": "1990-04-02",
        "address": "3 rue des Lilas, Rennes",
        "postal_code": "35000",
        "household": 4,
        "housing": "Hébergé",
        "has_children": "yes",
        "situation": "Je vis chez ma sœur depuis mars.",
        "consent": True,
        **overrides,
    }


def send(page, *, with_file: bool = False, **overrides):
    """A submission as a resident sends it, with its case."""
    given = answers(**overrides)
    if with_file:
        given["proof"] = SimpleUploadedFile("avis impot Diallo.pdf", PDF)
    submission, _created = submission_create(
        revision=page.form_definition.live_revision,
        territory=page.form_definition.territory,
        answers=given,
        intake_page=page,
    )
    return submission
