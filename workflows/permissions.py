"""Who may open cases: the walls of `cases_visible_to`, whatever the view."""

from wagtail.permission_policies import ModelPermissionPolicy

from workflows.selectors import cases_visible_to


class CasePermissionPolicy(ModelPermissionPolicy):
    """Cases are read within the walls and changed only through their services.

    No one adds, edits or deletes a case through Wagtail's generic views:
    transitions, notes and attachments have their own checked use cases.
    """

    def user_has_permission(self, user, action) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if not self.user_has_permission(user, action):
            return False
        return cases_visible_to(user).filter(pk=instance.pk).exists()

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model.objects.none()
        return cases_visible_to(user)
