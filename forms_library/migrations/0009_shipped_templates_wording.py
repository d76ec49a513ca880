from django.db import migrations

# The shipped templates as stored before they had a wording per country,
# with the country their words were written for.
EARLIER_SHIPPED = {
    "Demande d'accompagnement": "CA",
    "Commande de repas": "CA",
    "Déclaration de don d'invendus": "CA",
    "Orientation vers l'aide alimentaire": "FR",
    "Inscription à un atelier": "FR",
    "Diagnostic des besoins d'une structure": "FR",
    "Proposition d'action": "FR",
}


def word_earlier_templates(apps, schema_editor):
    FormDefinition = apps.get_model("forms_library", "FormDefinition")
    for title, country in EARLIER_SHIPPED.items():
        FormDefinition.objects.filter(
            territory=None, wording_country="", title=title
        ).update(wording_country=country)


class Migration(migrations.Migration):
    dependencies = [
        ("forms_library", "0008_form_definition_wording_country"),
    ]

    operations = [
        migrations.RunPython(word_earlier_templates, migrations.RunPython.noop),
    ]
