"""The admin home's panel of cases waiting on the person who signs in."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from workflows.selectors import inbox_for

SHOWN = 5


class CasesWaitingPanel(Component):
    """Social workers and partners land on the cases waiting on them."""

    name = "cases_waiting"
    order = 50
    template_name = "workflows/panels/cases_waiting.html"

    def __init__(self, user) -> None:
        self.user = user

    def get_context_data(self, parent_context=None) -> dict:
        cases = (
            inbox_for(self.user)
            .select_related("revision")
            .order_by("deadline", "opened_at")
        )
        return {
            "title": _("Cases waiting on you"),
            "count": cases.count(),
            "cases": list(cases[:SHOWN]),
        }
