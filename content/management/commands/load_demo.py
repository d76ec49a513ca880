"""`manage.py load_demo`: the two programmes of the design, as demo data."""

from django.core.management.base import BaseCommand

from content.demo import DEFAULT_PASSWORD, load_territories
from content.demo_plans import load_action_plans
from forms_library.demo import load_forms
from workflows.demo import load_workflows
from workflows.demo_cases import load_demo_cases


class Command(BaseCommand):
    help = "Load (or complete) the demo territories and people. Safe to run twice."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password of every demo login (default: %(default)s).",
        )

    def handle(self, *args, password: str, **options) -> None:
        logins = load_territories(password=password)
        load_forms()
        load_workflows()
        load_demo_cases()
        load_action_plans()
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded. Logins (password: {password}):")
        )
        for login in logins:
            self.stdout.write(
                f"  {login.username:<36} {login.role:<22} {login.territory}"
            )
