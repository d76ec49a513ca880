"""The weekly digest of each coordinator: new submissions and overdue cases."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from content.content_language import staff_language
from content.models import TerritoryPage, TerritoryRole
from content.selectors import territories_for
from workflows.models import Case

MAX_OVERDUE_LISTED = 20


@dataclass
class TerritoryWeek:
    territory: TerritoryPage
    new_submissions: int
    overdue: list[Case]
    overdue_count: int


@dataclass
class Digest:
    person: object
    language: str
    weeks: list[TerritoryWeek] = field(default_factory=list)

    def subject(self) -> str:
        return _("Your week on Maillage")

    def body(self) -> str:
        lines = [_("Hello,"), "", _("Here is what happened in your territories.")]
        for week in self.weeks:
            lines += [
                "",
                f"== {week.territory.title} ==",
                _("New submissions this week: %(count)s")
                % {"count": week.new_submissions},
                _("Cases past their deadline: %(count)s")
                % {"count": week.overdue_count},
            ]
            for case in week.overdue:
                url = settings.WAGTAILADMIN_BASE_URL + reverse(
                    "cases:case", args=[case.pk]
                )
                lines.append(f"  - {case.reference} {case.title}: {url}")
        return "\n".join(lines) + "\n"


def coordinator_digests(*, now: datetime) -> list[Digest]:
    """One digest per active coordinator with an email address and a territory."""
    since = now - timedelta(days=7)
    coordinators = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__territory_group__role=TerritoryRole.COORDINATION,
        )
        .exclude(email="")
        .distinct()
    )
    weeks_by_territory: dict[int, TerritoryWeek] = {}
    digests = []
    for person in coordinators:
        digest = Digest(person=person, language=staff_language(person))
        territories = territories_for(person, roles=[TerritoryRole.COORDINATION])
        for territory in territories.order_by("title"):
            if territory.pk not in weeks_by_territory:
                weeks_by_territory[territory.pk] = _territory_week(
                    territory, since, now
                )
            digest.weeks.append(weeks_by_territory[territory.pk])
        digests.append(digest)
    return digests


def _territory_week(territory: TerritoryPage, since, now) -> TerritoryWeek:
    counts = TerritoryPage.objects.filter(pk=territory.pk).aggregate(
        new=Count("submissions", filter=Q(submissions__created_at__gte=since))
    )
    overdue = Case.objects.filter(
        territory=territory, closed_at__isnull=True, deadline__lt=now
    ).order_by("deadline")
    return TerritoryWeek(
        territory=territory,
        new_submissions=counts["new"],
        overdue=list(overdue[:MAX_OVERDUE_LISTED]),
        overdue_count=overdue.count(),
    )


def weekly_digest_send(*, now: datetime | None = None) -> int:
    """Email each coordinator what happened in their territories this week."""
    sent = 0
    for digest in coordinator_digests(now=now or timezone.now()):
        with translation.override(digest.language):
            send_mail(digest.subject(), digest.body(), None, [digest.person.email])
        sent += 1
    return sent
