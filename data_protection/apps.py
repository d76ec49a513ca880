from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataProtectionConfig(AppConfig):
    """Retention, people's rights over their data, and the incident register."""

    name = "data_protection"
    verbose_name = _("Data protection")
