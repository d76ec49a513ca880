from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """Workflow definitions built in the admin, cases and their transitions."""

    name = "workflows"
    verbose_name = _("Workflows")
