"""The people Wagtail's listing filters offer, narrowed to the user's walls.

Wagtail fills the "owner" and "edited by" filters of page listings and the
"locked by" filter of the locked pages report with whoever did so on any
page of the site: each territory's people would be named to all the others.
These filters offer the people who did so on the pages the user may see
there. (The moderation reports' filters: `content/moderation_reports.py`.)
"""

from django.contrib.auth import get_user_model
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet
from wagtail.models import Page, PageLogEntry
from wagtail.permissions import policy_registry


def _page_policy():
    return policy_registry.get_by_type(Page)


def people_among(ids):
    """The people of these ids, by user name, as the filters list them."""
    User = get_user_model()
    return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


def owners_for(request):
    pages = _page_policy().explorable_instances(request.user)
    return people_among(pages.order_by().values("owner_id"))


def editors_for(request):
    pages = _page_policy().explorable_instances(request.user)
    edits = PageLogEntry.objects.filter(action="wagtail.edit", page__in=pages)
    return people_among(edits.order_by().values("user_id"))


def lockers_for(request):
    # The report lists the locked pages the user may change, and their own.
    changeable = _page_policy().instances_user_has_permission_for(
        request.user, "change"
    )
    lockers = changeable.filter(locked=True).order_by().values("locked_by_id")
    return people_among(lockers) | people_among([request.user.pk])


def narrow_people_filters() -> None:
    """Give Wagtail's filter sets these querysets (called once, at start-up)."""
    for filterset, name, people in [
        (PageFilterSet, "owner", owners_for),
        (PageFilterSet, "edited_by", editors_for),
        (LockedPagesReportFilterSet, "locked_by", lockers_for),
    ]:
        people_filter = filterset.base_filters[name]
        people_filter.queryset = people_filter.extra["queryset"] = people
