"""Admin forms of the content app."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from content.permissions import territories_granting


class TerritoryOwnedAdminForm(WagtailAdminModelForm):
    """The territory of a snippet: one the user may change things in.

    Only superusers may leave it empty, making a template shared with every
    territory, and only where the model allows it (`shared_allowed`).
    """

    shared_allowed = False
    territory_help_text = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territory = self.fields.get("territory")
        if territory is None or self.for_user is None:
            return
        territory.queryset = territories_granting(self.for_user, "change").order_by(
            "title"
        )
        # A short list of the user's territories beats a page chooser here.
        territory.widget = forms.Select(choices=territory.choices)
        if not (self.shared_allowed and self.for_user.is_superuser):
            territory.required = True
            territory.empty_label = None
            if self.territory_help_text:
                territory.help_text = self.territory_help_text


class PartnerOrganisationAdminForm(TerritoryOwnedAdminForm):
    """Only the user's territories, and only people of those territories as members."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        territories = territories_granting(self.for_user, "change")
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
