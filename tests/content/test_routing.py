"""The site root routes a whole address at once, by Wagtail's rules."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from content.models import HomePage
from tests.content.factories import (
    ActionPageFactory,
    ActionPlanPageFactory,
    TerritoryPageFactory,
    home_page,
)
from tests.forms_library.factories import IntakeFormPageFactory

pytestmark = pytest.mark.django_db


def page_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    selects = [q["sql"] for q in queries if '"wagtailcore_page"."url_path"' in q["sql"]]
    return response.status_code, selects


@pytest.fixture
def action():
    plan = ActionPlanPageFactory()
    return ActionPageFactory(parent=plan)


def test_each_level_of_the_tree_answers_at_its_address(client, action):
    plan = action.get_parent().specific
    territory = plan.get_parent().specific
    for page in (home_page(), territory, plan, action):
        response = client.get(page.url)
        assert response.status_code == 200
        assert response.context["page"] == page
        assert type(response.context["page"]) is type(page)


def test_an_action_four_levels_down_costs_the_queries_of_one(client, action):
    client.get(action.url)  # the site and content types are cached after this
    status, selects = page_queries(client, action.url)
    assert status == 200
    # The site, the root, the address in one query, the action; then its
    # plan and territory for the page's context. Wagtail's walk would read a
    # page and its specific row for each of the three levels (9 in all).
    assert len(selects) <= 6, selects


def test_a_missing_page_at_any_level_is_not_found(client, action):
    plan = action.get_parent()
    assert client.get(plan.url + "inconnue/").status_code == 404
    assert client.get(action.url + "encore/").status_code == 404
    assert client.get("/fr/nulle-part/" + action.slug + "/").status_code == 404


def test_a_page_with_the_same_slug_elsewhere_is_not_reached(client, action):
    other_territory = TerritoryPageFactory()
    plan = action.get_parent()
    # The action's slug under another territory's address leads nowhere.
    assert (
        client.get(
            other_territory.url + plan.slug + "/" + action.slug + "/"
        ).status_code
        == 404
    )


def test_an_unpublished_page_is_not_found_but_its_published_children_are(
    client, action
):
    plan = action.get_parent().specific
    plan_url, action_url = plan.url, action.url
    plan.unpublish()
    assert client.get(plan_url).status_code == 404
    assert client.get(action_url).status_code == 200
    action.unpublish()
    assert client.get(action_url).status_code == 404


def test_a_routable_page_routes_what_lies_below_it(client):
    intake = IntakeFormPageFactory()
    assert client.get(intake.url).status_code == 200
    # Its confirmation is one of its own routes, not a child page.
    response = client.get(intake.url + "confirmation/")
    assert response.status_code == 302
    assert response["Location"] == intake.url
    assert client.get(intake.url + "autre/").status_code == 404


def test_routing_agrees_with_wagtails_own_walk(rf, action):
    IntakeFormPageFactory(parent=action.get_parent().get_parent())
    action.get_parent().specific.unpublish()
    home = HomePage.objects.get()
    for page in Page.objects.descendant_of(home):
        path = page.url_path.removeprefix(home.url_path)
        for components in (path.split("/")[:-1], [*path.split("/")[:-1], "x"]):
            request = rf.get("/")
            assert _routed(home.route, request, components) == _routed(
                lambda request, parts: Page.route(home, request, parts),
                request,
                components,
            ), components


def _routed(route, request, components):
    try:
        result = route(request, components)
    except Http404:
        return None
    return (type(result.page), result.page.pk, result.args[1:] if result.args else ())
