import unicodedata

from django.db import migrations, models


def fold_existing_names(apps, schema_editor):
    # The rule of workflows.case_search.folded, frozen here as migrations must.
    def folded(text):
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(
            c for c in decomposed if not unicodedata.combining(c)
        ).casefold()

    Case = apps.get_model("workflows", "Case")
    cases = Case.objects.exclude(title="").only("pk", "title")
    for case in cases.iterator(chunk_size=2000):
        Case.objects.filter(pk=case.pk).update(
            title_folded=folded(case.title)[:255]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0003_case_anonymised_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="title_folded",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.RunPython(fold_existing_names, migrations.RunPython.noop),
    ]
