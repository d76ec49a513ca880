"""Reads of cases that every list, board, export and API share, inside the walls."""

from django.db.models import Q, QuerySet

from content.models import PartnerOrganisation, TerritoryRole
from content.selectors import roles_in_territory, territories_for
from workflows.blocks import ASSIGNEE, PARTNER
from workflows.graph import Transition
from workflows.models import Case, WorkflowDefinition

CASE_READERS = [TerritoryRole.COORDINATION, TerritoryRole.INTERVENTION]


def cases_visible_to(user) -> QuerySet[Case]:
    """Cases of the territories where the user coordinates or intervenes, the
    cases handed to them or to one of their groups, and those referred to
    their partner organisations."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(
        Q(territory__in=territories_for(user, roles=CASE_READERS))
        | Q(assignee=user)
        | _handed_to_my_groups(user)
        | Q(partner__in=PartnerOrganisation.objects.filter(members=user))
    )


def _handed_to_my_groups(user) -> Q:
    handed = Q(pk__in=[])
    for role in TerritoryRole:
        handed |= Q(
            assigned_role=role, territory__in=territories_for(user, roles=[role])
        )
    return handed


def inbox_for(user, *, scope: str = "") -> QuerySet[Case]:
    """Open cases waiting on the user: theirs, their groups', unassigned ones.

    `scope` narrows to one of "mine", "groups", "unassigned".
    """
    mine = Q(assignee=user) | Q(partner__in=user.partner_organisations.all())
    groups = _handed_to_my_groups(user) & Q(assignee__isnull=True)
    unassigned = Q(
        assignee__isnull=True,
        assigned_role="",
        partner__isnull=True,
        territory__in=territories_for(user, roles=CASE_READERS),
    )
    wanted = {"mine": mine, "groups": groups, "unassigned": unassigned}.get(
        scope, mine | groups | unassigned
    )
    return cases_visible_to(user).filter(wanted, closed_at__isnull=True)


def workflows_visible_to(user) -> QuerySet[WorkflowDefinition]:
    """Workflows whose board the user may open: those of their territories."""
    if user.is_superuser:
        return WorkflowDefinition.objects.filter(territory__isnull=False)
    return WorkflowDefinition.objects.filter(
        territory__in=territories_for(user, roles=CASE_READERS)
    )


def workflows_of_cases_for(user) -> QuerySet[WorkflowDefinition]:
    """Workflows the user's cases go through: those of their territories, and
    those of the cases handed or referred to them. A partner or a steering
    committee opens no board, yet sorts its cases by workflow and state."""
    return WorkflowDefinition.objects.filter(
        Q(pk__in=workflows_visible_to(user).values("pk"))
        | Q(pk__in=cases_visible_to(user).values("workflow"))
    )


def may_open_board(user, workflow_id: int) -> bool:
    """Whether the board of this workflow opens for the user, as the board
    view decides: partners reach their cases, not the whole workflow."""
    return workflows_visible_to(user).filter(pk=workflow_id).exists()


class CaseActors:
    """Who a user is for the cases of one territory: roles, partner memberships.

    Built once per territory, so a board of many cards asks the database once.
    """

    def __init__(self, user, territory) -> None:
        self.user = user
        self.roles = (
            set(TerritoryRole.values)
            if user.is_superuser
            else roles_in_territory(user, territory)
        )
        self.partner_ids = set(user.partner_organisations.values_list("pk", flat=True))

    def may_take(self, case: Case, transition: Transition) -> bool:
        allowed = set(transition.allowed)
        if self.roles & allowed:
            return True
        if ASSIGNEE in allowed and case.assignee_id == self.user.pk:
            return True
        return PARTNER in allowed and case.partner_id in self.partner_ids

    def transitions(self, case: Case) -> list[Transition]:
        """The transitions this user may take on the case now."""
        if case.is_closed:
            return []
        return [
            t
            for t in case.graph.transitions_from(case.state)
            if t.target and self.may_take(case, t)
        ]
