"""Signal handlers of the content app, all connected in one place.

A territory needs its groups however it was created (admin, API, shell, demo
loader), and `post_save` is the one point all those paths share. An action's
figures are computed as soon as it is published, whether by its editor or by
the steering committee's approval, and `page_published` is the one point
those paths share.
"""

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.signals import page_published

from content.models import ActionPage, TerritoryPage


def _set_up_new_territory(sender, instance: TerritoryPage, created: bool, **kwargs):
    if created and not kwargs.get("raw"):
        from content.services import territory_set_up_groups

        territory_set_up_groups(territory=instance)


def _compute_published_action(sender, instance: ActionPage, **kwargs):
    from content.tasks import action_indicators_compute_task

    action_id = instance.pk
    transaction.on_commit(lambda: action_indicators_compute_task(action_id))


def register_signal_handlers() -> None:
    page_published.connect(
        _compute_published_action,
        sender=ActionPage,
        dispatch_uid="content_compute_published_action",
    )
    post_save.connect(
        _set_up_new_territory,
        sender=TerritoryPage,
        dispatch_uid="content_set_up_new_territory",
    )
