"""The grade calculation (DESIGN.md, "Grade calculation"): properties against a
brute-force reference that tries every subset for drop-lowest. Pure functions, no
database."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from grading.domain.calculation import (
    Component,
    Item,
    Mark,
    Status,
    Weighting,
    component_result,
    course_grade,
    letter_for,
    rounded,
)
from tests.grading.calculation_helpers import component

PROPERTY = settings(deadline=None, max_examples=200)


# --- Reference implementation -------------------------------------------------------------


def reference_earned(item: Item, mark: Mark | None, *, projected: bool, student_view: bool):
    """Rule 1, restated: the points that count (a Fraction), or None."""
    if student_view and not item.released:
        return None
    if mark is not None and mark.excused:
        return None
    if mark is not None and mark.points is not None:
        return Fraction(mark.points)
    if projected and item.past_due:
        return Fraction(0)
    return None


def reference_percentage(comp: Component, items, marks, *, projected, student_view):
    """Rule 2 by brute force: the best exact percentage over every kept subset."""
    counted = []
    for item in items:
        earned = reference_earned(
            item, marks.get(item.id), projected=projected, student_view=student_view
        )
        if earned is not None:
            counted.append((earned, Fraction(item.points_possible)))
    if not counted:
        return None
    keep = max(1, len(counted) - comp.drop_lowest)
    best = None
    for subset in itertools.combinations(counted, keep):
        if comp.weighting == Weighting.POINTS:
            value = 100 * sum(e for e, _ in subset) / sum(p for _, p in subset)
        else:
            value = 100 * sum(e / p for e, p in subset) / len(subset)
        best = value if best is None else max(best, value)
    return best


# --- Strategies ---------------------------------------------------------------------------


def cents(low: int, high: int):
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def item_specs(draw):
    """(points_possible, mark or None, released, past_due) for one item."""
    possible_cents = draw(st.integers(1, 10_000))
    points = Decimal(draw(st.integers(0, 2 * possible_cents))).scaleb(-2)
    kind = draw(st.sampled_from(["scored", "scored", "scored", "empty", "no mark", "excused"]))
    mark = {
        "scored": Mark(points=points),
        "empty": Mark(points=None),
        "no mark": None,
        "excused": Mark(points=draw(st.sampled_from([None, points])), excused=True),
    }[kind]
    possible = Decimal(possible_cents).scaleb(-2)
    return possible, mark, draw(st.booleans()), draw(st.booleans())


@st.composite
def courses(draw, min_components: int = 1, max_components: int = 4):
    """Components, items and marks for one student."""
    count = draw(st.integers(min_components, max_components))
    components, items, marks = [], [], {}
    for component_id in range(1, count + 1):
        components.append(
            component(
                component_id,
                weight=str(draw(cents(0, 10_000))),
                drop=draw(st.integers(0, 4)),
                weighting=draw(st.sampled_from(Weighting)),
            )
        )
        for possible, mark, released, past_due in draw(st.lists(item_specs(), max_size=7)):
            item_id = len(items) + 1
            items.append(Item(item_id, component_id, possible, released, past_due))
            if mark is not None:
                marks[item_id] = mark
    return components, items, marks


modes = st.fixed_dictionaries({"projected": st.booleans(), "student_view": st.booleans()})


# --- Properties ---------------------------------------------------------------------------


@PROPERTY
@given(course=courses(max_components=1), mode=modes)
def test_component_percentage_is_the_best_subset_found_by_brute_force(course, mode):
    (comp,), items, marks = course
    result = component_result(comp, items, marks, **mode)
    expected = reference_percentage(comp, items, marks, **mode)
    if expected is None:
        assert result.percentage is None
        assert not result.dropped
        return
    assert result.percentage == expected  # exact, not merely close
    counted = [r for r in result.items if r.earned is not None]
    assert len(result.dropped) == min(comp.drop_lowest, len(counted) - 1)
    assert all(r.earned is not None for r in result.dropped)
    assert any(r.counted for r in result.items)


@PROPERTY
@given(course=courses(), mode=modes)
def test_course_percentage_is_the_weighted_mean_of_the_brute_force_percentages(course, mode):
    components, items, marks = course
    grade = course_grade(components, items, marks, **mode)
    graded = []
    for comp in components:
        own = [item for item in items if item.component_id == comp.id]
        exact = reference_percentage(comp, own, marks, **mode)
        if exact is not None:
            graded.append((comp.weight, exact))
    weight = sum((w for w, _ in graded), Decimal(0))
    if weight == 0:
        assert grade.percentage is None
        assert grade.letter is None
        return
    expected = sum(Fraction(w) * pct for w, pct in graded) / Fraction(weight)
    assert grade.percentage == expected
    assert grade.letter == letter_for(expected)
    shares = [r.share for r in grade.components if r.share is not None]
    assert len(shares) == len(graded)
    assert sum(shares) == 100


@PROPERTY
@given(
    course=courses(),
    mode=modes,
    pick=st.integers(0, 10_000),
    base=st.integers(0, 20_000),
    raise_by=st.integers(1, 20_000),
)
def test_raising_one_scored_item_never_lowers_component_or_course_percentage(
    course, mode, pick, base, raise_by
):
    components, items, marks = course
    if not items:
        items = [Item(1, components[0].id, Decimal(10))]
    target = items[pick % len(items)]
    lower = marks | {target.id: Mark(points=Decimal(base).scaleb(-2))}
    higher = marks | {target.id: Mark(points=Decimal(base + raise_by).scaleb(-2))}
    comp = next(c for c in components if c.id == target.component_id)
    own = [item for item in items if item.component_id == comp.id]

    before = component_result(comp, own, lower, **mode).percentage
    after = component_result(comp, own, higher, **mode).percentage
    assert (before is None) == (after is None)
    if before is not None:
        assert after >= before

    course_before = course_grade(components, items, lower, **mode).percentage
    course_after = course_grade(components, items, higher, **mode).percentage
    assert (course_before is None) == (course_after is None)
    if course_before is not None:
        assert course_after >= course_before


@PROPERTY
@given(course=courses(), student_view=st.booleans())
def test_projected_mode_counts_every_item_that_current_mode_counts(course, student_view):
    components, items, marks = course
    current = course_grade(components, items, marks, student_view=student_view)
    projected = course_grade(components, items, marks, projected=True, student_view=student_view)
    for now, later in zip(current.components, projected.components, strict=True):
        for before, after in zip(now.items, later.items, strict=True):
            assert before.item == after.item
            if before.earned is not None:
                assert after.earned == before.earned
                assert after.status == before.status


@PROPERTY
@given(course=courses(), projected=st.booleans())
def test_student_view_never_counts_an_unreleased_item(course, projected):
    components, items, marks = course
    grade = course_grade(components, items, marks, projected=projected, student_view=True)
    for result in grade.components:
        for item_result in result.items:
            if not item_result.item.released:
                assert item_result.status == Status.UNRELEASED
                assert item_result.earned is None
                assert not item_result.counted
                assert not item_result.dropped
    # Seeing only the released items, as staff would, gives the same grade.
    released = [item for item in items if item.released]
    staff = course_grade(components, released, marks, projected=projected)
    assert staff.percentage == grade.percentage
    assert [r.percentage for r in staff.components] == [r.percentage for r in grade.components]


def test_an_exact_half_cent_total_rounds_up_to_the_next_letter():
    # 50 x 11.74/12 + 30 x 3.83/20 + 20 x 6.9/9 = 4891.666… + 574.5 + 1533.333… = 6999.5;
    # / 100 = 69.995 exactly, which rounds half up to 70.00: a C-, not a D+. In 28-digit
    # Decimal arithmetic the thirds would leave 69.99499… and the wrong letter.
    components = [
        Component(1, "A", Decimal(50)),
        Component(2, "B", Decimal(30)),
        Component(3, "C", Decimal(20)),
    ]
    items = [
        Item(1, 1, Decimal("12")),
        Item(2, 2, Decimal("20")),
        Item(3, 3, Decimal("9")),
    ]
    marks = {1: Mark(Decimal("11.74")), 2: Mark(Decimal("3.83")), 3: Mark(Decimal("6.9"))}
    grade = course_grade(components, items, marks)
    assert grade.percentage == Fraction(69995, 1000)
    assert rounded(grade.percentage) == Decimal("70.00")
    assert grade.letter == "C-"
