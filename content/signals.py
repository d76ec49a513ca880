"""Signal handlers of the content app, all connected in one place.

A territory needs its groups however it was created (admin, API, shell, demo
loader), and `post_save` is the one point all those paths share.
"""

from django.db.models.signals import post_save

from content.models import TerritoryPage


def _set_up_new_territory(sender, instance: TerritoryPage, created: bool, **kwargs):
    if created and not kwargs.get("raw"):
        from content.services import territory_set_up_groups

        territory_set_up_groups(territory=instance)


def register_signal_handlers() -> None:
    post_save.connect(
        _set_up_new_territory,
        sender=TerritoryPage,
        dispatch_uid="content_set_up_new_territory",
    )
