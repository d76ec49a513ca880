"""Who may do what with territory-owned objects: model permissions within walls.

Django model permissions add up across all of a person's groups, so holding
"change form" as coordinator of one territory must not grant it in another
territory where the person is only a partner. Each action is therefore tied
to the roles that grant it, territory by territory.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from content.models import TerritoryRole
from content.selectors import territories_for

READERS = [TerritoryRole.COORDINATION, TerritoryRole.INTERVENTION]
EDITORS = [TerritoryRole.COORDINATION]

# Action → roles that grant it inside a territory.
ACTION_ROLES = {
    "view": READERS,
    "add": EDITORS,
    "change": EDITORS,
    "publish": EDITORS,
    "lock": EDITORS,
    "unlock": EDITORS,
    "delete": EDITORS,
}


def territories_granting(user, action: str):
    """The territories where the user holds a role that grants this action."""
    return territories_for(user, roles=ACTION_ROLES.get(action, EDITORS))


class TerritoryPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, narrowed to the territories whose roles grant them.

    Objects without a territory (shared templates) can be read and copied by
    anyone holding the model permission; only superusers change them.
    """

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if not super().user_has_permission_for_instance(user, action, instance):
            return False
        if user.is_superuser:
            return True
        if instance.territory_id is None:
            # Templates are read and copied ("add" a copy) by all, changed by none.
            return action in ("view", "add")
        return (
            territories_granting(user, action).filter(pk=instance.territory_id).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(
            self.user_has_permission_for_instance(user, action, instance)
            for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if user.is_superuser:
            return instances
        territories = territories_for(
            user,
            roles=sorted({r for a in actions for r in ACTION_ROLES.get(a, EDITORS)}),
        )
        return instances.filter(territory__in=territories)
