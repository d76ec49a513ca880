"""A resident fills a multi-step form: steps, conditions, review, reference."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from content.models import TerritoryRole
from forms_library.library import field, step
from forms_library.models import Submission
from tests.content.factories import member_of
from tests.forms_library.factories import IntakeFormPageFactory
from tests.forms_library.test_attachments import PDF

pytestmark = pytest.mark.django_db

STEP_1 = {
    "0-first_name": "Awa",
    "0-phone": "06 12 34 56 78",
    "0-has_children": "no",
    "0-children": "3",
}
STEP_2_HOUSED = {"1-housing": "Locataire", "1-postal_code": "29200"}
STEP_2_HOMELESS = {"1-housing": "Sans logement", "1-postal_code": "29200"}


def post_step(client, page, step: str, data: dict):
    prefix = f"intake_{page.pk}"
    return client.post(page.url, {f"{prefix}-current_step": step, **data})


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def page():
    return IntakeFormPageFactory(parent__code="ARS")


def test_first_step_says_where_the_person_is(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    assert soup(response).select_one(".step-counter").get_text() == "Étape 1 sur 4"
    assert soup(response).find("h2").get_text() == "Vous"


def test_fields_say_what_a_browser_may_fill_in(client, page):
    form = soup(client.get(page.url))
    assert form.select_one("[name='0-first_name']")["autocomplete"] == "given-name"
    assert form.select_one("[name='0-phone']")["autocomplete"] == "tel"


def test_a_question_shown_on_a_condition_says_when_it_applies(client, page):
    # Without JavaScript the question is always there: the person reads when
    # to answer it.
    form = soup(client.get(page.url))
    children = form.select_one("[name='0-children']")
    condition = form.select_one("#id_0-children-condition")
    assert condition.get_text().replace("\u00a0", " ") == (
        "Seulement si la réponse à « Avez-vous des enfants ? » est « Oui »."
    )
    assert "id_0-children-condition" in children["aria-describedby"]
    assert form.select_one("#id_0-first_name-condition") is None


def test_errors_are_summarised_linked_and_keep_what_was_typed(client, page):
    client.get(page.url)
    response = post_step(
        client,
        page,
        "0",
        {"0-first_name": "Awa", "0-phone": "12", "0-has_children": ""},
    )
    html = soup(response)
    summary = html.select_one("#error-summary")
    assert summary is not None
    links = [a["href"] for a in summary.select("a")]
    assert links == ["#id_0-phone", "#id_0-has_children_0"]
    assert html.select_one("#id_0-first_name")["value"] == "Awa"
    assert html.select_one("#id_0-phone")["value"] == "12"
    assert html.select_one("#id_0-phone")["aria-invalid"] == "true"
    assert "id_0-phone-error" in html.select_one("#id_0-phone")["aria-describedby"]
    assert "06 12 34 56 78" in html.select_one("#id_0-phone-error").get_text()


def test_a_hidden_field_is_not_required_and_its_answer_is_dropped(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    post_step(client, page, "1", STEP_2_HOUSED)
    post_step(client, page, "3", {"3-consent": "on"})
    response = post_step(client, page, "review", {})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert "children" not in submission.answers
    assert submission.answers["first_name"] == "Awa"
    assert submission.answers["phone"] == "0612345678"


def test_a_shown_conditional_field_becomes_required(client, page):
    client.get(page.url)
    response = post_step(
        client, page, "0", {**STEP_1, "0-has_children": "yes", "0-children": ""}
    )
    assert soup(response).select_one("#id_0-children-error") is not None


def test_a_conditional_step_appears_only_when_its_condition_holds(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    response = post_step(client, page, "1", STEP_2_HOUSED)
    assert soup(response).find("h2").get_text() == "Accord"
    assert soup(response).select_one(".step-counter").get_text() == "Étape 3 sur 4"

    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    response = post_step(client, page, "1", STEP_2_HOMELESS)
    assert soup(response).find("h2").get_text() == "Hébergement"
    assert soup(response).select_one(".step-counter").get_text() == "Étape 3 sur 5"


def test_back_keeps_the_answers(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    response = client.post(
        page.url,
        {
            f"intake_{page.pk}-current_step": "1",
            "wizard_goto_step": "0",
            **STEP_2_HOUSED,
        },
    )
    assert soup(response).select_one("#id_0-first_name")["value"] == "Awa"
    response = post_step(client, page, "0", STEP_1)
    assert soup(response).select_one("#id_1-postal_code")["value"] == "29200"


def test_back_keeps_what_was_typed_on_an_unfinished_step(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    client.post(
        page.url,
        {
            f"intake_{page.pk}-current_step": "1",
            "wizard_goto_step": "0",
            "1-postal_code": "29200",  # the housing question left for later
        },
    )
    response = soup(post_step(client, page, "0", STEP_1))
    assert response.select_one("#id_1-postal_code")["value"] == "29200"
    # What is still missing is said, and nothing unfinished is sent.
    assert response.select_one("#error-summary") is not None
    post_step(client, page, "1", STEP_2_HOUSED)
    post_step(client, page, "3", {"3-consent": "on"})
    post_step(client, page, "review", {})
    assert Submission.objects.get().answers["housing"] == "Locataire"


def test_review_then_send_gives_a_reference_and_keeps_the_revision(client, page):
    client.get(page.url)
    post_step(client, page, "0", {**STEP_1, "0-has_children": "yes"})
    post_step(client, page, "1", STEP_2_HOMELESS)
    post_step(client, page, "2", {"2-where_sleeping": "Chez une amie"})
    review = post_step(client, page, "3", {"3-consent": "on"})
    rows = {
        row.find("dt").get_text(): row.find("dd").get_text()
        for row in soup(review).select(".review__row")
    }
    assert rows["Nombre d'enfants"] == "3"
    assert rows["Téléphone"] == "06 12 34 56 78"  # kept as 0612345678
    assert rows["Où dormez-vous ?"] == "Chez une amie"
    assert "Étudier votre demande" in soup(review).select_one(".data-notice").get_text()

    response = post_step(client, page, "review", {})
    assert response.status_code == 302
    confirmation = client.get(response["Location"])
    year = timezone.localdate().year
    assert f"ARS-{year}-0001" in confirmation.content.decode()
    submission = Submission.objects.get()
    assert submission.reference == f"ARS-{year}-0001"
    assert submission.revision == page.form_definition.live_revision
    assert submission.territory == page.get_parent().specific
    assert submission.answers["children"] == "3"
    assert submission.consents[0]["name"] == "consent"
    assert submission.history.count() == 1


def test_the_review_goes_back_to_the_step_to_change(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    post_step(client, page, "1", STEP_2_HOUSED)
    review = soup(post_step(client, page, "3", {"3-consent": "on"}))
    # One section per step shown ("Hébergement" is not, for a tenant), each
    # with a button that works without JavaScript and says which step.
    sections = {
        section.find("h3").get_text(): section.find("button")
        for section in review.select(".review__step")
    }
    assert list(sections) == ["Vous", "Votre situation", "Accord"]
    change = sections["Votre situation"]
    assert (change["name"], change["value"]) == ("wizard_goto_step", "1")
    assert change.get_text() == "Modifier les réponses de «\u00a0Votre situation\u00a0»"

    step = soup(
        client.post(
            page.url,
            {f"intake_{page.pk}-current_step": "review", "wizard_goto_step": "1"},
        )
    )
    assert step.find("h2").get_text() == "Votre situation"
    assert step.select_one("#id_1-postal_code")["value"] == "29200"
    assert step.select_one("[name='1-housing'][value='Locataire']").has_attr("checked")
    # Changed, the answer now asks for the step it hid, then the review again.
    post_step(client, page, "1", STEP_2_HOMELESS)
    post_step(client, page, "2", {"2-where_sleeping": "Chez une amie"})
    review = soup(post_step(client, page, "3", {"3-consent": "on"}))
    assert [h.get_text() for h in review.select(".review__step h3")] == [
        "Vous",
        "Votre situation",
        "Hébergement",
        "Accord",
    ]
    assert post_step(client, page, "review", {}).status_code == 302
    assert Submission.objects.get().answers["housing"] == "Sans logement"


def test_sending_twice_records_one_submission(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    post_step(client, page, "1", STEP_2_HOUSED)
    post_step(client, page, "3", {"3-consent": "on"})
    first = post_step(client, page, "review", {})
    again = post_step(client, page, "review", {})
    assert first.status_code == 302
    assert again.status_code in (200, 302)
    assert Submission.objects.count() == 1


def test_references_follow_each_other_within_a_territory(client, page):
    for _ in range(2):
        client.get(page.url)
        post_step(client, page, "0", STEP_1)
        post_step(client, page, "1", STEP_2_HOUSED)
        post_step(client, page, "3", {"3-consent": "on"})
        post_step(client, page, "review", {})
    assert sorted(Submission.objects.values_list("reference", flat=True))[-1].endswith(
        "-0002"
    )


def test_a_closed_form_says_so_politely(client):
    page = IntakeFormPageFactory(
        closes_at=timezone.now() - datetime.timedelta(days=1),
        parent__contact_email="accueil@example.org",
    )
    response = client.get(page.url)
    assert response.status_code == 200
    assert "fermé" in soup(response).select_one(".notice").get_text()
    # Still a way to reach the team.
    assert soup(response).select_one(".notice a[href='mailto:accueil@example.org']")
    assert soup(response).find("form", class_="intake-form") is None


def test_a_form_not_yet_open_says_when_it_opens(client):
    page = IntakeFormPageFactory(opens_at=timezone.now() + datetime.timedelta(days=2))
    response = client.get(page.url)
    assert "pas encore ouvert" in soup(response).select_one(".notice").get_text()


def test_a_form_past_its_closing_does_not_say_it_opens_on_a_past_date(client):
    page = IntakeFormPageFactory(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    notice = soup(client.get(page.url)).select_one(".notice").get_text()
    assert "fermé" in notice
    assert "Ouverture" not in notice


def test_a_quebec_form_says_when_it_opens_in_quebec_time(client):
    opens = datetime.datetime(2099, 3, 2, 14, 30, tzinfo=datetime.UTC)
    page = IntakeFormPageFactory(parent__time_zone="America/Toronto", opens_at=opens)
    notice = soup(client.get(page.url)).select_one(".notice").get_text()
    assert "2 mars 2099 09:30" in notice  # not Paris's 15:30


def test_a_form_opening_on_the_first_says_1er(client):
    opens = datetime.datetime(2099, 5, 1, 14, 30, tzinfo=datetime.UTC)
    page = IntakeFormPageFactory(parent__time_zone="America/Toronto", opens_at=opens)
    notice = soup(client.get(page.url)).select_one(".notice").get_text()
    assert "1er mai 2099 10:30" in notice


def test_each_page_of_the_form_says_in_its_title_where_the_person_is(client, page):
    # A screen reader announces the title first: it must tell the step, an
    # error, the review, the request sent or the form closed.
    def title(response) -> str:
        return soup(response).title.get_text().replace("\u00a0", " ")

    name = page.title
    assert title(client.get(page.url)) == f"Étape 1 sur 4 – {name} · Maillage"
    assert title(post_step(client, page, "0", {})).startswith("Erreur : Étape 1 sur 4")
    post_step(client, page, "0", STEP_1)
    post_step(client, page, "1", STEP_2_HOUSED)
    review = post_step(client, page, "3", {"3-consent": "on"})
    assert title(review) == f"Vérifiez vos réponses – {name} · Maillage"
    sent = client.get(post_step(client, page, "review", {})["Location"])
    assert title(sent) == f"Votre demande a bien été envoyée – {name} · Maillage"
    yesterday = timezone.now() - datetime.timedelta(days=1)
    closed = IntakeFormPageFactory(closes_at=yesterday)
    assert title(client.get(closed.url)) == f"Fermé – {closed.title} · Maillage"


def test_consent_is_asked_with_how_long_answers_are_kept(client, page):
    # Consent is informed only if the person reads, before ticking, both the
    # purpose and the retention (GDPR art. 13, Québec's Law 25).
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    consent_step = soup(post_step(client, page, "1", STEP_2_HOUSED))
    box = consent_step.select_one("[name='3-consent']")
    described = [
        consent_step.find(id=part).get_text()
        for part in box["aria-describedby"].split()
    ]
    assert any("conservées 24 mois" in text for text in described)


def test_a_tampered_post_is_refused_without_a_server_error(client, page):
    client.get(page.url)
    response = client.post(page.url, {"garbage": "1"})
    assert response.status_code == 400


def test_each_step_uses_a_bounded_number_of_queries(
    client, page, django_assert_max_num_queries
):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    with django_assert_max_num_queries(11):
        post_step(client, page, "1", STEP_2_HOUSED)
    post_step(client, page, "3", {"3-consent": "on"})
    with django_assert_max_num_queries(28):
        post_step(client, page, "review", {})


def test_each_stored_step_is_validated_once_per_request(client, page, monkeypatch):
    from collections import Counter

    from forms_library.forms import StepForm

    validated = Counter()
    full_clean = StepForm.full_clean

    def counting_full_clean(form):
        if form.is_bound:  # the next step, shown blank, validates nothing
            validated[form.prefix] += 1
        return full_clean(form)

    monkeypatch.setattr(StepForm, "full_clean", counting_full_clean)
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    validated.clear()
    post_step(client, page, "1", STEP_2_HOUSED)
    # Step 0 once for the conditions; step 1 as posted, then as stored.
    assert validated == {"0": 1, "1": 2}
    post_step(client, page, "3", {"3-consent": "on"})
    validated.clear()
    response = post_step(client, page, "review", {})
    assert response.status_code == 302
    assert validated == {"0": 1, "1": 1, "3": 1}


def test_a_robot_filling_the_honeypot_is_not_recorded(client, page):
    client.get(page.url)
    response = post_step(client, page, "0", {**STEP_1, "0-_website": "http://spam"})
    assert soup(response).select_one("#error-summary") is not None
    assert soup(response).find("h2").get_text() != "Votre situation"
    assert Submission.objects.count() == 0


def test_too_many_submissions_from_one_address_are_politely_held(
    client, page, settings
):
    settings.MAILLAGE_SUBMISSIONS_PER_ADDRESS = (1, 3600)

    def fill_and_send():
        client.get(page.url)
        post_step(client, page, "0", STEP_1)
        post_step(client, page, "1", STEP_2_HOUSED)
        post_step(client, page, "3", {"3-consent": "on"})
        return post_step(client, page, "review", {})

    assert fill_and_send().status_code == 302
    held = fill_and_send()
    assert held.status_code == 429
    assert "quelques minutes" in held.content.decode()
    assert Submission.objects.count() == 1
    # The answers were kept: once the limit lifts, sending again works.
    settings.MAILLAGE_SUBMISSIONS_PER_ADDRESS = (10, 3600)
    assert post_step(client, page, "review", {}).status_code == 302
    assert Submission.objects.count() == 2


def _fill_and_send(client, page, step_1=STEP_1):
    client.get(page.url)
    post_step(client, page, "0", step_1)
    post_step(client, page, "1", STEP_2_HOUSED)
    post_step(client, page, "3", {"3-consent": "on"})
    return post_step(client, page, "review", {})


def test_a_receipt_with_the_reference_goes_to_the_given_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.forms_library.factories import field, three_step_fields

    fields = three_step_fields()
    fields.insert(2, field("email", "Courriel", "email", required=False))
    page = IntakeFormPageFactory(
        form_definition__fields=fields, title="Demande d'aide & d'écoute"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _fill_and_send(client, page, {**STEP_1, "0-email": "awa@example.org"})
    submission = Submission.objects.get()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["awa@example.org"]
    assert submission.reference in message.subject
    assert "Awa" not in message.body  # the answers are not repeated
    assert "Demande d'aide & d'écoute" in message.body  # plain text, not HTML


def test_a_person_erased_before_the_receipt_leaves_gets_none(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from content.models import TerritoryRole
    from data_protection.services import personal_data_erase
    from tests.content.factories import member_of
    from tests.forms_library.factories import field, three_step_fields

    fields = three_step_fields()
    fields.insert(2, field("email", "Courriel", "email", required=False))
    page = IntakeFormPageFactory(form_definition__fields=fields)
    with django_capture_on_commit_callbacks() as queued:
        _fill_and_send(client, page, {**STEP_1, "0-email": "awa@example.org"})
    sent = Submission.objects.filter(answers__email="awa@example.org")
    personal_data_erase(
        submissions=sent,
        user=member_of(page.get_parent().specific, TerritoryRole.COORDINATION),
    )
    for callback in queued:  # the worker picks the receipt up only now
        callback()
    assert Submission.objects.get().anonymised_at is not None
    assert mailoutbox == []


def test_no_email_no_receipt(
    client, page, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _fill_and_send(client, page)
    assert Submission.objects.count() == 1
    assert mailoutbox == []


def test_a_social_worker_of_the_territory_enters_it_on_someones_behalf(client, page):
    from content.models import TerritoryRole
    from tests.content.factories import member_of

    worker = member_of(page.get_parent().specific, TerritoryRole.INTERVENTION)
    client.force_login(worker)
    _fill_and_send(client, page)
    submission = Submission.objects.get()
    assert submission.source == "admin"
    assert submission.entered_by == worker


def test_a_stranger_signed_in_elsewhere_submits_as_the_public(client, page):
    from content.models import TerritoryRole
    from tests.content.factories import TerritoryPageFactory, member_of

    client.force_login(member_of(TerritoryPageFactory(), TerritoryRole.COORDINATION))
    _fill_and_send(client, page)
    submission = Submission.objects.get()
    assert (submission.source, submission.entered_by) == ("web", None)


def test_the_territory_page_lists_its_forms_once(client, page):
    territory = page.get_parent().specific
    territory.contact_name = "Accueil"
    territory.save_revision().publish()
    html = soup(client.get(territory.url))
    links = html.select(f'#main a[href="{page.url}"]')
    assert len(links) == 1
    assert html.select_one("#forms-heading").get_text() == "Faire une demande"
    assert html.select_one(".contact ul section") is None


def test_a_second_send_shows_the_receipt_again(client, page):
    first = _fill_and_send(client, page)
    again = post_step(client, page, "review", {})
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Submission.objects.count() == 1


@pytest.mark.parametrize("step", ["bogus", "2"])
def test_an_unknown_or_hidden_step_starts_over_politely(client, page, step):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    post_step(client, page, "1", STEP_2_HOUSED)  # step "2" is now hidden
    response = post_step(client, page, step, {})
    assert response.status_code == 200
    assert soup(response).find("h2").get_text() == "Vous"
    assert "recommencer" in soup(response).select_one(".messages").get_text()


def test_a_form_republished_while_being_filled_keeps_the_answers(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    definition = page.form_definition
    # The coordinator rewords a question and publishes, names unchanged.
    fields = definition.fields.raw_data
    fields[1]["value"]["label"] = "Votre prénom usuel"
    definition.fields = fields
    definition.save_revision().publish()
    definition.refresh_from_db()
    response = soup(post_step(client, page, "1", STEP_2_HOUSED))
    assert "vos réponses sont conservées" in response.select_one(".messages").get_text()
    # Steps 1 and 2 hold: on to the consent, the first step still to answer.
    assert response.select_one(".step-counter").get_text() == "Étape 3 sur 4"
    post_step(client, page, "3", {"3-consent": "on"})
    post_step(client, page, "review", {})
    submission = Submission.objects.get()
    assert submission.answers["first_name"] == "Awa"
    assert submission.answers["housing"] == "Locataire"
    assert submission.revision_id == definition.live_revision_id


def test_answers_the_new_version_refuses_are_asked_again(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    definition = page.form_definition
    fields = definition.fields.raw_data
    phone = next(f for f in fields if f["value"].get("name") == "phone")
    fields[fields.index(phone)] = {
        **phone,
        "type": "email",
        "value": {**phone["value"], "label": "Courriel"},
    }
    definition.fields = fields
    definition.save_revision().publish()
    response = soup(post_step(client, page, "1", STEP_2_HOUSED))
    assert response.select_one(".step-counter").get_text() == "Étape 1 sur 4"
    assert response.select_one("#id_0-first_name")["value"] == "Awa"
    assert response.select_one("#id_0-phone")["value"] == "06 12 34 56 78"
    assert response.select_one("#error-summary") is None  # not sent yet
    sent = soup(post_step(client, page, "0", {**STEP_1, "0-phone": "06 12 34 56 78"}))
    assert sent.select_one("#error-summary") is not None  # not an email
    assert Submission.objects.count() == 0


def test_zero_is_an_answer_to_a_required_number(client):
    from tests.forms_library.factories import field

    page = IntakeFormPageFactory(
        form_definition__fields=[field("number", "Enfants", "enfants", min_value=0)]
    )
    client.get(page.url)
    response = post_step(client, page, "0", {"0-enfants": "0"})
    assert soup(response).select_one("#error-summary") is None


def test_a_field_named_website_is_not_the_honeypot(client):
    from tests.forms_library.factories import field

    page = IntakeFormPageFactory(
        form_definition__fields=[field("short_text", "Site web", "website")]
    )
    client.get(page.url)
    response = post_step(client, page, "0", {"0-website": "https://exemple.org"})
    assert soup(response).select_one("#error-summary") is None
    post_step(client, page, "review", {})
    assert Submission.objects.get().answers == {"website": "https://exemple.org"}


def test_not_a_number_in_a_compared_answer_is_no_server_error(client):
    from tests.forms_library.factories import field, rule

    page = IntakeFormPageFactory(
        form_definition__fields=[
            field("short_text", "Âge", "age"),
            field(
                "short_text",
                "Pourquoi",
                "why",
                required=False,
                show_if=rule("age", "greater_than", "18"),
            ),
        ]
    )
    client.get(page.url)
    assert (
        post_step(client, page, "0", {"0-age": "NaN", "0-why": "x"}).status_code == 200
    )
    api = client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        data='{"answers": {"age": "nan", "why": "x"}}',
        content_type="application/json",
    )
    assert api.status_code == 201
    assert "why" not in Submission.objects.get(source="api").answers


def test_a_code_passed_to_a_new_territory_goes_on_numbering(client, page):
    from content.models import TerritoryPage
    from tests.content.factories import TerritoryPageFactory

    _fill_and_send(client, page)
    old = page.get_parent().specific
    code = old.code
    TerritoryPage.objects.filter(pk=old.pk).update(code="OLD")
    newcomer = TerritoryPageFactory(code=code)
    assert newcomer.territory_groups.count() == 4
    new_page = IntakeFormPageFactory(parent=newcomer)
    _fill_and_send(client, new_page)
    references = sorted(Submission.objects.values_list("reference", flat=True))
    assert references[0].endswith("-0001") and references[1].endswith("-0002")


def test_refused_attempts_do_not_count_against_the_limit(settings):
    from forms_library.services import submission_allowed_from

    settings.MAILLAGE_SUBMISSIONS_PER_ADDRESS = (2, 3600)
    results = [submission_allowed_from(address="192.0.2.1") for _ in range(5)]
    assert results == [True, True, False, False, False]
    settings.MAILLAGE_SUBMISSIONS_PER_ADDRESS = (3, 3600)
    assert submission_allowed_from(address="192.0.2.1") is True


def _step_of_hidden_questions_fields():
    from tests.forms_library.factories import field, rule, step

    return [
        step("Vous"),
        field("yes_no", "Avez-vous des enfants ?", "has_children"),
        step("Votre foyer"),
        field(
            "number",
            "Nombre d'enfants",
            "children",
            min_value=1,
            show_if=rule("has_children", "equals", "yes"),
        ),
        step("Accord"),
        field("consent", "J'accepte", "consent", purpose="Étudier la demande."),
    ]


def test_a_step_whose_questions_are_all_hidden_is_skipped(client):
    page = IntakeFormPageFactory(
        form_definition__fields=_step_of_hidden_questions_fields()
    )
    client.get(page.url)
    response = post_step(client, page, "0", {"0-has_children": "no"})
    assert soup(response).find("h2").get_text() == "Accord"
    assert soup(response).select_one(".step-counter").get_text() == "Étape 2 sur 3"
    post_step(client, page, "2", {"2-consent": "on"})
    assert post_step(client, page, "review", {}).status_code == 302
    assert Submission.objects.get().answers == {"has_children": "no", "consent": True}
    # With children, the step and its question are there.
    client.cookies.clear()
    client.get(page.url)
    response = post_step(client, page, "0", {"0-has_children": "yes"})
    assert soup(response).find("h2").get_text() == "Votre foyer"


def test_in_english_the_questions_written_in_french_say_so(client, page):
    # WCAG 3.1.2: a screen reader reads the coordinator's French in French
    # while the interface around it speaks English.
    french_url = page.url
    english = soup(client.get(french_url.replace("/fr/", "/en/", 1)))
    assert english.html["lang"] == "en"
    assert english.find("h1")["lang"] == "fr"
    assert english.find("h2")["lang"] == "fr"  # the step title
    label = english.select_one("label[for='id_0-first_name'] span")
    assert label.get_text() == "Prénom" and label["lang"] == "fr"
    assert english.select_one(".step-counter").get_text() == "Step 1 of 4"
    assert not english.select_one(".step-counter").has_attr("lang")
    yes = english.select_one("label[for='id_0-has_children_0']")
    assert yes.get_text() == "Yes" and not yes.has_attr("lang")
    french = soup(client.get(french_url))
    assert not french.select("main [lang]")


def test_a_list_of_choices_marks_the_coordinators_options_not_the_prompt():
    from django.utils import translation

    from forms_library.forms import WrittenChoicesSelect

    widget = WrittenChoicesSelect(choices=[("", "Choose…"), ("Locataire", "Locataire")])
    with translation.override("en"):
        english = BeautifulSoup(widget.render("housing", ""), "html.parser")
    with translation.override("fr"):
        french = widget.render("housing", "")
    assert english.find("option", value="Locataire")["lang"] == "fr"
    assert not english.find("option", value="").has_attr("lang")
    assert "lang=" not in french


def test_sending_with_a_step_never_stored_shows_that_step_and_sends_nothing(
    client, page
):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    # A crafted or stale page jumps to the review: every shown step is
    # checked again before anything is recorded.
    response = post_step(client, page, "review", {})
    assert response.status_code == 200
    assert soup(response).find("h2").get_text() == "Votre situation"
    assert not Submission.objects.exists()


def test_opening_the_page_again_takes_the_person_back_where_they_were(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    again = soup(client.get(page.url))  # a dropped connection, a closed tab
    assert again.select_one(".step-counter").get_text() == "Étape 2 sur 4"
    assert "vos réponses sont conservées" in again.select_one(".messages").get_text()
    english = soup(client.get(page.url.replace("/fr/", "/en/", 1)))
    assert english.select_one(".step-counter").get_text() == "Step 2 of 4"
    translation.activate("fr")  # the request left English on: page.url follows it
    post_step(client, page, "1", STEP_2_HOUSED)
    post_step(client, page, "3", {"3-consent": "on"})
    post_step(client, page, "review", {})
    assert Submission.objects.get().answers["first_name"] == "Awa"
    # Once sent, the page offers a blank form again.
    fresh = soup(client.get(page.url))
    assert fresh.select_one(".step-counter").get_text() == "Étape 1 sur 4"
    assert fresh.select_one("#id_0-first_name").get("value") is None


def test_start_over_clears_the_answers_for_the_next_person(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    step_2 = soup(client.get(page.url))
    button = step_2.select_one(".start-over button")
    # Not a link: a browser prefetching the address clears nothing.
    prefetched = soup(client.get(page.url, {button["name"]: "1"}))
    assert prefetched.select_one(".step-counter").get_text() == "Étape 2 sur 4"
    cleared = client.post(page.url, {button["name"]: button["value"]})
    assert cleared.status_code == 302 and cleared["Location"] == page.url
    blank = soup(client.get(page.url))
    assert blank.select_one(".step-counter").get_text() == "Étape 1 sur 4"
    assert blank.select_one("#id_0-first_name").get("value") is None
    assert blank.select_one(".start-over") is None


def test_the_review_gives_a_measure_with_its_unit():
    page = IntakeFormPageFactory(
        form_definition__fields=[
            field("number", "Reste à vivre par jour", "rav", unit="€"),
            field("number", "Personnes au foyer", "foyer", whole=True),
        ]
    )
    client = Client()
    client.get(page.url)
    review = soup(post_step(client, page, "0", {"0-rav": "3,5", "0-foyer": "3"}))
    rows = [" ".join(r.get_text().split()) for r in review.select(".review__row")]
    assert rows == ["Reste à vivre par jour 3,5 €", "Personnes au foyer 3"]


def test_back_from_an_older_page_leaves_the_current_step_alone(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    post_step(client, page, "1", STEP_2_HOUSED)
    back = {f"intake_{page.pk}-current_step": "3", "wizard_goto_step": "1"}
    client.post(page.url, {**back, "3-consent": "on"})  # back, consent typed
    post_step(client, page, "1", STEP_2_HOUSED)  # on to the consent again
    # Another tab still shows step 2: its Back must not overwrite the consent.
    client.post(
        page.url,
        {
            f"intake_{page.pk}-current_step": "1",
            "wizard_goto_step": "0",
            **STEP_2_HOMELESS,
        },
    )
    stored = client.session[f"wizard_intake_{page.pk}"]["step_data"]
    assert stored["3"]["3-consent"] == ["on"]
    assert stored["1"]["1-housing"] == ["Locataire"]


def test_a_new_purpose_asks_for_consent_again(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    post_step(client, page, "1", STEP_2_HOUSED)
    post_step(client, page, "3", {"3-consent": "on"})  # on the review
    definition = page.form_definition
    fields = definition.fields.raw_data
    consent = next(f for f in fields if f["type"] == "consent")
    consent["value"]["purpose"] = "Vos réponses sont transmises à nos partenaires."
    definition.fields = fields
    definition.save_revision().publish()
    response = soup(post_step(client, page, "review", {}))
    assert response.select_one(".step-counter").get_text() == "Étape 3 sur 4"
    assert "partenaires" in response.get_text()
    assert Submission.objects.count() == 0


def test_a_file_sent_before_a_new_version_is_kept(client):
    page = IntakeFormPageFactory(
        form_definition__fields=[
            step("A"),
            field("short_text", "Prénom", "prenom"),
            field("file", "Justificatif", "justificatif", required=False),
            step("B"),
            field("short_text", "Ville", "ville"),
        ]
    )
    client.get(page.url)
    post_step(
        client,
        page,
        "0",
        {"0-prenom": "Awa", "0-justificatif": SimpleUploadedFile("avis.pdf", PDF)},
    )
    definition = page.form_definition
    fields = definition.fields.raw_data
    fields[-1]["value"]["label"] = "Votre ville"
    definition.fields = fields
    definition.save_revision().publish()
    post_step(client, page, "1", {"1-ville": "Brest"})
    post_step(client, page, "review", {})
    submission = Submission.objects.get()
    assert submission.answers["justificatif"]["file"].endswith("avis.pdf")
    assert submission.files.count() == 1


def test_a_file_sent_with_the_page_that_meets_a_new_version_is_kept(client):
    page = IntakeFormPageFactory(
        form_definition__fields=[
            step("A"),
            field("short_text", "Prénom", "prenom"),
            field("file", "Justificatif", "justificatif"),
            step("B"),
            field("short_text", "Ville", "ville"),
        ]
    )
    client.get(page.url)
    definition = page.form_definition
    fields = definition.fields.raw_data
    fields[1]["value"]["label"] = "Votre prénom"
    definition.fields = fields
    definition.save_revision().publish()
    response = post_step(
        client,
        page,
        "0",
        {"0-prenom": "Awa", "0-justificatif": SimpleUploadedFile("avis.pdf", PDF)},
    )
    # The name and the file are kept: the person goes on to the next step.
    assert soup(response).select_one(".step-counter").get_text() == "Étape 2 sur 3"
    post_step(client, page, "1", {"1-ville": "Brest"})
    post_step(client, page, "review", {})
    submission = Submission.objects.get()
    assert submission.answers["prenom"] == "Awa"
    assert submission.answers["justificatif"]["file"].endswith("avis.pdf")
    assert submission.files.count() == 1


def test_a_quebec_form_asks_for_a_quebec_number(client):
    page = IntakeFormPageFactory(
        form_definition__fields=[
            field("phone", "Téléphone", "telephone", country="CA"),
        ]
    )
    client.get(page.url)
    response = soup(post_step(client, page, "0", {"0-telephone": "06 12 34 56 78"}))
    error = response.select_one("#id_0-telephone-error").get_text()
    assert "(819) 555-0123" in error
    assert "06 12" not in error
    post_step(client, page, "0", {"0-telephone": "418 555-0199"})
    post_step(client, page, "review", {})
    assert Submission.objects.get().answers["telephone"] == "4185550199"


def test_answers_do_not_wait_for_the_next_person(client, page):
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    session = client.session
    wizard = session[f"wizard_intake_{page.pk}"]
    wizard["extra_data"]["touched"] -= 31 * 60  # left half an hour ago
    session.save()
    fresh = soup(client.get(page.url))
    assert fresh.select_one(".step-counter").get_text() == "Étape 1 sur 4"
    assert fresh.select_one("#id_0-first_name").get("value") is None


def test_staff_entering_requests_start_each_one_blank(client, page):
    client.force_login(member_of(page.territory, TerritoryRole.INTERVENTION))
    client.get(page.url)
    post_step(client, page, "0", STEP_1)
    fresh = soup(client.get(page.url))  # the next caller
    assert fresh.select_one(".step-counter").get_text() == "Étape 1 sur 4"


def test_numbers_written_with_spaces_between_thousands_are_read(client):
    # "1 200" as people write it in French, with a plain, a non-breaking or
    # a narrow space.
    page = IntakeFormPageFactory(
        form_definition__fields=[
            field("number", "Revenu mensuel", "revenu", unit="€"),
            field("number", "Kilos donnés", "kilos", whole=True),
            field("number", "Repas", "repas", whole=True),
        ]
    )
    client.get(page.url)
    response = post_step(
        client,
        page,
        "0",
        {"0-revenu": "1 200,50", "0-kilos": "12\u00a0000", "0-repas": "1\u202f500"},
    )
    assert soup(response).select_one("#error-summary") is None
    post_step(client, page, "review", {})
    answers = Submission.objects.get().answers
    assert float(answers["revenu"]) == 1200.5
    assert answers["kilos"] == 12000
    assert answers["repas"] == 1500
