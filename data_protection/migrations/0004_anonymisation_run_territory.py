"""Each anonymisation keeps what it did in each territory it touched.

A territory's coordinators read only their territories' counts and
references; the run's totals mix the territories and are for superusers.

Runs recorded before this migration have totals only. Where a run touched a
single territory, its totals are that territory's: they are copied into its
share, and the run stays readable by that territory's coordinators. A run
that touched several territories cannot be split after the fact: it gets no
share, and from now on only superusers read it.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count

COUNTS = [
    "submissions_count",
    "cases_count",
    "files_deleted",
    "history_rows",
    "notifications_count",
    "exports_withdrawn",
    "references",
]


def share_single_territory_runs(apps, schema_editor):
    Run = apps.get_model("data_protection", "AnonymisationRun")
    Share = apps.get_model("data_protection", "AnonymisationRunTerritory")
    Touched = Run.territories.through
    single = Run.objects.annotate(touched=Count("territories")).filter(touched=1)
    territory_of = dict(
        Touched.objects.filter(anonymisationrun__in=single).values_list(
            "anonymisationrun_id", "territorypage_id"
        )
    )
    Share.objects.bulk_create(
        (
            Share(run_id=run["pk"], territory_id=territory_of[run["pk"]], **{
                name: run[name] for name in COUNTS
            })
            for run in single.values("pk", *COUNTS).iterator(chunk_size=2000)
        ),
        batch_size=500,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0006_members_read_dates_in_their_territory_time'),
        ('data_protection', '0003_anonymisation_run_exports_withdrawn'),
    ]

    operations = [
        migrations.CreateModel(
            name='AnonymisationRunTerritory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('submissions_count', models.PositiveIntegerField(default=0, verbose_name='submissions')),
                ('cases_count', models.PositiveIntegerField(default=0, verbose_name='cases')),
                ('files_deleted', models.PositiveIntegerField(default=0, verbose_name='files deleted')),
                ('history_rows', models.PositiveIntegerField(default=0, verbose_name='history rows wiped')),
                ('notifications_count', models.PositiveIntegerField(default=0, verbose_name='notifications wiped')),
                ('exports_withdrawn', models.PositiveIntegerField(default=0, verbose_name='export files withdrawn')),
                ('references', models.JSONField(blank=True, default=list, verbose_name='references')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='territory_shares', to='data_protection.anonymisationrun', verbose_name='anonymisation')),
                ('territory', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='content.territorypage', verbose_name='territory')),
            ],
            options={
                'verbose_name': 'anonymisation in a territory',
                'verbose_name_plural': 'anonymisations in a territory',
                'constraints': [models.UniqueConstraint(fields=('run', 'territory'), name='one_share_per_run_and_territory')],
            },
        ),
        migrations.RunPython(share_single_territory_runs, migrations.RunPython.noop),
    ]
