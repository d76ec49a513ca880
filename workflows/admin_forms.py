"""Admin forms of workflows."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from content.permissions import territories_granting
from workflows.graph import graph_errors


class WorkflowDefinitionAdminForm(WagtailAdminModelForm):
    """Offers the user's territories; checks the whole graph when publishing.

    A draft may be incomplete: saving it keeps the coordinator's work, and
    only publishing asks for a valid graph.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territory = self.fields.get("territory")
        if territory is None or self.for_user is None:
            return
        territory.queryset = territories_granting(self.for_user, "change").order_by(
            "title"
        )
        territory.widget = forms.Select(choices=territory.choices)
        if not self.for_user.is_superuser:
            territory.required = True
            territory.empty_label = None
            territory.help_text = _("The territory this workflow belongs to.")

    @property
    def is_publishing(self) -> bool:
        return bool(self.data.get("action-publish"))

    def clean(self):
        cleaned = super().clean()
        graph = cleaned.get("graph")
        if self.is_publishing and graph is not None and "graph" not in self.errors:
            territory = cleaned.get("territory")
            errors = graph_errors(
                graph.get_prep_value(), territory_id=territory.pk if territory else None
            )
            if errors is not None:
                self.add_error("graph", errors)
        return cleaned
