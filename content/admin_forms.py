"""Admin forms of the content app."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from content.permissions import territories_granting


class PartnerOrganisationAdminForm(WagtailAdminModelForm):
    """Only the user's territories, and only people of those territories as members."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        territories = territories_granting(self.for_user, "change")
        territory = self.fields["territory"]
        territory.queryset = territories.order_by("title")
        territory.widget = forms.Select(choices=territory.choices)
        territory.empty_label = None
        members = self.fields["members"]
        members.queryset = (
            get_user_model()
            .objects.filter(
                is_active=True, groups__territory_group__territory__in=territories
            )
            .distinct()
            .order_by("username")
        )
        members.widget = forms.CheckboxSelectMultiple(choices=members.choices)
        members.help_text = _(
            "People of your territories; their accounts see the cases referred "
            "to this organisation."
        )
