"""Admin forms of data protection."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from content.permissions import territories_granting


class DataIncidentAdminForm(WagtailAdminModelForm):
    """An incident belongs to one of the territories the user coordinates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        territory = self.fields["territory"]
        territory.queryset = territories_granting(self.for_user, "change").order_by(
            "title"
        )
        territory.widget = forms.Select(choices=territory.choices)
        territory.empty_label = None
