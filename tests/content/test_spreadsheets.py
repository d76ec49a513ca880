"""Texts written to exports never run as formulas; numbers stay numbers."""

import pandas as pd
import pytest

from content.spreadsheets import cell_as_text, frame_as_text

RISKY = ["=HYPERLINK(1)", "+SUM(A1)", "-2+3*cmd", "@SUM(A1)", "\t=1", "\r=1"]
KEPT = ["+33 6 12 34 56 78", "-4", "-12,5", "(418) 555-0101", "Awa", "", "1-2 rue"]


@pytest.mark.parametrize("text", RISKY)
def test_a_formula_is_kept_as_text(text):
    assert cell_as_text(text) == "'" + text


@pytest.mark.parametrize("text", KEPT)
def test_numbers_phones_and_words_stay_as_they_are(text):
    assert cell_as_text(text) == text


def test_a_frame_is_defused_column_by_column_the_same_way():
    frame = pd.DataFrame({"a": RISKY, "b": KEPT[: len(RISKY)], "n": range(6)})
    defused = frame_as_text(frame.copy())
    assert defused["a"].tolist() == [cell_as_text(text) for text in RISKY]
    assert defused["b"].tolist() == KEPT[: len(RISKY)]
    assert defused["n"].tolist() == list(range(6))
