"""Factories for users, the home page, territories, plans and actions."""

import datetime
import json

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from content.demo import ensure_home_page
from content.models import (
    ActionPage,
    ActionPlanPage,
    HomePage,
    PartnerOrganisation,
    TerritoryKind,
    TerritoryPage,
    TerritoryRole,
)
from content.services import territory_add_member


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def home_page() -> HomePage:
    """The site's home page (created by the migrations, rebuilt if flushed)."""
    return ensure_home_page()


class TerritoryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TerritoryPage

    title = factory.Sequence(lambda n: f"Territoire {n}")
    slug = factory.Sequence(lambda n: f"territoire-{n}")
    code = factory.Sequence(lambda n: f"T{n:03d}")
    kind = TerritoryKind.COMMUNAUTE_DE_COMMUNES
    region = "Bretagne"
    parent = factory.LazyFunction(home_page)


def member_of(territory: TerritoryPage, role: TerritoryRole, **user_fields):
    """A new person holding one role in a territory."""
    user = UserFactory(**user_fields)
    territory_add_member(territory=territory, user=user, role=role)
    return user


def axes(*names: str) -> str:
    """A plan's axes as the StreamField's raw data."""
    return json.dumps([{"type": "axis", "value": name} for name in names])


class ActionPlanPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ActionPlanPage

    title = "Plan d'action 2025-2027"
    slug = factory.Sequence(lambda n: f"plan-{n}")
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2027, 12, 31)
    axes = factory.LazyFunction(lambda: axes("Accès", "Formation"))
    parent = factory.SubFactory(TerritoryPageFactory)


class ActionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ActionPage

    title = factory.Sequence(lambda n: f"Action {n}")
    slug = factory.Sequence(lambda n: f"action-{n}")
    axis = "Accès"
    parent = factory.SubFactory(ActionPlanPageFactory)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Structure {n}")
    territory = factory.SubFactory(TerritoryPageFactory)
