from django.db import migrations, models


class Migration(migrations.Migration):
    """Number references per territory code and year, not per territory row."""

    dependencies = [("forms_library", "0002_submission_files")]

    operations = [
        migrations.RemoveConstraint(
            model_name="referencesequence", name="unique_reference_sequence"
        ),
        migrations.RemoveField(model_name="referencesequence", name="territory"),
        migrations.AddField(
            model_name="referencesequence",
            name="prefix",
            field=models.CharField(default="", max_length=8),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="referencesequence",
            constraint=models.UniqueConstraint(
                fields=("prefix", "year"), name="unique_reference_sequence_prefix"
            ),
        ),
    ]
