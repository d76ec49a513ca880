"""Who may do what with territory-owned objects: model permissions within walls."""

from wagtail.permission_policies import ModelPermissionPolicy

from content.selectors import territories_for


class TerritoryPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, narrowed to objects of the user's territories.

    Objects without a territory (shared form templates) can be read and copied
    by anyone holding the model permission; only superusers change them.
    """

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if not super().user_has_permission_for_instance(user, action, instance):
            return False
        if user.is_superuser:
            return True
        if instance.territory_id is None:
            return action in ("view",)
        return territories_for(user).filter(pk=instance.territory_id).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if user.is_superuser:
            return instances
        return instances.filter(territory__in=territories_for(user))

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(
            self.user_has_permission_for_instance(user, action, instance)
            for action in actions
        )
