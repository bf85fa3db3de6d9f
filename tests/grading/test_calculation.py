"""The grade calculation (DESIGN.md, "Grade calculation"): worked examples by hand.
Pure functions, no database; tests/grading/test_calculation_properties.py checks
the same rules against a brute-force reference."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from grading.domain.calculation import (
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
