"""Reads that every listing, export and API uses to stay inside a user's walls."""

from django.db.models import QuerySet

from content.models import TerritoryPage, TerritoryRole


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
