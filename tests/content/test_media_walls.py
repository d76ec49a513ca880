"""Documents and images stay in their territory's collection, in the admin API too."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file

from content.models import TerritoryRole
from tests.content.factories import TerritoryPageFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

ADMIN_API = "/admin/api/main/"


def document(territory, title):
    return get_document_model().objects.create(
        title=title,
        collection=territory.collection,
        file=ContentFile(b"Compte rendu", name="compte-rendu.txt"),
    )


def image(territory, title):
    from wagtail.images import get_image_model

    return get_image_model().objects.create(
        title=title, collection=territory.collection, file=get_test_image_file()
    )


@pytest.mark.parametrize(
    "make, endpoint", [(document, "documents/"), (image, "images/")]
)
@pytest.mark.parametrize(
    "role",
    [TerritoryRole.COORDINATION, TerritoryRole.INTERVENTION, TerritoryRole.PARTNERS],
)
def test_the_admin_api_lists_only_the_media_of_the_users_territories(
    client, make, endpoint, role
):
    here, there = TerritoryPageFactory(), TerritoryPageFactory()
    theirs = make(there, "Compte rendu du voisin")
    client.force_login(member_of(here, role))
    listing = client.get(ADMIN_API + endpoint)
    assert listing.status_code == 200
    assert "Compte rendu du voisin" not in listing.content.decode()
    assert client.get(f"{ADMIN_API}{endpoint}{theirs.pk}/").status_code == 404


@pytest.mark.parametrize(
    "make, endpoint", [(document, "documents/"), (image, "images/")]
)
def test_the_admin_api_still_lists_the_media_of_ones_own_territory(
    client, make, endpoint
):
    here = TerritoryPageFactory()
    mine = make(here, "Notre compte rendu")
    client.force_login(member_of(here, TerritoryRole.COORDINATION))
    listing = client.get(ADMIN_API + endpoint).json()
    assert [item["title"] for item in listing["items"]] == ["Notre compte rendu"]
    assert client.get(f"{ADMIN_API}{endpoint}{mine.pk}/").status_code == 200
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(f"{ADMIN_API}{endpoint}{mine.pk}/").status_code == 200
