"""Page privacy offers the groups of the page's territory, not every group.

Wagtail's privacy form lists every group of the site, each territory's
coordination, partners and steering committee among them, and lets a page
be restricted to any of them.
"""

from django.contrib.auth.models import Group
from wagtail.admin.views.page_privacy import SetPrivacyView

from content.models import TerritoryPage


class TerritoryPrivacyView(SetPrivacyView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.request.user.is_superuser:
            return form
        territory = TerritoryPage.containing(self.page)
        offered = Group.objects.filter(territory_group__territory=territory)
        if self.restriction is not None:
            # Kept as they are, rather than dropped when saving other changes.
            offered = offered | self.restriction.groups.all()
        field = form.fields["groups"]
        field.queryset = offered.distinct().order_by("name")
        field.widget.choices = field.choices
        return form
