from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """Workflow definitions built in the admin, cases and their transitions."""

    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from wagtail.api.v3.api import api

        from workflows.api import router

        api.add_router("/cases/", router)
