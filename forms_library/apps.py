from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsLibraryConfig(AppConfig):
    """Form definitions built in the admin, intake form pages and submissions."""

    name = "forms_library"
    verbose_name = _("Forms library")

    def ready(self) -> None:
        from wagtail.api.v3.api import api

        from forms_library.api import router

        api.add_router("/forms/", router)
