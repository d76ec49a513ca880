"""Where a copy of a plan or an action may go: inside its own territory."""

from django.utils.translation import gettext as _
from wagtail.models import Page

from content.models import ActionPage, ActionPlanPage, TerritoryPage


def copy_destination_problem(
    page: ActionPlanPage | ActionPage, destination: Page | None
) -> str | None:
    """Why a copy of the page cannot go under `destination`, or None when it can.

    A plan is copied within its territory; an action into a plan of its
    territory that has the action's axis.
    """
    if destination is None:
        return None  # Wagtail's own form says a destination is needed
    territory = page.get_ancestors().type(TerritoryPage).first()
    if not (destination.pk == territory.pk or destination.is_descendant_of(territory)):
        return _("A plan or an action is copied within its own territory.")
    if isinstance(page, ActionPage):
        plan = destination.specific
        if not isinstance(plan, ActionPlanPage):
            return _("An action is copied into an action plan.")
        if page.axis not in plan.axis_names:
            return _(
                "The plan “%(plan)s” has no axis “%(axis)s”: add it to the plan "
                "first, or copy the action into another plan."
            ) % {"plan": plan.title, "axis": page.axis}
    return None
