"""Replace Wagtail's welcome page with Maillage's home page as the site root."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("content.HomePage")

    page_content_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_content_type, slug="home", depth=2).delete()
    if HomePage.objects.exists():
        return
    home_content_type, _ = ContentType.objects.get_or_create(
        model="homepage", app_label="content"
    )
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Maillage",
        draft_title="Maillage",
        slug="accueil",
        content_type=home_content_type,
        locale=Locale.objects.order_by("pk").first(),
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        live=True,
        introduction=(
            "<p>Maillage relie les personnes concernées, les travailleurs sociaux "
            "et les partenaires des programmes territoriaux de sécurité "
            "alimentaire.</p>"
        ),
    )
    Page.objects.filter(pk=root.pk).update(numchild=1)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost", root_page_id=home.pk, is_default_site=True,
        site_name="Maillage",
    )


def remove_home_page(apps, schema_editor):
    HomePage = apps.get_model("content.HomePage")
    HomePage.objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
