from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project package: settings, URLs and what spans the apps (the API's
    answers to parameters it cannot read and to a missing token)."""

    name = "config"
    verbose_name = "Maillage"

    def ready(self) -> None:
        from wagtail.api.v3.api import api

        from config.api import register_authentication_error, register_parameter_errors

        register_parameter_errors(api)
        register_authentication_error(api)
