"""Reads that every listing, export and API uses to stay inside a user's walls."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery

from content.models import TerritoryPage, TerritoryRole

if TYPE_CHECKING:
    from content.models import IndicatorValue


def territories_for(
    user, *, roles: list[TerritoryRole] | None = None
) -> QuerySet[TerritoryPage]:
    """The territories a user may see: those their groups grant; all for superusers.

    `roles` narrows to the territories where the user holds one of these roles.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return TerritoryPage.objects.none()
    if user.is_superuser:
        return TerritoryPage.objects.all()
    memberships = {"territory_groups__group__user": user}
    if roles:
        memberships["territory_groups__role__in"] = list(roles)
    return TerritoryPage.objects.filter(**memberships).distinct()


def roles_in_territory(user, territory: TerritoryPage) -> set[str]:
    """The roles a user holds in one territory."""
    if not user.is_authenticated:
        return set()
    return set(
        territory.territory_groups.filter(group__user=user).values_list(
            "role", flat=True
        )
    )


def partner_section_visible_to(user, action) -> bool:
    """Whether a person reads an action's partner-only section.

    Members of the territory's coordination, partners or steering committee
    groups do, and superusers; nobody else, signed in or not.
    """
    from content.models.action_plans import PARTNER_SECTION_ROLES

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    territory = TerritoryPage.objects.ancestor_of(action).first()
    if territory is None:
        return False
    return bool(roles_in_territory(user, territory) & set(PARTNER_SECTION_ROLES))


def latest_values_for(*, indicators) -> dict[int, "IndicatorValue"]:
    """The last value of each of these indicators, by indicator id (one row
    each, however long their history)."""
    from content.models import IndicatorValue

    last_day = (
        IndicatorValue.objects.filter(indicator=OuterRef("indicator"))
        .order_by("-day")
        .values("day")[:1]
    )
    values = IndicatorValue.objects.filter(
        indicator__in=indicators, day=Subquery(last_day)
    )
    return {value.indicator_id: value for value in values}


def plan_progress(*, plan, actions=None) -> int | None:
    """The mean progress (%) of a plan's live actions, abandoned ones aside;
    `actions`, when the caller already holds them.

    None when the plan has no action yet.
    """
    from content.models import ActionStatus

    if actions is None:
        actions = plan.actions().select_related(None).only("status", "progress")
    progresses = [
        action.progress_percent
        for action in actions
        if action.status != ActionStatus.ABANDONED
    ]
    if not progresses:
        return None
    return round(sum(progresses) / len(progresses))


def unit_totals(
    indicators, latest: dict[int, "IndicatorValue"] | None = None
) -> list[tuple[str, Decimal, Decimal | None]]:
    """Add up latest values (and targets) of indicators that share a unit;
    `latest`, when the caller already holds their last values.

    Sums of other indicators are left out, or their parts would count twice.
    """
    from content.models import IndicatorSource

    indicators = [i for i in indicators if i.source != IndicatorSource.INDICATORS_SUM]
    if latest is None:
        latest = latest_values_for(indicators=indicators)
    totals: dict[str, list] = {}
    for indicator in indicators:
        unit = indicator.unit.strip()
        if not unit or indicator.pk not in latest:
            continue
        total = totals.setdefault(unit.casefold(), [unit, Decimal(0), Decimal(0)])
        total[1] += latest[indicator.pk].value
        total[2] = (
            None
            if total[2] is None or indicator.target is None
            else (total[2] + indicator.target)
        )
    return [tuple(total) for _key, total in sorted(totals.items())]


def plan_unit_totals(*, plan) -> list[tuple[str, Decimal, Decimal | None]]:
    """(unit, total of latest values, total target or None) over a plan's actions."""
    from content.models import ActionPage, Indicator

    actions = ActionPage.objects.child_of(plan).live().public()
    return unit_totals(Indicator.objects.filter(page__in=actions))


def territory_unit_totals(*, territory) -> list[tuple[str, Decimal, Decimal | None]]:
    """(unit, total, total target) over every live action of a territory's plans."""
    from content.models import ActionPage, Indicator

    actions = ActionPage.objects.descendant_of(territory).live().public()
    return unit_totals(Indicator.objects.filter(page__in=actions))


def indicator_series(*, action) -> list[dict]:
    """Each indicator of an action with its values over time and a small chart."""
    from content.charts import line_chart

    series = []
    for indicator in action.indicators.prefetch_related("values"):
        values = list(indicator.values.all())
        series.append(
            {
                "indicator": indicator,
                "values": values,
                "latest": values[-1] if values else None,
                "chart": line_chart(
                    [(value.day, value.value) for value in values], indicator.target
                ),
            }
        )
    return series
