"""Demo action plans of the two programmes, their actions and indicators.

Built after the demo forms, workflows and cases, so the indicators count real
demo submissions and cases. Idempotent: what exists (found by slug) is kept.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from content.co_construction import action_draft_from_case
from content.indicators import indicators_compute_all
from content.models import (
    ActionPage,
    ActionPlanPage,
    Indicator,
    IndicatorSource,
    PartnerDirectoryPage,
    TerritoryPage,
)
from forms_library.models import FormDefinition
from workflows.models import WorkflowDefinition

START = datetime.date(2025, 1, 1)
END = datetime.date(2027, 12, 31)


@dataclass
class DemoIndicator:
    label: str
    unit: str
    source: str = IndicatorSource.MANUAL
    target: int | None = None
    manual_value: int | None = None
    form: str = ""  # title of the territory's form
    field_name: str = ""
    filter: tuple[str, str] | None = None
    workflow: str = ""  # title of the territory's workflow
    state: str = ""
    components: list[str] = field(default_factory=list)  # labels in the plan


@dataclass
class DemoAction:
    title: str
    slug: str
    axis: str
    description: str
    status: str
    audiences: list[str]
    lead: str
    indicators: list[DemoIndicator]
    forms: list[str] = field(default_factory=list)
    workflows: list[str] = field(default_factory=list)
    partner_section: str = ""


# The axes the shipped "Proposition d'action" form offers, so that adopted
# proposals land on their own axis.
BRITTANY_AXES = [
    "Accès à une alimentation de qualité",
    "Accompagnement des personnes",
    "Formation des professionnels et bénévoles",
    "Lutte contre le gaspillage",
]
WORKSHOP_FORM = "Inscription à un atelier"
PROPOSALS = "Co-construction d'une action"

BRITTANY_ACTIONS = [
    DemoAction(
        "Diagnostic des besoins avec les structures sociales",
        "diagnostic-des-besoins",
        BRITTANY_AXES[1],
        "<p>Rencontrer les CCAS, CHRS, CADA et MECS du territoire pour "
        "identifier les besoins et les parcours des personnes en précarité "
        "alimentaire.</p>",
        "completed",
        ["professionals"],
        "CCAS de la communauté",
        [
            DemoIndicator(
                "Structures rencontrées", "structures", target=15, manual_value=14
            ),
            DemoIndicator(
                "Propositions intégrées au plan",
                "actions",
                IndicatorSource.WORKFLOW_STATE,
                workflow=PROPOSALS,
                state="integree",
            ),
        ],
        workflows=[PROPOSALS],
        partner_section="<p>Compte rendu des rencontres\u00a0: dossier partagé du "
        "comité de pilotage.</p>",
    ),
    DemoAction(
        "Ateliers cuisine",
        "ateliers-cuisine",
        BRITTANY_AXES[0],
        "<p>Des ateliers cuisine avec les personnes concernées et les "
        "bénévoles de l'aide alimentaire, dans les épiceries solidaires.</p>",
        "in_progress",
        ["concerned", "volunteers"],
        "Épicerie solidaire",
        [
            DemoIndicator("Ateliers animés", "séances", target=36, manual_value=30),
            DemoIndicator(
                "Inscriptions aux ateliers cuisine",
                "inscriptions",
                IndicatorSource.FORM_COUNT,
                form=WORKSHOP_FORM,
                filter=("atelier", "Atelier cuisine"),
            ),
        ],
        forms=[WORKSHOP_FORM],
    ),
    DemoAction(
        "Formations des professionnels et bénévoles",
        "formations",
        BRITTANY_AXES[2],
        "<p>Former les professionnels et les bénévoles à l'accueil des "
        "personnes en précarité alimentaire.</p>",
        "in_progress",
        ["professionals", "volunteers"],
        "Restos du cœur (antenne locale)",
        [
            DemoIndicator("Formations animées", "séances", target=24, manual_value=20),
            DemoIndicator(
                "Inscriptions aux formations",
                "inscriptions",
                IndicatorSource.FORM_COUNT,
                form=WORKSHOP_FORM,
                filter=("atelier", "Formation des professionnels"),
            ),
        ],
        forms=[WORKSHOP_FORM],
    ),
    DemoAction(
        "Sensibilisation des élus",
        "sensibilisation-des-elus",
        BRITTANY_AXES[2],
        "<p>Sensibiliser les élus du territoire à la précarité alimentaire et "
        "au projet alimentaire territorial.</p>",
        "started",
        ["elected"],
        "CCAS de la communauté",
        [
            DemoIndicator(
                "Séances de sensibilisation", "séances", target=10, manual_value=8
            ),
            DemoIndicator(
                "Élus inscrits",
                "inscriptions",
                IndicatorSource.FORM_COUNT,
                form=WORKSHOP_FORM,
                filter=("atelier", "Sensibilisation des élus"),
            ),
            DemoIndicator(
                "Personnes formées ou sensibilisées",
                "personnes",
                IndicatorSource.INDICATORS_SUM,
                components=["Inscriptions aux formations", "Élus inscrits"],
            ),
        ],
        forms=[WORKSHOP_FORM],
    ),
]

QUEBEC_AXES = ["Accompagnement", "Transformation alimentaire"]
QUEBEC_ACTIONS = [
    DemoAction(
        "Accompagnement vers les services",
        "accompagnement",
        QUEBEC_AXES[0],
        "<p>Un accompagnateur partagé accompagne les personnes vers les "
        "services externes\u00a0: transport, démarches individuelles.</p>",
        "in_progress",
        ["concerned", "professionals"],
        "Transport adapté de la MRC",
        [
            DemoIndicator(
                "Demandes d'accompagnement reçues",
                "demandes",
                IndicatorSource.FORM_COUNT,
                form="Demande d'accompagnement",
            ),
            DemoIndicator(
                "Personnes accompagnées",
                "personnes",
                IndicatorSource.WORKFLOW_STATE,
                target=120,
                workflow="Accompagnement",
                state="accompagnement",
            ),
        ],
        forms=["Demande d'accompagnement"],
        workflows=["Accompagnement"],
    ),
    DemoAction(
        "Transformation alimentaire",
        "transformation-alimentaire",
        QUEBEC_AXES[1],
        "<p>Les invendus d'une épicerie sont transformés en repas à coût "
        "modique que les organismes commandent pour les personnes qu'ils "
        "accompagnent.</p>",
        "in_progress",
        ["concerned", "volunteers"],
        "Cuisine collective du Haut-Richelieu",
        [
            DemoIndicator(
                "Kg récupérés",
                "kg",
                IndicatorSource.FORM_SUM,
                target=20000,
                form="Déclaration de don d'invendus",
                field_name="poids_kg",
            ),
            DemoIndicator(
                "Repas produits",
                "repas",
                IndicatorSource.FORM_SUM,
                target=12000,
                form="Commande de repas",
                field_name="repas",
            ),
            DemoIndicator("Repas distribués", "repas", target=12000, manual_value=8450),
        ],
        forms=["Déclaration de don d'invendus", "Commande de repas"],
        workflows=["Invendus : du don à la distribution", "Commande de repas"],
    ),
]


def _axes(names: list[str]) -> list[dict]:
    return [{"type": "axis", "value": name} for name in names]


def _committee(territory: TerritoryPage) -> list[dict]:
    members = [
        ("Présidence de la collectivité", "Élue référente", territory.title),
        ("Coordination du programme", "Coordinatrice", "Association porteuse"),
        ("Représentant·e des personnes concernées", "Membre", ""),
    ]
    return [
        {"type": "member", "value": {"name": n, "role": r, "organisation": o}}
        for n, r, o in members
    ]


def _ensure_plan(territory: TerritoryPage, title: str, axes: list[str]):
    plan = ActionPlanPage.objects.child_of(territory).filter(slug="plan-d-action")
    if plan.exists():
        return plan.get()
    proposals = territory.workflow_definitions.filter(title=PROPOSALS).first()
    plan = territory.add_child(
        instance=ActionPlanPage(
            title=title,
            slug="plan-d-action",
            introduction="<p>Plan co-construit avec les professionnels, les "
            "personnes concernées et les élus du territoire.</p>",
            period_start=START,
            period_end=END,
            status="in_progress",
            axes=_axes(axes),
            committee=_committee(territory),
            proposal_workflow=proposals,
            adoption_state="integree" if proposals else "",
        )
    )
    plan.partners.set(territory.partners.all())
    plan.save_revision().publish()
    return plan


def _ensure_action(plan: ActionPlanPage, territory: TerritoryPage, demo: DemoAction):
    if ActionPage.objects.child_of(plan).filter(slug=demo.slug).exists():
        return
    forms = FormDefinition.objects.filter(territory=territory, title__in=demo.forms)
    workflows = WorkflowDefinition.objects.filter(
        territory=territory, title__in=demo.workflows
    )
    action = plan.add_child(
        instance=ActionPage(
            title=demo.title,
            slug=demo.slug,
            axis=demo.axis,
            description=demo.description,
            status=demo.status,
            audiences=demo.audiences,
            start_date=START,
            end_date=END,
            lead_partner=territory.partners.filter(name=demo.lead).first(),
            partner_section=demo.partner_section,
        )
    )
    action.partners.set(territory.partners.all())
    action.forms.set(forms)
    action.workflows.set(workflows)
    action.save()
    for order, spec in enumerate(demo.indicators):
        _indicator(action, territory, spec, order)
    action.save_revision().publish()


def _indicator(action, territory, spec: DemoIndicator, order: int) -> None:
    indicator = Indicator.objects.create(
        page=action,
        sort_order=order,
        label=spec.label,
        unit=spec.unit,
        source=spec.source,
        target=spec.target,
        manual_value=spec.manual_value,
        form=FormDefinition.objects.filter(
            territory=territory, title=spec.form
        ).first(),
        field_name=spec.field_name,
        filter_field=spec.filter[0] if spec.filter else "",
        filter_value=spec.filter[1] if spec.filter else "",
        workflow=WorkflowDefinition.objects.filter(
            territory=territory, title=spec.workflow
        ).first(),
        state=spec.state,
        period_start=START,
        period_end=END,
    )
    if spec.components:
        plan_indicators = Indicator.objects.filter(
            page__path__startswith=action.get_parent().path,
            label__in=spec.components,
        )
        indicator.components.set(plan_indicators)
        indicator.save()


def _ensure_directory(territory: TerritoryPage) -> None:
    if PartnerDirectoryPage.objects.child_of(territory).exists():
        return
    directory = territory.add_child(
        instance=PartnerDirectoryPage(
            title="Annuaire des partenaires",
            slug="partenaires",
            introduction="<p>Les structures qui agissent avec nous.</p>",
        )
    )
    directory.save_revision().publish()


def _adopted_proposals_to_drafts(plan: ActionPlanPage) -> None:
    # Proposals adopted before the plan existed become its draft actions too.
    if plan.proposal_workflow_id is None:
        return
    for case in plan.proposal_workflow.cases.filter(state=plan.adoption_state):
        action_draft_from_case(case=case, plan=plan)


@transaction.atomic
def load_action_plans() -> None:
    """A plan with its actions and indicators, and a partner directory, on each
    demo territory; then every indicator computed once."""
    for territory in TerritoryPage.objects.order_by("pk"):
        if territory.country == "CA":
            title = "Plan de lutte contre la pauvreté et d'accès à l'alimentation"
            plan = _ensure_plan(territory, title, QUEBEC_AXES)
            actions = QUEBEC_ACTIONS
        else:
            title = "Plan d'action «\u00a0Mieux manger pour tous\u00a0»"
            plan = _ensure_plan(territory, title, BRITTANY_AXES)
            actions = BRITTANY_ACTIONS
        for demo in actions:
            _ensure_action(plan, territory, demo)
        _adopted_proposals_to_drafts(plan)
        _ensure_directory(territory)
    indicators_compute_all()
