"""Cases given to a person after being handed to a group kept the group: its
members went on reading them. They now leave it, as new assignments do."""

from django.db import migrations


def leave_the_group(apps, schema_editor):
    Case = apps.get_model("workflows", "Case")
    Case.objects.exclude(assignee=None).exclude(assigned_role="").update(
        assigned_role=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0005_snippet_choice_blocks"),
    ]

    operations = [
        migrations.RunPython(leave_the_group, migrations.RunPython.noop),
    ]
