"""Cells of the files people open in a spreadsheet (CSV and XLSX exports).

What a person typed must never run as a formula: spreadsheets run a cell
that starts with =, +, -, @, a tab or a carriage return, so such a text is
kept as text behind an apostrophe. Numbers and phone numbers ("+33 6 12 34
56 78", "-4") stay as they are.
"""

import re
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_LIKE = re.compile(r"^[+-]?[\d\s().,]+$")


def cell_as_text(value: Any) -> Any:
    """One cell, defused when a spreadsheet would run it."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not NUMBER_LIKE.match(value)
    ):
        return "'" + value
    return value


def frame_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of a frame defused, column by column (an export calls
    it on thousands of rows at a time)."""
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if column.dtype != object and not pd.api.types.is_string_dtype(column):
            continue
        risky = column.str.startswith(FORMULA_STARTS, na=False) & ~column.str.match(
            NUMBER_LIKE, na=False
        )
        mask = risky.fillna(False).to_numpy(dtype=bool)
        if mask.any():
            frame.iloc[mask, position] = ("'" + column[mask]).to_numpy()
    return frame
