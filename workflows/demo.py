"""Demo workflows of the two programmes, built as data the way a coordinator would.

Each workflow is a StreamField of states and transitions, saved, published
(which runs the same graph checks as the admin) and bound to its intake page.
"""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from content.models import PartnerOrganisation, TerritoryPage
from forms_library.library import field
from forms_library.models import FormDefinition, IntakeFormPage
from workflows.blocks import Channel
from workflows.models import WorkflowDefinition

WORKERS = ["coordination", "intervention"]
COORDINATION = ["coordination"]


def state(label, name, kind="in_progress", *, days=None, colour="slate") -> dict:
    return {
        "type": "state",
        "id": str(uuid.uuid4()),
        "value": {
            "label": label,
            "name": name,
            "kind": kind,
            "deadline_days": days,
            "colour": colour,
        },
    }


def transition(
    label, source, target, *, allowed=WORKERS, form=None, effects=()
) -> dict:
    return {
        "type": "transition",
        "id": str(uuid.uuid4()),
        "value": {
            "label": label,
            "name": "",
            "source": source,
            "target": target,
            "allowed": list(allowed),
            "form": form,
            "effects": [
                {"type": kind, "id": str(uuid.uuid4()), "value": value}
                for kind, value in effects
            ],
        },
    }


def notify(recipient, subject, message, channel: str = "") -> tuple[str, dict]:
    # A resident who gave no email address is told by text message: many give
    # only a phone number.
    if not channel:
        channel = Channel.PREFERRED if recipient == "resident" else Channel.EMAIL
    return (
        "notify",
        {
            "recipient": recipient,
            "template": None,
            "subject": subject,
            "message": message,
            "channel": channel,
            "channel_question": "",
        },
    )


def assign(to) -> tuple[str, dict]:
    return ("assign", {"to": to})


def with_machine_names(blocks: list[dict]) -> list[dict]:
    # Machine names as the admin would fill them from the labels.
    for block in blocks:
        if block["type"] == "transition" and not block["value"]["name"]:
            block["value"]["name"] = slugify(block["value"]["label"]).replace("-", "_")
    return blocks


def _form(territory: TerritoryPage, title: str, fields: list[dict]) -> int:
    definition = FormDefinition.objects.filter(territory=territory, title=title).first()
    if definition is None:
        definition = FormDefinition(
            title=title,
            territory=territory,
            purpose="Notes de l'équipe sur le dossier.",
            fields=fields,
            live=False,
        )
        definition.save()
        definition.save_revision().publish()
    return definition.pk


def _workflow(territory: TerritoryPage, title: str, graph: list[dict]):
    workflow = WorkflowDefinition.objects.filter(
        territory=territory, title=title
    ).first()
    if workflow is None:
        workflow = WorkflowDefinition(
            title=title,
            territory=territory,
            graph=with_machine_names(graph),
            live=False,
        )
        workflow.save()
        workflow.save_revision().publish()
        workflow.refresh_from_db()
    return workflow


def _bind(territory: TerritoryPage, slug: str, workflow: WorkflowDefinition) -> None:
    page = IntakeFormPage.objects.descendant_of(territory).filter(slug=slug).first()
    if page is None or page.workflow_id == workflow.pk:
        return
    page.workflow = workflow
    page.save_revision().publish()


def _partners(territory: TerritoryPage, partners: list[tuple[str, str, str]]):
    member = (
        get_user_model().objects.filter(username=f"partenaire.{territory.slug}").first()
    )
    for name, kind, services in partners:
        partner, _created = PartnerOrganisation.objects.get_or_create(
            territory=territory,
            name=name,
            defaults={
                "kind": kind,
                "services": services,
                "email": f"contact@{territory.slug}.example.org",
            },
        )
        if member is not None:
            partner.members.add(member)


def load_quebec(territory: TerritoryPage) -> None:
    _partners(
        territory,
        [
            ("Banque alimentaire régionale", "food_bank", "Paniers, dépannage"),
            ("Cuisine collective du Haut-Richelieu", "kitchen", "Repas, ateliers"),
            ("Transport adapté de la MRC", "public", "Transport sur réservation"),
        ],
    )
    evaluation = _form(
        territory,
        "Notes d'évaluation",
        [
            field("long_text", "Besoins repérés", "besoins_reperes"),
            field(
                "yes_no", "Un besoin alimentaire est-il repéré ?", "besoin_alimentaire"
            ),
        ],
    )
    food_referral = _workflow(
        territory,
        "Orientation alimentaire",
        [
            state("Orientation reçue", "recue", "initial", days=3, colour="blue"),
            state("Dépannage organisé", "depannage", days=7),
            state("Servie", "servie", "final_positive", colour="green"),
            transition(
                "Organiser le dépannage",
                "recue",
                "depannage",
                effects=[assign("chosen_partner")],
            ),
            transition("Marquer comme servie", "depannage", "servie"),
        ],
    )
    accompaniment = _workflow(
        territory,
        "Accompagnement",
        [
            state("Accueil", "accueil", "initial", days=2, colour="blue"),
            state("Évaluation", "evaluation", days=7),
            state("Transport et rendez-vous", "transport_rdv", days=14),
            state("Accompagnement", "accompagnement", days=30, colour="purple"),
            state("Suivi", "suivi", days=60),
            state("Clôturé", "cloture", "final_positive", colour="green"),
            state("Sans suite", "sans_suite", "final_negative", colour="red"),
            transition(
                "Prendre en charge",
                "accueil",
                "evaluation",
                effects=[
                    assign("actor"),
                    notify(
                        "resident",
                        "Votre demande {reference}",
                        "Bonjour {name},\n\nVotre demande d'accompagnement est prise "
                        "en charge. Nous vous appelons très bientôt.",
                    ),
                ],
            ),
            transition("Classer sans suite", "accueil", "sans_suite"),
            transition(
                "Planifier transport et rendez-vous",
                "evaluation",
                "transport_rdv",
                form=evaluation,
            ),
            transition(
                "Besoin alimentaire repéré",
                "evaluation",
                "transport_rdv",
                form=evaluation,
                effects=[("open_case", {"workflow": food_referral.pk})],
            ),
            transition(
                "Orienter vers un partenaire",
                "transport_rdv",
                "accompagnement",
                effects=[
                    assign("chosen_partner"),
                    notify(
                        "partner",
                        "Orientation {reference}",
                        "Une personne vous est orientée par l'accompagnateur "
                        "de la MRC : {link}",
                    ),
                ],
            ),
            transition("Accompagner", "transport_rdv", "accompagnement"),
            transition(
                "Passer au suivi",
                "accompagnement",
                "suivi",
                allowed=[*WORKERS, "partner"],
            ),
            transition("Clôturer", "suivi", "cloture"),
        ],
    )
    _bind(territory, "demande-accompagnement", accompaniment)
    unsold = _workflow(
        territory,
        "Invendus : du don à la distribution",
        [
            state("Don déclaré", "declare", "initial", days=1, colour="blue"),
            state("Réception et pesée", "pesee", days=1),
            state("Transformation", "transformation", days=3, colour="orange"),
            state("En stock", "stock", days=5),
            state("Distribué", "distribue", "final_positive", colour="green"),
            state("Perdu", "perdu", "final_negative", colour="red"),
            transition("Réceptionner et peser", "declare", "pesee"),
            transition(
                "Lancer la transformation",
                "pesee",
                "transformation",
                form=_form(
                    territory,
                    "Lot de transformation",
                    [
                        field("number", "Portions produites", "portions", min_value=0),
                        field("date", "Date limite de consommation", "date_limite"),
                    ],
                ),
            ),
            transition("Mettre en stock", "transformation", "stock"),
            transition("Distribuer", "stock", "distribue"),
            transition("Déclarer perdu", "stock", "perdu"),
        ],
    )
    _bind(territory, "don-invendus", unsold)
    meals = _workflow(
        territory,
        "Commande de repas",
        [
            state("Commande reçue", "commande", "initial", days=2, colour="blue"),
            state("Vérification du quota", "quota", days=2),
            state("Production", "production", days=5, colour="orange"),
            state("Retrait", "retrait", days=3),
            state("Facturée", "facturee", "final_positive", colour="green"),
            state("Refusée", "refusee", "final_negative", colour="red"),
            transition("Vérifier le quota", "commande", "quota"),
            transition("Quota respecté : produire", "quota", "production"),
            transition(
                "Quota dépassé : refuser",
                "quota",
                "refusee",
                effects=[
                    notify(
                        "resident",
                        "Commande {reference}",
                        "Votre commande dépasse le quota de ce mois-ci. "
                        "Nous vous recontactons.",
                    )
                ],
            ),
            transition("Prête : retrait", "production", "retrait"),
            transition("Facturer", "retrait", "facturee"),
        ],
    )
    _bind(territory, "commande-de-repas", meals)


def load_brittany(territory: TerritoryPage) -> None:
    _partners(
        territory,
        [
            ("CCAS de la communauté", "ccas", "Aides facultatives, accueil social"),
            ("Épicerie solidaire", "grocery", "Accès sur orientation"),
            ("Restos du cœur (antenne locale)", "food_bank", "Distribution"),
        ],
    )
    motive = _form(
        territory,
        "Motif de la décision",
        [field("long_text", "Motif", "motif")],
    )
    referral = _workflow(
        territory,
        "Orientation vers l'aide alimentaire",
        [
            state("Reçue", "recue", "initial", days=5, colour="blue"),
            state("Commission d'attribution", "commission", days=15),
            state("Ajournée", "ajournee", days=30, colour="orange"),
            state("Accès ouvert", "acces_ouvert", days=90, colour="purple"),
            state("Renouvellement", "renouvellement", days=15),
            state("Défavorable", "defavorable", "final_negative", colour="red"),
            state("Clôturée", "cloturee", "final_positive", colour="green"),
            transition("Présenter en commission", "recue", "commission"),
            transition(
                "Avis favorable",
                "commission",
                "acces_ouvert",
                allowed=COORDINATION,
                effects=[
                    assign("chosen_partner"),
                    notify(
                        "resident",
                        "Votre demande {reference}",
                        "Bonjour {name},\n\nLa commission a donné un avis "
                        "favorable. La structure qui vous accueille vous contacte.",
                    ),
                    notify(
                        "partner",
                        "Nouvelle orientation {reference}",
                        "Une personne vous est orientée : {link}",
                    ),
                ],
            ),
            transition(
                "Avis défavorable",
                "commission",
                "defavorable",
                allowed=COORDINATION,
                form=motive,
            ),
            transition(
                "Ajourner", "commission", "ajournee", allowed=COORDINATION, form=motive
            ),
            transition("Représenter en commission", "ajournee", "commission"),
            transition(
                "Demander le renouvellement",
                "acces_ouvert",
                "renouvellement",
                allowed=[*WORKERS, "partner"],
            ),
            transition("Clôturer", "acces_ouvert", "cloturee"),
            transition("Renouveler", "renouvellement", "acces_ouvert"),
            transition("Ne pas renouveler", "renouvellement", "cloturee"),
        ],
    )
    _bind(territory, "orientation-aide-alimentaire", referral)
    proposals = _workflow(
        territory,
        "Co-construction d'une action",
        [
            state("Proposée", "proposee", "initial", days=30, colour="blue"),
            state("Étudiée en comité de pilotage", "copil", days=60),
            state("Retenue", "retenue", colour="purple"),
            state("Intégrée au plan", "integree", "final_positive", colour="green"),
            state("Non retenue", "non_retenue", "final_negative", colour="red"),
            # The committee studies the proposal: handed to it, its members
            # find it in their inbox and may retain it or not.
            transition(
                "Inscrire au comité de pilotage",
                "proposee",
                "copil",
                effects=[assign("steering_committee")],
            ),
            transition(
                "Retenir",
                "copil",
                "retenue",
                allowed=["coordination", "steering_committee"],
                effects=[assign("coordination")],
            ),
            transition(
                "Ne pas retenir",
                "copil",
                "non_retenue",
                allowed=["coordination", "steering_committee"],
                form=motive,
            ),
            transition("Intégrer au plan d'action", "retenue", "integree"),
        ],
    )
    _bind(territory, "proposer-une-action", proposals)


@transaction.atomic
def load_workflows() -> None:
    """Partners and workflows on each demo territory, bound to its intake pages."""
    for territory in TerritoryPage.objects.all():
        territory = territory.specific
        if territory.country == "CA":
            load_quebec(territory)
        else:
            load_brittany(territory)
