"""How late work is, which late days pay for it, and the deduction a grader is offered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grading.domain.lateness import (
    ON_TIME,
    Lateness,
    LatePolicy,
    late_by_text,
    late_days_spend,
    late_deduction,
    lateness,
)

UTC = dt.UTC
NEW_YORK = ZoneInfo("America/New_York")
DUE = dt.datetime(2026, 2, 10, 17, 0, tzinfo=UTC)
NO_GRACE = dt.timedelta(0)
GRACE = dt.timedelta(minutes=30)


def late_by(**delta) -> Lateness:
    return lateness(DUE + dt.timedelta(**delta), DUE, NO_GRACE)


# --- how late one hand-in is ------------------------------------------------------------------


def test_work_handed_in_before_the_due_time_is_on_time():
    late = lateness(DUE - dt.timedelta(hours=1), DUE, NO_GRACE)
    assert late == ON_TIME
    assert not late.is_late
    assert late.days == 0


def test_work_handed_in_exactly_at_the_due_time_is_on_time():
    assert lateness(DUE, DUE, NO_GRACE) == ON_TIME


def test_an_item_without_a_due_time_is_never_late():
    assert lateness(DUE + dt.timedelta(days=300), None, GRACE) == ON_TIME


@pytest.mark.parametrize("minutes", [1, 29, 30])
def test_work_within_the_grace_period_is_not_late(minutes):
    assert lateness(DUE + dt.timedelta(minutes=minutes), DUE, GRACE) == ON_TIME


def test_just_after_grace_it_is_late_by_the_time_since_the_due_time_and_counts_as_a_day():
    late = lateness(DUE + dt.timedelta(minutes=30, seconds=1), DUE, GRACE)
    assert late.is_late
    assert late.late_by == dt.timedelta(minutes=30, seconds=1)
    assert late.days == 1
    assert late_by_text(late) == "30 minutes late"


def test_one_second_late_without_grace_is_one_day_late():
    late = late_by(seconds=1)
    assert late.is_late
    assert late.days == 1


@pytest.mark.parametrize(
    ("delta", "days"),
    [
        ({"hours": 23, "minutes": 59}, 1),
        ({"hours": 24}, 1),
        ({"hours": 24, "seconds": 1}, 2),
        ({"hours": 25}, 2),
        ({"days": 2}, 2),
        ({"days": 2, "minutes": 1}, 3),
    ],
)
def test_a_started_day_counts_as_a_whole_day(delta, days):
    assert late_by(**delta).days == days


def test_the_grace_period_does_not_shorten_how_late_work_is():
    late = lateness(DUE + dt.timedelta(hours=25), DUE, GRACE)
    assert late.late_by == dt.timedelta(hours=25)
    assert late.days == 2


def test_times_in_different_zones_compare_as_the_same_moments():
    due = dt.datetime(2026, 2, 10, 23, 59, tzinfo=NEW_YORK)
    handed_in = dt.datetime(2026, 2, 11, 5, 0, tzinfo=UTC)  # midnight in New York
    late = lateness(handed_in, due, NO_GRACE)
    assert late.late_by == dt.timedelta(minutes=1)
    assert late.days == 1


# --- late days --------------------------------------------------------------------------------


def hand_in(key, hours_after_start: int, days_late: int):
    submitted_at = DUE + dt.timedelta(hours=hours_after_start)
    late = Lateness(dt.timedelta(days=days_late), days_late) if days_late else ON_TIME
    return (key, submitted_at, late)


def test_late_days_are_spent_in_the_order_work_was_handed_in_not_in_list_order():
    hand_ins = [
        hand_in("third", 30, 1),
        hand_in("first", 10, 2),
        hand_in("second", 20, 2),
    ]
    spent = late_days_spend(hand_ins, budget=3)
    assert [(spent[k].covered, spent[k].penalized) for k in ("first", "second", "third")] == [
        (2, 0),
        (1, 1),
        (0, 1),
    ]
    assert all(spent[k].days == d for k, d in (("first", 2), ("second", 2), ("third", 1)))


def test_work_on_time_uses_no_late_day():
    hand_ins = [hand_in("early", 1, 0), hand_in("late", 2, 1), hand_in("also on time", 3, 0)]
    spent = late_days_spend(hand_ins, budget=1)
    assert spent["early"] == ON_TIME
    assert spent["also on time"] == ON_TIME
    assert (spent["late"].covered, spent["late"].penalized) == (1, 0)


def test_without_late_days_every_late_day_is_penalized():
    spent = late_days_spend([hand_in("a", 1, 2), hand_in("b", 2, 1)], budget=0)
    assert (spent["a"].covered, spent["a"].penalized) == (0, 2)
    assert (spent["b"].covered, spent["b"].penalized) == (0, 1)


def test_a_negative_budget_counts_as_none():
    spent = late_days_spend([hand_in("a", 1, 2)], budget=-3)
    assert (spent["a"].covered, spent["a"].penalized) == (0, 2)


def test_a_budget_larger_than_needed_covers_everything():
    spent = late_days_spend([hand_in("a", 1, 2), hand_in("b", 2, 3)], budget=10)
    assert all(late.penalized == 0 for late in spent.values())
    assert (spent["a"].covered, spent["b"].covered) == (2, 3)


def test_no_hand_ins_spend_nothing():
    assert late_days_spend([], budget=3) == {}


# --- the deduction offered to the grader ------------------------------------------------------


def policy(per_day, floor=0) -> LatePolicy:
    return LatePolicy(percent_per_day=Decimal(per_day), floor_percent=Decimal(floor))


def test_deduction_is_a_percent_of_the_points_possible_per_day():
    assert late_deduction(Decimal(20), Decimal(20), 2, policy(10)) == Decimal(4)


def test_deduction_is_taken_from_the_points_possible_even_for_a_lower_score():
    assert late_deduction(Decimal(15), Decimal(20), 1, policy(10)) == Decimal(2)


def test_deduction_stops_at_the_floor():
    # 3 days at 20% of 20 points wants 12, but 50% of 20 is 10: only 2 can go.
    assert late_deduction(Decimal(12), Decimal(20), 3, policy(20, floor=50)) == Decimal(2)


@pytest.mark.parametrize("raw", [Decimal(8), Decimal(10)])
def test_a_score_at_or_below_the_floor_loses_nothing(raw):
    assert late_deduction(raw, Decimal(20), 3, policy(20, floor=50)) == 0


def test_without_a_floor_a_score_never_goes_below_zero():
    assert late_deduction(Decimal(3), Decimal(20), 1, policy(50)) == Decimal(3)


@pytest.mark.parametrize(("per_day", "days"), [(0, 3), (10, 0), (10, -1)])
def test_no_deduction_without_a_percent_per_day_or_without_days(per_day, days):
    assert late_deduction(Decimal(20), Decimal(20), days, policy(per_day)) == 0


def test_the_deduction_is_rounded_half_up_to_cents():
    # 2.5% of 5 points is 0.125: half up gives 0.13 (half even would give 0.12).
    assert late_deduction(Decimal(5), Decimal(5), 1, policy("2.5")) == Decimal("0.13")


def test_the_floor_is_rounded_half_up_to_cents():
    # 12.5% of 5 points is 0.625, so the floor is 0.63 and 1 point can lose 0.37.
    assert late_deduction(Decimal(1), Decimal(5), 1, policy(100, floor="12.5")) == Decimal("0.37")


def test_the_default_policy_deducts_nothing():
    assert late_deduction(Decimal(20), Decimal(20), 5, LatePolicy()) == 0


# --- how lateness reads -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        ({"minutes": 1}, "1 minute late"),
        ({"minutes": 40}, "40 minutes late"),
        ({"minutes": 40, "seconds": 59}, "40 minutes late"),
        ({"hours": 1}, "1 hour late"),
        ({"hours": 3, "minutes": 5}, "3 hours 5 minutes late"),
        ({"days": 1}, "1 day late"),
        ({"days": 1, "minutes": 5}, "1 day late"),
        ({"days": 1, "hours": 1}, "1 day 1 hour late"),
        ({"days": 2, "hours": 3, "minutes": 20}, "2 days 3 hours late"),
    ],
)
def test_late_by_text_says_how_late_for_people(delta, text):
    assert late_by_text(late_by(**delta)) == text


def test_late_by_text_of_work_on_time_says_on_time():
    assert late_by_text(ON_TIME) == "on time"
    assert late_by_text(lateness(DUE + dt.timedelta(minutes=10), DUE, GRACE)) == "on time"


def test_work_less_than_a_minute_late_does_not_read_zero_minutes_late():
    late = late_by(seconds=30)
    assert late.is_late
    text = late_by_text(late)
    assert text.endswith("late")
    assert "0 minutes" not in text
