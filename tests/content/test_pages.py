"""Page types, tested with Wagtail's own page assertions."""

from django.contrib.auth.models import Group
from django.test import override_settings
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from content.models import HomePage, TerritoryGroup, TerritoryPage
from tests.content.factories import TerritoryPageFactory, home_page


class HomePageTests(WagtailPageTestCase):
    def test_only_under_the_root(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(TerritoryPage, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_routable_and_renderable(self):
        home = home_page()
        with override_settings(ROOT_URLCONF="tests.unprefixed_urls"):
            self.assertPageIsRoutable(home)
        self.assertPageIsRenderable(home)
        self.assertEqual(self.client.get(home.url).status_code, 200)

    def test_lists_live_territories(self):
        TerritoryPageFactory(title="Pays de Test")
        draft = TerritoryPageFactory(title="Territoire brouillon", live=False)
        response = self.client.get("/fr/")
        self.assertContains(response, "Pays de Test")
        self.assertNotContains(response, draft.title)


class TerritoryPageTests(WagtailPageTestCase):
    def setUp(self):
        self.login()

    def test_only_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, TerritoryPage)
        self.assertCanNotCreateAt(Page, TerritoryPage)
        self.assertCanNotCreateAt(TerritoryPage, TerritoryPage)

    def test_routable_and_renderable(self):
        territory = TerritoryPageFactory(contact_email="contact@example.org")
        with override_settings(ROOT_URLCONF="tests.unprefixed_urls"):
            self.assertPageIsRoutable(territory)
        self.assertPageIsRenderable(territory)
        self.assertEqual(territory.url, f"/fr/{territory.slug}/")
        self.assertContains(self.client.get(territory.url), "contact@example.org")

    def test_created_in_the_admin_with_its_groups(self):
        self.assertCanCreate(
            home_page(),
            TerritoryPage,
            nested_form_data(
                {
                    "title": "Communauté de communes du Test",
                    "slug": "cc-test",
                    "kind": "communaute_de_communes",
                    "code": "cct",
                    "region": "Bretagne",
                    "country": "FR",
                    "time_zone": "Europe/Paris",
                    "description": rich_text("<p>Un territoire de test.</p>"),
                }
            ),
        )
        territory = TerritoryPage.objects.get(slug="cc-test")
        self.assertEqual(territory.code, "CCT")
        self.assertEqual(
            set(
                TerritoryGroup.objects.filter(territory=territory).values_list(
                    "role", flat=True
                )
            ),
            {"coordination", "intervention", "partners", "steering_committee"},
        )
        self.assertTrue(Group.objects.filter(name="CCT · Coordination").exists())

    def test_bad_code_is_explained_not_saved(self):
        response = self.client.post(
            f"/admin/pages/add/content/territorypage/{home_page().pk}/",
            nested_form_data(
                {
                    "title": "Mauvais code",
                    "slug": "mauvais-code",
                    "kind": "other",
                    "code": "ab-1",
                    "country": "FR",
                    "time_zone": "Europe/Paris",
                    "description": rich_text(""),
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "lettres majuscules ou chiffres")
        self.assertContains(response, "Mauvais code")
        self.assertFalse(TerritoryPage.objects.filter(slug="mauvais-code").exists())


class TerritoryCopyTests(WagtailPageTestCase):
    def setUp(self):
        self.login()

    def test_copying_a_territory_is_refused_with_a_message(self):
        territory = TerritoryPageFactory(code="ORI")
        before = TerritoryPage.objects.count()
        response = self.client.post(
            f"/admin/pages/{territory.pk}/copy/",
            {
                "new_title": "Copie",
                "new_slug": "copie",
                "new_parent_page": home_page().pk,
            },
            follow=True,
        )
        self.assertEqual(TerritoryPage.objects.count(), before)
        self.assertContains(response, "ne peut pas être copié")
