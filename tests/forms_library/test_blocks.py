"""Edit-time checks of a form's fields, and the conditions themselves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.blocks import StreamBlockValidationError

from content.dates import long_date
from forms_library.blocks import FormFieldsBlock
from forms_library.conditions import is_shown, rule_matches
from forms_library.forms import build_field
from forms_library.validators import (
    normalise_phone,
    phone_display,
    validate_canadian_postal_code,
    validate_french_postal_code,
    validate_phone,
)
from tests.forms_library.factories import field, rule, step, three_step_fields


def clean(raw: list[dict]):
    block = FormFieldsBlock()
    return block.clean(block.to_python(raw))


def block_errors(raw: list[dict]) -> dict[int, dict[str, str]]:
    with pytest.raises(StreamBlockValidationError) as caught:
        clean(raw)
    return {
        index: {name: " ".join(e.messages) for name, e in error.block_errors.items()}
        for index, error in caught.value.block_errors.items()
    }


def test_a_valid_form_passes_and_names_come_from_labels():
    raw = three_step_fields()
    raw.append(field("short_text", "Nom de la structure", ""))
    value = clean(raw)
    assert value[-1].value["name"] == "nom_de_la_structure"


def test_duplicate_names_are_pointed_at_the_second_field():
    errors = block_errors(
        [field("short_text", "Nom", "nom"), field("email", "Courriel", "nom")]
    )
    assert list(errors) == [1]
    assert "nom" in errors[1]["name"]


def test_a_condition_on_a_later_or_unknown_field_is_refused():
    errors = block_errors(
        [
            field("short_text", "A", "a", show_if=rule("b", "equals", "x")),
            field("short_text", "B", "b"),
            step("Suite", show_if=rule("inconnu", "is_checked")),
        ]
    )
    assert "b" in errors[0]["show_if"]
    assert "inconnu" in errors[2]["show_if"]


def test_a_choice_field_needs_choices():
    errors = block_errors([field("single_choice", "Logement", "logement", choices=[])])
    assert "choix" in errors[0]["choices"] or "choice" in errors[0]["choices"]


def test_a_form_needs_something_to_answer():
    with pytest.raises(StreamBlockValidationError) as caught:
        clean([step("Vide")])
    assert caught.value.non_block_errors


@pytest.mark.parametrize(
    ("operator", "expected", "answers", "shown"),
    [
        ("equals", "yes", {"q": "yes"}, True),
        ("equals", "yes", {"q": "no"}, False),
        ("not_equals", "yes", {"q": "no"}, True),
        ("one_of", "a|b", {"q": ["c", "b"]}, True),
        ("one_of", "a|b", {"q": "c"}, False),
        ("is_checked", "", {"q": True}, True),
        ("is_checked", "", {"q": False}, False),
        ("greater_than", "2", {"q": "3"}, True),
        ("greater_than", "2", {"q": "1,5"}, False),
        ("less_than", "2", {"q": "1,5"}, True),
        ("less_than", "2", {"q": None}, False),
    ],
)
def test_rules(operator, expected, answers, shown):
    assert (
        rule_matches({"field": "q", "operator": operator, "value": expected}, answers)
        is shown
    )


def test_all_and_any():
    rules = [
        {"field": "a", "operator": "equals", "value": "1"},
        {"field": "b", "operator": "equals", "value": "1"},
    ]
    answers = {"a": "1", "b": "2"}
    assert is_shown({"match": "any", "rules": rules}, answers)
    assert not is_shown({"match": "all", "rules": rules}, answers)
    assert is_shown({"match": "all", "rules": []}, answers)


@pytest.mark.parametrize(
    "number",
    [
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 (0)1 23 45 67 89",
        "+262 692 12 34 56",
        "0692 12 34 56",
        "+596 696 12 34 56",
        "(819) 555-0123",
        "819.555.0123",
    ],
)
def test_french_and_canadian_phone_numbers(number):
    validate_phone(number)
    validate_phone(number, "CA" if "819" in number else "FR")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("0612345678", "06 12 34 56 78"),
        ("+33612345678", "+33 6 12 34 56 78"),
        ("+262692123456", "+262 692 12 34 56"),
        ("8195550123", "(819) 555-0123"),
        ("18195550123", "+1 (819) 555-0123"),
        ("12345", "12345"),  # an older revision's answer: shown as sent
    ],
)
def test_a_phone_number_reads_as_people_write_it(stored, shown):
    assert phone_display(stored) == shown


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("+33 06 12 34 56 78", "+33612345678"),
        ("+330612345678", "+33612345678"),
        ("0033 0612345678", "0033612345678"),
        ("+262 0692 12 34 56", "+262692123456"),
    ],
)
def test_the_zero_after_the_country_code_is_not_kept(typed, kept):
    assert normalise_phone(typed) == kept
    validate_phone(typed, "FR")


@pytest.mark.parametrize(
    "number",
    ["12", "00 00 00 00 00", "555-0123", "abc", "+262 (0)6 12", "+44 20 7946 0958"],
)
def test_bad_phone_numbers(number):
    with pytest.raises(ValidationError):
        validate_phone(number)


def test_a_phone_number_of_the_forms_country():
    validate_phone("(819) 555-0123", country="CA")
    validate_phone("06 12 34 56 78", country="FR")
    with pytest.raises(ValidationError) as refused:
        validate_phone("06 12 34 56 78", country="CA")
    # The example given is the one the person's country writes.
    assert "(819) 555-0123" in refused.value.messages[0]
    assert "06 12" not in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        validate_phone("(819) 555-0123", country="FR")
    assert "06 12 34 56 78" in refused.value.messages[0]
    assert "819" not in refused.value.messages[0]


def test_postal_codes():
    validate_french_postal_code("29200")
    validate_french_postal_code("20000")  # Ajaccio
    validate_canadian_postal_code("j1h 5n4")
    for bad in ("2920", "99999", "ABCDE", "2A004"):
        with pytest.raises(ValidationError):
            validate_french_postal_code(bad)
    with pytest.raises(ValidationError):
        validate_canadian_postal_code("J1H5N")


def test_names_made_from_labels_start_with_a_letter():
    value = clean([field("short_text", "2e enfant", "")])
    assert value[0].value["name"] == "f_2e_enfant"


@pytest.mark.parametrize(
    ("country", "typed", "kept"),
    [
        ("CA", "j0k1a0", "J0K 1A0"),
        ("CA", " J0K 1a0 ", "J0K 1A0"),
        ("FR", "29 200", "29200"),
    ],
)
def test_a_postal_code_is_kept_as_the_post_writes_it(country, typed, kept):
    postal = build_field(
        "postal_code",
        {"label": "Code postal", "required": True, "country": country},
        conditional=False,
    )
    assert postal.clean(typed) == kept


def test_a_date_question_whose_latest_date_is_before_its_earliest_is_refused():
    errors = block_errors(
        [
            field(
                "date",
                "Date de retrait",
                "retrait",
                min_date="2027-01-10",
                max_date="2027-01-01",
            )
        ]
    )
    assert errors[0] == {
        "max_date": "La date au plus tard précède la date au plus tôt."
    }


@pytest.mark.parametrize(
    ("question", "operator", "value", "problem"),
    [
        (
            field("single_choice", "Situation", "situation", choices=["Autre"]),
            "equals",
            "Autr",
            "« Autr » n'est pas un choix de « Situation »",
        ),
        (
            field("multiple_choice", "Besoins", "besoins", choices=["Fruits", "Lait"]),
            "one_of",
            "Fruits|Pain",
            "« Pain » n'est pas un choix de « Besoins »",
        ),
        (
            field("single_choice", "Situation", "situation", choices=["Autre"]),
            "greater_than",
            "5",
            "« Situation » n'est pas un nombre",
        ),
        (
            field("number", "Adultes", "adultes"),
            "greater_than",
            "deux",
            "Écrivez un nombre",
        ),
        (
            field("short_text", "Commune", "commune"),
            "is_checked",
            "",
            "« Commune » n'en est pas une",
        ),
        (
            field("yes_no", "Enfants ?", "enfants"),
            "equals",
            "oui",
            "choisissez « est coché / oui »",
        ),
        (
            field("short_text", "Commune", "commune"),
            "equals",
            "",
            "Écrivez la réponse à « Commune »",
        ),
    ],
)
def test_a_rule_that_could_never_hold_is_pointed_at(question, operator, value, problem):
    shown_if = rule(question["value"]["name"], operator, value)
    errors = block_errors(
        [question, field("short_text", "Précisez", "precisez", show_if=shown_if)]
    )
    # French puts non-breaking spaces inside « »; the words are what matters.
    assert problem in errors[1]["show_if"].replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("question", "operator", "value"),
    [
        (
            field("single_choice", "Situation", "s", choices=["Autre"]),
            "equals",
            "Autre",
        ),
        (field("multiple_choice", "B", "b", choices=["x", "y"]), "one_of", "x | y"),
        (field("number", "Adultes", "adultes"), "less_than", "2,5"),
        (field("yes_no", "Enfants ?", "enfants"), "is_checked", ""),
        (field("yes_no", "Enfants ?", "enfants"), "not_equals", "yes"),
        (field("short_text", "Commune", "commune"), "equals", "Brest"),
        (field("short_text", "Commune", "commune"), "not_equals", ""),
        (field("single_choice", "S", "s", choices=["a", "b"]), "one_of", "a|b|"),
    ],
)
def test_a_sound_rule_passes(question, operator, value):
    shown_if = rule(question["value"]["name"], operator, value)
    clean([question, field("short_text", "Précisez", "precisez", show_if=shown_if)])


def test_a_count_takes_whole_numbers_and_a_measure_takes_decimals():
    count = build_field(
        "number",
        {"label": "Adultes", "required": True, "whole": True, "min_value": 1},
        conditional=False,
    )
    assert count.clean("2") == 2
    with pytest.raises(ValidationError):
        count.clean("1,5")
    weight = build_field(
        "number", {"label": "Poids", "required": True, "unit": "kg"}, conditional=False
    )
    assert str(weight.clean("1,5")) == "1.5"


def test_a_date_out_of_its_limits_says_them_as_people_write_dates():
    meeting = build_field(
        "date",
        {
            "label": "Rendez-vous",
            "required": True,
            "min_date": datetime.date(2026, 12, 1),
            "max_date": datetime.date(2026, 12, 31),
        },
        conditional=False,
    )
    with pytest.raises(ValidationError) as early:
        meeting.clean("2026-11-30")
    assert early.value.messages == ["Saisissez une date à partir du 1er décembre 2026."]
    with pytest.raises(ValidationError) as late:
        meeting.clean("2027-01-01")
    assert late.value.messages == ["Saisissez une date jusqu'au 31 décembre 2026."]


@pytest.mark.parametrize(
    "period, fixed, earliest, latest",
    [
        # "Not in the future": today is the latest day, or an earlier limit.
        ("past", {}, None, "2026-12-03"),
        ("past", {"max_date": datetime.date(2026, 6, 30)}, None, "2026-06-30"),
        ("past", {"min_date": datetime.date(2026, 1, 1)}, "2026-01-01", "2026-12-03"),
        # "Not in the past": today is the earliest day, or a later limit.
        ("future", {}, "2026-12-03", None),
        ("future", {"min_date": datetime.date(2027, 1, 4)}, "2027-01-04", None),
        ("any", {}, None, None),
    ],
)
def test_a_date_question_counts_its_period_from_the_day_it_is_answered(
    period, fixed, earliest, latest
):
    pickup = build_field(
        "date",
        {"label": "Retrait", "required": True, "period": period, **fixed},
        conditional=False,
        today=datetime.date(2026, 12, 3),
    )
    attrs = pickup.widget.attrs
    assert (attrs.get("min"), attrs.get("max")) == (earliest, latest)
    day = datetime.timedelta(days=1)
    if latest:
        last = datetime.date.fromisoformat(latest)
        assert pickup.clean(latest) == last
        with pytest.raises(ValidationError) as late:
            pickup.clean((last + day).isoformat())
        assert late.value.messages == [
            f"Saisissez une date jusqu'au {long_date(last)}."
        ]
    if earliest:
        first = datetime.date.fromisoformat(earliest)
        assert pickup.clean(earliest) == first
        with pytest.raises(ValidationError):
            pickup.clean((first - day).isoformat())
    if not (earliest or latest):
        assert pickup.clean("1999-05-05") == datetime.date(1999, 5, 5)


def test_a_date_question_saved_before_periods_takes_any_date():
    donation = build_field(
        "date",
        {"label": "Don", "required": True},
        conditional=False,
        today=datetime.date(2026, 12, 3),
    )
    assert donation.clean("2030-01-01") == datetime.date(2030, 1, 1)


def test_a_number_limit_fits_an_answer_the_public_form_can_take():
    # A maximum of 10^40 would make the question impossible to answer: the
    # public field takes 10 digits before the decimal point and 4 after.
    errors = block_errors(
        [field("number", "Revenus", "revenus", min_value="1e40", max_value="1e41")]
    )
    assert set(errors[0]) == {"min_value", "max_value"}
    clean([field("number", "Revenus", "revenus", max_value="9999999999.9999")])


@pytest.mark.parametrize(
    ("period", "limits", "faulty", "message"),
    [
        (
            "past",
            {"min_date": "2999-01-01"},
            "min_date",
            "This earliest date is after today",
        ),
        (
            "future",
            {"max_date": "2001-01-01"},
            "max_date",
            "This latest date is past",
        ),
    ],
)
def test_a_date_limit_that_leaves_no_day_in_the_period_is_pointed_at(
    period, limits, faulty, message
):
    # Taken only "today or earlier" from the year 2999: no day could ever be
    # answered, and a required question would stop every resident. (Read in
    # English: the French is in the catalogue's next refresh.)
    with translation.override("en"):
        errors = block_errors(
            [field("date", "Date du don", "date_don", period=period, **limits)]
        )
    assert list(errors[0]) == [faulty]
    assert errors[0][faulty].startswith(message)


def test_a_date_limit_inside_the_period_passes():
    clean(
        [
            field(
                "date", "Naissance", "naissance", period="past", min_date="1900-01-01"
            ),
            field("date", "Rendez-vous", "rdv", period="future", max_date="2999-01-01"),
        ]
    )


@pytest.mark.parametrize(
    ("raw", "empty"),
    [
        # Two breaks in a row: the first opens a step with nothing on it.
        ([step("Vous"), step("Logement"), field("short_text", "Nom", "nom")], 0),
        # A break left at the end: a last step with nothing on it.
        ([field("short_text", "Nom", "nom"), step("Fin")], 1),
    ],
)
def test_a_step_break_with_nothing_after_it_is_pointed_at(raw, empty):
    with translation.override("en"):
        errors = block_errors(raw)
    assert list(errors) == [empty]
    assert errors[empty] == {
        "title": "Nothing follows this step break: add questions or a text after "
        "it, or remove it."
    }


def test_a_step_of_text_alone_passes():
    clean(
        [
            step("Avant de commencer"),
            {
                "type": "information",
                "value": {"text": "<p>Dix minutes.</p>", "show_if": {"rules": []}},
            },
            step("Vous"),
            field("short_text", "Nom", "nom"),
        ]
    )
