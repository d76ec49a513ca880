"""Members who never chose a time zone read the admin's dates in their
territories' zone when those share one, as new members now do."""

from django.db import migrations


def territory_time_zones(apps, schema_editor):
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    TerritoryGroup = apps.get_model("content", "TerritoryGroup")
    zones_by_user: dict[int, set[str]] = {}
    for group in TerritoryGroup.objects.select_related("territory", "group"):
        for user_id in group.group.user_set.values_list("pk", flat=True):
            zones_by_user.setdefault(user_id, set()).add(group.territory.time_zone)
    for user_id, zones in zones_by_user.items():
        if len(zones) != 1:
            continue
        profile, _created = UserProfile.objects.get_or_create(user_id=user_id)
        if not profile.current_time_zone:
            profile.current_time_zone = zones.pop()
            profile.save(update_fields=["current_time_zone"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_indicator_filter_value_help"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [
        migrations.RunPython(territory_time_zones, migrations.RunPython.noop),
    ]
