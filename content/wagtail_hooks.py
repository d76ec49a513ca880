"""Admin hooks of the content app, and its partner directory."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from content.models import PartnerOrganisation, TerritoryPage
from content.permissions import TerritoryPermissionPolicy
from content.views import PartnerViewSet


@hooks.register("before_copy_page")
def refuse_copying_a_territory(request, page):
    # A territory owns its code, groups and cases: a copy would be half of one.
    if isinstance(page.specific, TerritoryPage):
        messages.error(
            request,
            _(
                "A territory cannot be copied: create a new territory, then "
                "start its forms from the shared templates."
            ),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


register_permission_policy(
    PartnerOrganisation, TerritoryPermissionPolicy(PartnerOrganisation)
)
register_snippet(PartnerViewSet)
