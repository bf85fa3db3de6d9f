"""The course grade, as pure functions over plain data.

This module is the rule of the design document, and nothing else: no ORM, no
dates from the clock, no rounding until display. Callers turn rows into the
small frozen dataclasses below; pages and the CSV export show what comes back.

1. An item counts when it has a score, is not excused and, in a student's own
   view, is released. Projected mode also counts every unexcused item whose
   due date has passed and that has no score, as 0.
2. A component's percentage is 100 x earned / possible over its counted items
   (weighting by points) or the mean of 100 x earned / possible (equal
   weighting). ``drop_lowest = k`` drops the k counted items whose removal
   gives the highest percentage, but never the last counted item.
3. The course percentage is sum(weight x pct) / sum(weight) over the
   components that have a percentage.
4. The letter is the highest cut-off at or below the percentage rounded half
   up to two decimals.

Inputs are Decimals (as stored); percentages are exact rationals (Fraction),
rounded half up to two decimals once, for display and for the letter. A
28-digit Decimal would round an exact 69.995 computed through 1/3-like steps to
69.99499…, and then to 69.99 and the wrong letter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

DEFAULT_LETTER_SCALE: tuple[tuple[str, Decimal], ...] = (
    ("A", Decimal(94)),
    ("A-", Decimal(90)),
    ("B+", Decimal(87)),
    ("B", Decimal(84)),
    ("B-", Decimal(80)),
    ("C+", Decimal(77)),
    ("C", Decimal(74)),
    ("C-", Decimal(70)),
    ("D+", Decimal(67)),
    ("D", Decimal(64)),
    ("D-", Decimal(61)),
    ("F", Decimal(0)),
)


class Weighting(StrEnum):
    POINTS = "points"
    EQUAL = "equal"


class Status(StrEnum):
    """Why an item does or does not count for one student."""

    SCORED = "scored"  # has points: counts
    MISSING = "missing"  # projected only: past due without a score, counts as 0
    UNGRADED = "ungraded"  # no score yet: does not count
    EXCUSED = "excused"  # never counts
    UNRELEASED = "unreleased"  # student's view of an unreleased item: does not count


@dataclass(frozen=True)
class Item:
    id: int
    component_id: int
    points_possible: Decimal
    released: bool = True
    past_due: bool = False


@dataclass(frozen=True)
class Mark:
    """One student's score on one item: points (None when empty) or excused."""

    points: Decimal | None = None
    excused: bool = False


@dataclass(frozen=True)
class Component:
    id: int
    name: str
    weight: Decimal
    drop_lowest: int = 0
    weighting: Weighting = Weighting.POINTS
    is_participation: bool = False  # where a polls-answered record is shown; not graded


@dataclass(frozen=True)
class ItemResult:
    item: Item
    status: Status
    earned: Decimal | None  # what counts: the points, 0 when missing, None otherwise
    dropped: bool = False

    @property
    def counted(self) -> bool:
        return self.earned is not None and not self.dropped


@dataclass(frozen=True)
class ComponentResult:
    component: Component
    items: tuple[ItemResult, ...]
    percentage: Fraction | None
    share: Fraction | None = None  # renormalized weight in percent, when it counts

    @property
    def dropped(self) -> tuple[ItemResult, ...]:
        return tuple(result for result in self.items if result.dropped)


@dataclass(frozen=True)
class CourseGrade:
    components: tuple[ComponentResult, ...]
    percentage: Fraction | None
    letter: str | None
    graded_weight: Decimal = field(default=Decimal(0))  # sum of weights that counted


def item_result(
    item: Item, mark: Mark | None, *, projected: bool, student_view: bool
) -> ItemResult:
    """Rule 1 for one item."""
    if student_view and not item.released:
        return ItemResult(item, Status.UNRELEASED, None)
    if mark is not None and mark.excused:
        return ItemResult(item, Status.EXCUSED, None)
    if mark is not None and mark.points is not None:
        return ItemResult(item, Status.SCORED, mark.points)
    if projected and item.past_due:
        return ItemResult(item, Status.MISSING, Decimal(0))
    return ItemResult(item, Status.UNGRADED, None)


def kept_after_drop(
    counted: Sequence[ItemResult], drop_lowest: int, weighting: Weighting
) -> list[ItemResult]:
    """The counted items left after dropping ``drop_lowest`` of them so that the
    percentage is as high as it can be (rule 2); at least one item is kept.

    With equal weighting that is simply dropping the lowest ratios. By points
    it is not (a 0/1 quiz hurts less than 5/10 when the rest score 10/10), so
    we maximize earned/possible over the subsets of the kept size exactly, by
    Dinkelbach's iteration: starting from q = the ratio of all counted items,
    choose the items with the largest ``earned - q * possible``; if their ratio
    beats q, it becomes q and we choose again. Each step strictly raises q, so
    it ends, and at the end no subset does better (its ``sum(earned - q *
    possible)`` would be positive). All of it in integers, so it is exact.
    """
    keep = max(1, len(counted) - max(0, drop_lowest))
    if keep >= len(counted):
        return list(counted)
    # Points as integers over one common power of ten: exact, and fast to compare.
    places = max(
        max(0, -r.earned.as_tuple().exponent, -r.item.points_possible.as_tuple().exponent)
        for r in counted
    )
    scale = 10**places
    entries = [
        (int(r.earned * scale), int(r.item.points_possible * scale), -n, r)
        for n, r in enumerate(counted)
    ]

    def top(key) -> list[tuple]:
        # Ties keep the earlier item (-n sorts it first), so the choice is reproducible.
        return sorted(entries, key=lambda e: (key(e), e[2]), reverse=True)[:keep]

    if weighting == Weighting.EQUAL:
        chosen = top(lambda e: Fraction(e[0], e[1]))
    else:
        q_num = sum(e[0] for e in entries)
        q_den = sum(e[1] for e in entries)
        while True:
            chosen = top(lambda e, a=q_num, b=q_den: e[0] * b - a * e[1])
            num, den = sum(e[0] for e in chosen), sum(e[1] for e in chosen)
            if num * q_den <= q_num * den:  # no better than q: q is the best there is
                break
            q_num, q_den = num, den
    kept = {id(e[3]) for e in chosen}
    return [r for r in counted if id(r) in kept]


def component_result(
    component: Component,
    items: Sequence[Item],
    marks: Mapping[int, Mark],
    *,
    projected: bool = False,
    student_view: bool = False,
) -> ComponentResult:
    """Rule 2: one component's items, which counted and which were dropped, and its
    percentage (None when nothing counted)."""
    results = [
        item_result(item, marks.get(item.id), projected=projected, student_view=student_view)
        for item in items
    ]
    counted = [r for r in results if r.earned is not None]
    if not counted:
        return ComponentResult(component, tuple(results), None)
    kept = {id(r) for r in kept_after_drop(counted, component.drop_lowest, component.weighting)}
    final = tuple(
        r if r.earned is None or id(r) in kept else ItemResult(r.item, r.status, r.earned, True)
        for r in results
    )
    kept_results = [r for r in final if r.counted]
    percentage = _percentage(kept_results, component.weighting)
    return ComponentResult(component, final, percentage)


def _percentage(kept: Sequence[ItemResult], weighting: Weighting) -> Fraction:
    """The component's percentage, exactly: integer ratios, one Fraction at the end."""
    if weighting == Weighting.EQUAL:
        # 100/n x sum(earned_i / possible_i), over one common denominator.
        num, den = 0, 1
        for r in kept:
            e_num, e_den = r.earned.as_integer_ratio()
            p_num, p_den = r.item.points_possible.as_integer_ratio()
            term_num, term_den = e_num * p_den, e_den * p_num
            num, den = num * term_den + term_num * den, den * term_den
        return Fraction(100 * num, den * len(kept))
    earned = sum((r.earned for r in kept), Decimal(0))  # sums of Decimals are exact
    possible = sum((r.item.points_possible for r in kept), Decimal(0))
    e_num, e_den = earned.as_integer_ratio()
    p_num, p_den = possible.as_integer_ratio()
    return Fraction(100 * e_num * p_den, e_den * p_num)


def course_grade(
    components: Sequence[Component],
    items: Sequence[Item],
    marks: Mapping[int, Mark],
    *,
    projected: bool = False,
    student_view: bool = False,
    scale: Sequence[tuple[str, Decimal]] = DEFAULT_LETTER_SCALE,
) -> CourseGrade:
    """Rules 1 to 4 for one student: ``marks`` maps item id to that student's mark."""
    by_component: dict[int, list[Item]] = {c.id: [] for c in components}
    for item in items:
        by_component.setdefault(item.component_id, []).append(item)
    results = [
        component_result(
            c, by_component[c.id], marks, projected=projected, student_view=student_view
        )
        for c in components
    ]
    graded = [r for r in results if r.percentage is not None]
    graded_weight = sum((r.component.weight for r in graded), Decimal(0))
    if not graded or graded_weight == 0:
        return CourseGrade(tuple(results), None, None, graded_weight)
    # sum(weight x percentage) / sum(weight), in integers with one Fraction at the end.
    t_num, t_den = graded_weight.as_integer_ratio()
    num, den = 0, 1
    for r in graded:
        w_num, w_den = r.component.weight.as_integer_ratio()
        term_num = w_num * r.percentage.numerator
        term_den = w_den * r.percentage.denominator
        num, den = num * term_den + term_num * den, den * term_den
    percentage = Fraction(num * t_den, den * t_num)
    shared = tuple(
        ComponentResult(
            r.component, r.items, r.percentage, _share(r.component.weight, t_num, t_den)
        )
        if r.percentage is not None
        else r
        for r in results
    )
    return CourseGrade(shared, percentage, letter_for(percentage, scale), graded_weight)


def _share(weight: Decimal, total_num: int, total_den: int) -> Fraction:
    """100 x weight / total weight, where the total is total_num / total_den."""
    w_num, w_den = weight.as_integer_ratio()
    return Fraction(100 * w_num * total_den, w_den * total_num)


def rounded(value: Fraction | Decimal | None) -> Decimal | None:
    """Display rounding: half up to two decimals, from the exact value."""
    if value is None:
        return None
    num, den = value.as_integer_ratio()
    cents = (200 * num + den) // (2 * den)  # floor(100 x value + 1/2), in integers
    return (Decimal(cents) / 100).quantize(CENT)


def letter_for(
    percentage: Fraction | Decimal | None,
    scale: Sequence[tuple[str, Decimal]] = DEFAULT_LETTER_SCALE,
) -> str | None:
    """Rule 4: the letter of the highest cut-off at or below the rounded percentage."""
    if percentage is None:
        return None
    value = rounded(percentage)
    best: tuple[str, Decimal] | None = None
    for letter, cutoff in scale:
        if cutoff <= value and (best is None or cutoff > best[1]):
            best = (letter, cutoff)
    return best[0] if best else None
