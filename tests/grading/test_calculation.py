"""The grade calculation (DESIGN.md, "Grade calculation"): worked examples by hand,
then properties against a brute-force reference. Pure functions, no database."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
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

PROPERTY = settings(deadline=None, max_examples=200)


# --- Builders -----------------------------------------------------------------------------


def build(*cells: str, component_id: int = 1, first_id: int = 1):
    """Items and marks from cells such as "10/10" (scored), "-/10" (empty), "x/10"
    (excused), with optional words after a space: "due" (past due), "hidden" (unreleased).
    """
    items: list[Item] = []
    marks: dict[int, Mark] = {}
    for number, cell in enumerate(cells, start=first_id):
        score, _, flags = cell.partition(" ")
        earned, possible = score.split("/")
        items.append(
            Item(
                id=number,
                component_id=component_id,
                points_possible=Decimal(possible),
                released="hidden" not in flags,
                past_due="due" in flags,
            )
        )
        if earned == "x":
            marks[number] = Mark(excused=True)
        elif earned != "-":
            marks[number] = Mark(points=Decimal(earned))
    return items, marks


def component(
    component_id: int = 1,
    weight: str = "100",
    drop: int = 0,
    weighting: Weighting = Weighting.POINTS,
) -> Component:
    return Component(
        id=component_id,
        name=f"C{component_id}",
        weight=Decimal(weight),
        drop_lowest=drop,
        weighting=weighting,
    )


def percent(*cells: str, drop: int = 0, weighting=Weighting.POINTS, **modes) -> Decimal | None:
    items, marks = build(*cells)
    comp = component(drop=drop, weighting=weighting)
    return component_result(comp, items, marks, **modes).percentage


def dropped_ids(result) -> set[int]:
    return {r.item.id for r in result.dropped}


# --- Worked examples ----------------------------------------------------------------------


def test_by_points_and_equal_weighting_give_different_percentages():
    # 1/1 and 5/10. By points: 100 x 6/11 = 54.5454...%.
    # Equal weighting: (100 x 1/1 + 100 x 5/10) / 2 = (100 + 50) / 2 = 75%.
    assert percent("1/1", "5/10") == Fraction(600, 11)
    assert rounded(percent("1/1", "5/10")) == Decimal("54.55")
    assert percent("1/1", "5/10", weighting=Weighting.EQUAL) == Decimal(75)


def test_drop_lowest_by_points_drops_the_item_that_hurts_most_not_the_lowest_ratio():
    # 10/10, 0/1, 5/10, drop 1:
    #   drop 10/10 -> 5/11  = 45.45%
    #   drop 0/1   -> 15/20 = 75%
    #   drop 5/10  -> 10/11 = 90.909...%   <- best, though 0/1 has the lowest ratio
    items, marks = build("10/10", "0/1", "5/10")
    result = component_result(component(drop=1), items, marks)
    assert dropped_ids(result) == {3}
    assert result.percentage == Fraction(1000, 11)
    assert rounded(result.percentage) == Decimal("90.91")


def test_drop_lowest_by_points_may_drop_a_nonzero_score_and_keep_two_zeros():
    # 1/5, 0/2, 0/1, 2/2, drop 1:
    #   drop 1/5 -> 2/5 = 40%   <- best
    #   drop 0/2 -> 3/8 = 37.5%
    #   drop 0/1 -> 3/9 = 33.33...%  (dropping a lowest ratio, 0)
    #   drop 2/2 -> 1/8 = 12.5%
    # A search that stops after one improvement (33.3% -> 37.5%) misses the 40%.
    items, marks = build("1/5", "0/2", "0/1", "2/2")
    result = component_result(component(drop=1), items, marks)
    assert dropped_ids(result) == {1}
    assert result.percentage == Decimal(40)


def test_drop_lowest_with_equal_weighting_drops_the_lowest_ratio():
    # Same items, equal weighting: drop 0/1 -> (100 + 50) / 2 = 75%;
    # drop 5/10 -> (100 + 0) / 2 = 50%; drop 10/10 -> (0 + 50) / 2 = 25%.
    items, marks = build("10/10", "0/1", "5/10")
    result = component_result(component(drop=1, weighting=Weighting.EQUAL), items, marks)
    assert dropped_ids(result) == {2}
    assert result.percentage == Decimal(75)


def test_drop_lowest_never_drops_the_last_counted_item_and_keeps_the_best_one():
    # Two counted (4/10, 9/10) and one empty; drop 3 -> drop only 1, keep 9/10 = 90%.
    items, marks = build("4/10", "9/10", "-/10")
    result = component_result(component(drop=3), items, marks)
    assert dropped_ids(result) == {1}
    assert [r.item.id for r in result.items if r.counted] == [2]
    assert result.percentage == Decimal(90)


def test_excused_never_counts_in_either_mode():
    # 8/10 and an excused past-due 0/10: 8/10 = 80% in both modes, not 8/20 = 40%.
    items, marks = build("8/10", "x/10 due")
    marks[2] = Mark(points=Decimal(0), excused=True)  # excused wins over a score
    for projected in (False, True):
        result = component_result(component(), items, marks, projected=projected)
        assert result.percentage == Decimal(80)
        assert result.items[1].status == Status.EXCUSED
        assert not result.items[1].counted


def test_empty_score_counts_as_zero_in_projected_mode_only_when_past_due():
    # 8/10, empty past due, empty not yet due.
    # Current: only 8/10 counts -> 80%.  Projected: 8 + 0 over 10 + 10 -> 40%.
    items, marks = build("8/10", "-/10 due", "-/10")
    current = component_result(component(), items, marks)
    projected = component_result(component(), items, marks, projected=True)
    assert current.percentage == Decimal(80)
    assert [r.status for r in current.items] == [Status.SCORED, Status.UNGRADED, Status.UNGRADED]
    assert projected.percentage == Decimal(40)
    assert [r.status for r in projected.items] == [
        Status.SCORED,
        Status.MISSING,
        Status.UNGRADED,
    ]
    assert projected.items[1].earned == Decimal(0)


def test_an_excused_past_due_item_is_not_counted_as_zero_in_projected_mode():
    # 8/10 and excused past due: projected stays 8/10 = 80% (not 8/20 = 40%).
    items, marks = build("8/10", "x/10 due")
    result = component_result(component(), items, marks, projected=True)
    assert result.percentage == Decimal(80)
    assert result.items[1].status == Status.EXCUSED


def test_student_view_ignores_unreleased_items_even_when_scored_and_never_marks_them_missing():
    # 8/10 released; 2/10 unreleased but scored; empty unreleased past due.
    # Student, projected: only 8/10 -> 80%.  Staff current: 10/20 = 50%;
    # staff projected: 10/30 = 33.33...%.
    items, marks = build("8/10", "2/10 hidden", "-/10 hidden due")
    student = component_result(component(), items, marks, projected=True, student_view=True)
    assert student.percentage == Decimal(80)
    assert [r.status for r in student.items[1:]] == [Status.UNRELEASED, Status.UNRELEASED]
    assert all(r.earned is None for r in student.items[1:])
    assert percent("8/10", "2/10 hidden", "-/10 hidden due") == Decimal(50)
    staff_projected = percent("8/10", "2/10 hidden", "-/10 hidden due", projected=True)
    assert staff_projected == Fraction(100, 3)


def test_course_percentage_renormalizes_over_graded_components_only():
    # Weights 25/15/20/15/25; only component 1 (80%) and component 3 (50%) are graded.
    # (25 x 80 + 20 x 50) / (25 + 20) = 3000 / 45 = 66.666...% -> 66.67 -> D (64 <= 66.67 < 67).
    # Shares: 100 x 25/45 = 55.55...%, 100 x 20/45 = 44.44...%, adding to 100.
    components = [component(n, w) for n, w in enumerate(["25", "15", "20", "15", "25"], start=1)]
    first, first_marks = build("8/10", component_id=1, first_id=1)
    third, third_marks = build("5/10", component_id=3, first_id=2)
    empty, _ = build("-/10", component_id=5, first_id=3)
    grade = course_grade(components, first + third + empty, first_marks | third_marks)
    assert grade.graded_weight == Decimal(45)
    assert grade.percentage == Fraction(3000, 45)
    assert rounded(grade.percentage) == Decimal("66.67")
    assert grade.letter == "D"
    shares = [r.share for r in grade.components]
    assert shares[0] == Fraction(2500, 45)
    assert shares[2] == Fraction(2000, 45)
    assert [shares[1], shares[3], shares[4]] == [None, None, None]
    assert shares[0] + shares[2] == 100
    assert [r.percentage for r in grade.components] == [Decimal(80), None, Decimal(50), None, None]


def test_no_graded_component_gives_no_percentage_and_no_letter():
    items, marks = build("-/10", "x/10", "3/10 hidden")
    grade = course_grade([component()], items, marks, student_view=True)
    assert grade.percentage is None
    assert grade.letter is None
    assert grade.components[0].share is None
    assert course_grade([], [], {}).percentage is None


@pytest.mark.parametrize(
    ("earned", "letter"),
    [
        ("179.99", "A-"),  # 100 x 179.99/200 = 89.995 -> rounds half up to 90.00 -> A-
        ("179.988", "B+"),  # 100 x 179.988/200 = 89.994 -> 89.99 -> B+
    ],
)
def test_the_letter_uses_the_percentage_rounded_half_up_to_two_decimals(earned, letter):
    items, marks = build(f"{earned}/200")
    grade = course_grade([component()], items, marks)
    assert grade.letter == letter
    assert letter_for(grade.percentage) == letter


@pytest.mark.parametrize(
    ("percentage", "letter"),
    [
        ("89.995", "A-"),
        ("89.994", "B+"),
        ("100", "A"),
        ("94", "A"),
        ("93.995", "A"),  # rounds to 94.00
        ("93.99", "A-"),
        ("90", "A-"),
        ("87", "B+"),
        ("84", "B"),
        ("80", "B-"),
        ("77", "C+"),
        ("74", "C"),
        ("70", "C-"),
        ("67", "D+"),
        ("64", "D"),
        ("61", "D-"),
        ("60.99", "F"),
        ("0", "F"),
    ],
)
def test_default_scale_gives_the_highest_cut_off_at_or_below_the_rounded_percentage(
    percentage, letter
):
    assert letter_for(Decimal(percentage)) == letter


def test_a_custom_scale_without_a_zero_cut_off_gives_no_letter_below_its_lowest_cut_off():
    scale = (("Pass", Decimal(50)), ("Distinction", Decimal(85)))
    assert letter_for(Decimal("49.99"), scale) is None
    assert letter_for(Decimal("49.995"), scale) == "Pass"  # rounds to 50.00
    assert letter_for(Decimal(85), scale) == "Distinction"
    items, marks = build("4/10")
    grade = course_grade([component()], items, marks, scale=scale)
    assert grade.percentage == Decimal(40)
    assert grade.letter is None
    assert letter_for(None) is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2.345", "2.35"), ("2.344", "2.34"), ("2.3450000001", "2.35"), ("89.995", "90.00")],
)
def test_rounded_rounds_half_up_to_two_decimals(value, shown):
    assert str(rounded(Decimal(value))) == shown


def test_rounded_passes_none_through():
    assert rounded(None) is None


def test_a_component_with_weight_zero_alone_gives_no_course_percentage():
    # 9/10 = 90% for the component, but 0 x 90 / 0 has no value: None, no letter.
    items, marks = build("9/10")
    grade = course_grade([component(weight="0")], items, marks)
    assert grade.components[0].percentage == Decimal(90)
    assert grade.percentage is None
    assert grade.letter is None
    assert grade.graded_weight == Decimal(0)


def test_extra_credit_gives_a_percentage_above_one_hundred():
    # 12/10 and 10/10: 22/20 = 110% -> A.
    items, marks = build("12/10", "10/10")
    grade = course_grade([component()], items, marks)
    assert grade.percentage == Decimal(110)
    assert grade.letter == "A"


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
