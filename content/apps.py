from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    """Public pages: home, territories (and later action plans, partners)."""

    name = "content"
    verbose_name = _("Content")

    def ready(self) -> None:
        from content.admin_filters import narrow_people_filters
        from content.signals import register_signal_handlers

        register_signal_handlers()
        narrow_people_filters()
