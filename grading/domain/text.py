"""Numbers and marks as people write them, for pages and CSV files alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from grading.domain import calculation as calc


class _Marked(Protocol):
    points: Decimal | None
    excused: bool


def points_text(points: Decimal | None) -> str:
    """Points as people write them: 8.5, 10, 0.25 (never 10.00 or 1E+1)."""
    if points is None:
        return ""
    text = f"{points.normalize():f}"
    return text


def mark_text(score: _Marked | None) -> str:
    """A cell as the gradebook and its CSV show it: points, EX, or empty."""
    if score is None:
        return ""
    if score.excused:
        return "EX"
    return points_text(score.points)


def percent_text(value: Decimal | None) -> str:
    return "" if value is None else f"{calc.rounded(value):f}"
