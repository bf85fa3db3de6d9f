"""The student's grade page in words: every step of the calculation, with the
numbers that went into it, so a total is never a mystery."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from grading.domain import calculation as calc
from grading.domain.text import percent_text, points_text

if TYPE_CHECKING:
    from grading.models import GradeItem, Score

MAX_TERMS = 8  # past this many items a formula shows only the sums


@dataclass(frozen=True)
class ItemLine:
    item: GradeItem
    score: Score | None
    result: calc.ItemResult

    @property
    def status(self) -> str:
        return self.result.status.value

    @property
    def earned_text(self) -> str:
        return points_text(self.result.earned)


@dataclass(frozen=True)
class ComponentExplanation:
    result: calc.ComponentResult
    lines: list[ItemLine]
    formula: str
    dropped: str

    @property
    def component(self) -> calc.Component:
        return self.result.component

    @property
    def percentage(self) -> str:
        return percent_text(self.result.percentage)

    @property
    def share(self) -> str:
        return percent_text(self.result.share)


@dataclass(frozen=True)
class Explanation:
    grade: calc.CourseGrade
    components: list[ComponentExplanation]
    weights: str
    total: str
    letter: str

    @property
    def percentage(self) -> str:
        return percent_text(self.grade.percentage)


def _component_formula(result: calc.ComponentResult) -> str:
    kept = [r for r in result.items if r.counted]
    if not kept:
        return "Nothing graded here yet, so this component does not count yet."
    pct = percent_text(result.percentage)
    if result.component.weighting == calc.Weighting.EQUAL:
        terms = [percent_text(calc.HUNDRED * r.earned / r.item.points_possible) + "%" for r in kept]
        if len(terms) > MAX_TERMS:
            return f"Each item counts equally: the mean of {len(terms)} item percentages = {pct}%."
        return f"Each item counts equally: mean of {', '.join(terms)} = {pct}%."
    earned = sum((r.earned for r in kept), Decimal(0))
    possible = sum((r.item.points_possible for r in kept), Decimal(0))
    sums = f"{points_text(earned)} / {points_text(possible)}"
    if 1 < len(kept) <= MAX_TERMS:
        top = " + ".join(points_text(r.earned) for r in kept)
        bottom = " + ".join(points_text(r.item.points_possible) for r in kept)
        return f"By points: ({top}) / ({bottom}) = {sums} = {pct}%."
    return f"By points: {sums} = {pct}%."


def _dropped_sentence(result: calc.ComponentResult, titles: dict[int, str]) -> str:
    dropped = result.dropped
    if not dropped:
        if result.component.drop_lowest:
            return (
                f"Up to {result.component.drop_lowest} item(s) can be dropped, but the last "
                "graded item never is; nothing is dropped yet."
            )
        return ""
    names = ", ".join(
        f"{titles[r.item.id]} ({points_text(r.earned)}/{points_text(r.item.points_possible)})"
        for r in dropped
    )
    return (
        f"Dropped: {names}. This component drops {result.component.drop_lowest} "
        "graded item(s), the ones whose removal raises your percentage most (of items "
        "that tie, the later ones)."
    )


def explain(
    grade: calc.CourseGrade,
    scores: dict[int, Score],
    items: Sequence[GradeItem],
    scale: Sequence[tuple[str, Decimal]],
) -> Explanation:
    by_id = {item.pk: item for item in items}
    titles = {item.pk: item.title for item in items}
    components = [
        ComponentExplanation(
            result=result,
            lines=[ItemLine(by_id[r.item.id], scores.get(r.item.id), r) for r in result.items],
            formula=_component_formula(result),
            dropped=_dropped_sentence(result, titles),
        )
        for result in grade.components
    ]
    graded = [c for c in grade.components if c.percentage is not None]
    if not graded:
        return Explanation(
            grade,
            components,
            "No component has a graded item yet, so there is no total yet.",
            "",
            "",
        )
    weight = points_text(grade.graded_weight)
    shares = "; ".join(
        f"{c.component.name} {points_text(c.component.weight)} / {weight} = "
        f"{percent_text(c.share)}%"
        for c in graded
    )
    if len(graded) == len(grade.components) and grade.graded_weight == calc.HUNDRED:
        weights = f"Every component has something graded, so the weights count as set: {shares}."
    else:
        weights = (
            "Only components with something graded count, so their weights are scaled to add "
            f"up to 100: {' + '.join(points_text(c.component.weight) for c in graded)} = "
            f"{weight}; {shares}."
        )
    total = (
        " + ".join(f"{percent_text(c.share)}% × {percent_text(c.percentage)}%" for c in graded)
        + f" = {percent_text(grade.percentage)}% (computed from the unrounded numbers)."
    )
    letter = _letter_sentence(grade, scale)
    return Explanation(grade, components, weights, total, letter)


def _letter_sentence(grade: calc.CourseGrade, scale: Sequence[tuple[str, Decimal]]) -> str:
    shown = percent_text(grade.percentage)
    if grade.letter is None:
        return f"{shown}% is below every cut-off of the course's letter scale, so no letter."
    cutoff = next(value for letter, value in scale if letter == grade.letter)
    above = sorted(value for _, value in scale if value > cutoff)
    band = f"from {points_text(cutoff)}%" + (f" up to {points_text(above[0])}%" if above else "")
    return f"{shown}% is in the {grade.letter} band ({band}), so the letter is {grade.letter}."
