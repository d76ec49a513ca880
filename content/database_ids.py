"""Ids that come from a request (an address, a filter, a form) before they
reach a query.

SQLite refuses a number above 2**63 - 1 with an error instead of answering
"no such row", and Django's guard against that covers a model's own id, not
a foreign key or a list of ids. Such a number names nothing: the views treat
it as not found.
"""

LARGEST_ID = 2**63 - 1


def is_storable_id(value: int) -> bool:
    """Whether a row could have this id."""
    return 0 < value <= LARGEST_ID


def as_storable_id(value) -> int | None:
    """The id a request names ("12"), or None when no row can have it: "abc",
    "²" (a digit to Python, not to a database) or a number beyond LARGEST_ID."""
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if is_storable_id(number) else None
