"""Give the coordination groups of existing territories the incident register.

New territories get these permissions from content.services; territories
created before this app need them added once.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "add_dataincident",
    "change_dataincident",
    "delete_dataincident",
    "view_dataincident",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("data_protection")
    # Permissions are normally made after all migrations; make them now.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    TerritoryGroup = apps.get_model("content", "TerritoryGroup")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="data_protection", codename__in=CODENAMES
        )
    )
    for territory_group in TerritoryGroup.objects.filter(role="coordination"):
        territory_group.group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("data_protection", "0001_initial"),
        ("content", "0003_partnerorganisation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
