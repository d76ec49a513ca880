"""Geometry of the small inline SVG charts of indicator values (no JavaScript)."""

from datetime import date
from decimal import Decimal

WIDTH = 320
HEIGHT = 120
PADDING = 8


def line_chart(
    points: list[tuple[date, Decimal]], target: Decimal | None = None
) -> dict | None:
    """Coordinates for a line of values over time, with the target as a line.

    None under two values: one dot says nothing the figure above it does not.
    The same figures are always given in a table beside the chart, which is
    only a picture of them.
    """
    if len(points) < 2:
        return None
    values = [float(value) for _day, value in points]
    top = max([*values, float(target or 0), 1.0])
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return PADDING + (day - first).days / span * (WIDTH - 2 * PADDING)

    def y(value: float) -> float:
        return HEIGHT - PADDING - value / top * (HEIGHT - 2 * PADDING)

    dots = [
        {"x": round(x(day), 1), "y": round(y(value), 1)}
        for (day, _v), value in zip(points, values, strict=True)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "line": " ".join(f"{dot['x']},{dot['y']}" for dot in dots),
        "dots": dots,
        "target_y": round(y(float(target)), 1) if target is not None else None,
    }
