"""Admin forms of workflows."""

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from content.admin_forms import TerritoryOwnedAdminForm
from content.database_ids import as_storable_id
from content.permissions import territories_granting
from workflows.graph import GraphErrors, graph_errors

# What the editor posts for the forms, message templates and linked workflows
# a graph names, by the id of each.
GRAPH_REFERENCES = re.compile(
    r"^graph-(?P<index>\d+)-value-(?:(?P<form>form)"
    r"|effects-\d+-value-(?:(?P<template>template)|(?P<workflow>workflow)))$"
)
BEYOND_THE_WALLS = {
    "form": ("form", _("Choose a form of this territory.")),
    "template": (
        "effects",
        _("Choose a message template of this territory, or a shared one."),
    ),
    "workflow": (
        "effects",
        _("The linked case must open in a workflow of this territory."),
    ),
}


def _visible_to(user, kind: str):
    """The forms, templates or workflows a user may name in a graph: those of
    their territories and the shared ones."""
    from forms_library.models import FormDefinition
    from workflows.models import MessageTemplate, WorkflowDefinition

    model = {
        "form": FormDefinition,
        "template": MessageTemplate,
        "workflow": WorkflowDefinition,
    }[kind]
    return model.objects.filter(
        Q(territory__in=territories_granting(user, "view")) | Q(territory__isnull=True)
    )


def _graph_positions(data) -> dict[int, int]:
    """Where each posted step of the graph stands in the saved graph.

    The editor numbers steps as they were added ("graph-3-…"); Wagtail
    orders them by "graph-3-order" and leaves out those marked deleted, so an
    error must be put on the step's position, not on its number.
    """
    try:
        count = int(data.get("graph-count") or 0)
        kept = sorted(
            (int(data.get(f"graph-{number}-order") or number), number)
            for number in range(count)
            if not data.get(f"graph-{number}-deleted")
        )
    except ValueError:
        return {}
    return {number: position for position, (_order, number) in enumerate(kept)}


class WorkflowDefinitionAdminForm(TerritoryOwnedAdminForm):
    """Offers the user's territories; checks the whole graph when publishing.

    A draft may be incomplete: saving it keeps the coordinator's work, and
    only publishing asks for a valid graph.
    """

    shared_allowed = True
    territory_help_text = _("The territory this workflow belongs to.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.beyond_the_walls = GraphErrors()
        if self.is_bound and self.for_user and not self.for_user.is_superuser:
            self._forget_what_is_beyond_the_walls()

    def _forget_what_is_beyond_the_walls(self) -> None:
        """Drop the posted ids of another territory's forms, templates and
        workflows: a draft is not checked as a publication is, and the editor
        shown again would name them."""
        data = self.data.copy()
        positions = _graph_positions(data)
        for key in list(data):
            found = GRAPH_REFERENCES.match(key)
            if not found or not data.get(key, ""):
                continue
            kind = next(k for k in BEYOND_THE_WALLS if found.group(k))
            chosen = as_storable_id(data[key])
            if chosen is not None and (
                _visible_to(self.for_user, kind).filter(pk=chosen).exists()
            ):
                continue
            data[key] = ""
            position = positions.get(int(found.group("index")))
            if position is None:
                continue  # a step deleted in the editor: nothing to say
            field_name, message = BEYOND_THE_WALLS[kind]
            self.beyond_the_walls.add(position, field_name, str(message))
        self.data = data

    @property
    def is_publishing(self) -> bool:
        return bool(self.data.get("action-publish"))

    def clean(self):
        cleaned = super().clean()
        if self.beyond_the_walls and "graph" not in self.errors:
            self.add_error("graph", self.beyond_the_walls.as_validation_error())
            return cleaned
        graph = cleaned.get("graph")
        if self.is_publishing and graph is not None and "graph" not in self.errors:
            territory = cleaned.get("territory")
            errors = graph_errors(
                graph.get_prep_value(),
                territory_id=territory.pk if territory else None,
                workflow_id=self.instance.pk,
            )
            if errors is not None:
                self.add_error("graph", errors)
        return cleaned


class MessageTemplateAdminForm(TerritoryOwnedAdminForm):
    """A message of one of the user's territories; superusers share theirs."""

    shared_allowed = True
    territory_help_text = _("The territory whose workflows use this message.")
