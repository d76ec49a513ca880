"""The small chart of an indicator's values: drawn from two values on."""

from datetime import date
from decimal import Decimal

from content.charts import HEIGHT, WIDTH, line_chart


def test_no_chart_for_one_value_or_none():
    assert line_chart([]) is None
    assert line_chart([(date(2026, 1, 1), Decimal(3))]) is None


def test_values_spread_over_the_days_with_the_target_as_a_line():
    chart = line_chart(
        [
            (date(2026, 1, 1), Decimal(0)),
            (date(2026, 1, 11), Decimal(5)),
            (date(2026, 1, 21), Decimal(10)),
        ],
        target=Decimal(10),
    )
    xs = [dot["x"] for dot in chart["dots"]]
    ys = [dot["y"] for dot in chart["dots"]]
    assert xs[0] < xs[1] < xs[2] <= WIDTH
    assert xs[1] - xs[0] == xs[2] - xs[1]  # ten days each
    assert ys[0] > ys[1] > ys[2] >= 0  # higher values drawn higher
    assert chart["target_y"] == ys[2]  # the last value reached the target
    assert ys[0] < HEIGHT
