"""Demo territories and people for the two programmes in the design.

Everything here is idempotent: running it again finds what exists and creates
only what is missing, so the demo can be reloaded at any time.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale, Page, Site

from content.models import (
    Country,
    HomePage,
    TerritoryKind,
    TerritoryPage,
    TerritoryRole,
)
from content.services import territory_add_member, territory_set_up_groups

DEFAULT_PASSWORD = "maillage-demo"  # noqa: S105 - published demo password

# Username prefix of the demo person holding each role in a territory.
ROLE_USERNAME_PREFIX = {
    TerritoryRole.COORDINATION: "coordination",
    TerritoryRole.INTERVENTION: "intervention",
    TerritoryRole.PARTNERS: "partenaire",
    TerritoryRole.STEERING_COMMITTEE: "copil",
}


@dataclass(frozen=True)
class DemoTerritory:
    slug: str
    title: str
    code: str
    kind: str
    region: str
    country: str
    time_zone: str
    description: str


QUEBEC = DemoTerritory(
    slug="haute-riviere",
    title="MRC de la Haute-Rivière",
    code="MHR",
    kind=TerritoryKind.MRC,
    region="Centre-du-Québec",
    country=Country.CANADA,
    time_zone="America/Toronto",
    description=(
        "<p>La corporation de développement communautaire anime une concertation "
        "en lutte à la pauvreté. Un accompagnateur partagé accompagne les "
        "personnes vers les services\u00a0; un service de transformation alimentaire "
        "transforme les invendus d'une épicerie en repas à coût modique.</p>"
    ),
)

BRITTANY_DESCRIPTION = (
    "<p>Territoire du programme «\u00a0Mieux manger pour tous\u00a0»\u00a0: "
    "diagnostic des besoins avec les structures sociales et médico-sociales, "
    "plan d'action co-construit avec les professionnels, les personnes "
    "concernées et le projet alimentaire territorial.</p>"
)

BRITTANY = [
    DemoTerritory(
        slug,
        title,
        code,
        TerritoryKind.COMMUNAUTE_DE_COMMUNES,
        region,
        Country.FRANCE,
        "Europe/Paris",
        BRITTANY_DESCRIPTION,
    )
    for slug, title, code, region in [
        ("argoat-sud", "Communauté de communes Argoat-Sud", "ARS", "Côtes-d'Armor"),
        ("abers-est", "Communauté de communes des Abers-Est", "ABE", "Finistère"),
        ("monts-arree", "Communauté de communes des Monts d'Arrée", "MDA", "Finistère"),
        (
            "landes-rance",
            "Communauté de communes Landes et Rance",
            "LDR",
            "Ille-et-Vilaine",
        ),
        (
            "vilaine-oust",
            "Communauté de communes Vilaine et Oust",
            "VLO",
            "Ille-et-Vilaine",
        ),
        ("blavet-scorff", "Communauté de communes Blavet-Scorff", "BSC", "Morbihan"),
    ]
]

DEMO_TERRITORIES = [QUEBEC, *BRITTANY]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    territory: str


def ensure_home_page() -> HomePage:
    """The site's home page, made the default site's root if it is not yet.

    Rebuilds the tree's root and default locale too, should a database have
    been emptied since its migrations created them.
    """
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root")
        )
        home = root.add_child(instance=HomePage(title="Maillage", slug="accueil"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            root_page=home,
            is_default_site=True,
            site_name="Maillage",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def ensure_territory(home: HomePage, demo: DemoTerritory) -> TerritoryPage:
    territory = TerritoryPage.objects.filter(code=demo.code).first()
    if territory is None:
        territory = home.add_child(
            instance=TerritoryPage(
                title=demo.title,
                slug=demo.slug,
                code=demo.code,
                kind=demo.kind,
                region=demo.region,
                country=demo.country,
                time_zone=demo.time_zone,
                description=demo.description,
            )
        )
        territory.save_revision().publish()
    territory_set_up_groups(territory=territory)
    return territory


def ensure_user(username: str, password: str, **fields):
    """A demo login; an existing one keeps its password (it may have changed)."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults=fields
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_territories(*, password: str = DEFAULT_PASSWORD) -> list[DemoLogin]:
    """Create the home page, the seven territories and one person per role."""
    home = ensure_home_page()
    logins = [DemoLogin("admin", "superuser", "—")]
    ensure_user(
        "admin",
        password,
        is_superuser=True,
        is_staff=True,
        email="admin@maillage.localhost",
        first_name="Admin",
    )
    for demo in DEMO_TERRITORIES:
        territory = ensure_territory(home, demo)
        for role, prefix in ROLE_USERNAME_PREFIX.items():
            username = f"{prefix}.{demo.slug}"
            user = ensure_user(
                username,
                password,
                email=f"{username}@maillage.localhost",
                first_name=prefix.capitalize(),
                last_name=demo.code,
            )
            territory_add_member(territory=territory, user=user, role=role)
            logins.append(DemoLogin(username, str(role.label), territory.title))
    return logins
