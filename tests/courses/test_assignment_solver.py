"""Assigning papers to presenters (courses.domain.assignment): worked examples by
hand, unranked papers, reproducibility, infeasible courses, checking placements, and
the first-come board. Pure functions, no database; the properties against a
brute-force reference are in tests/courses/test_assignment_solver_properties.py."""

from __future__ import annotations

import pytest

from courses.domain.assignment import (
    Infeasible,
    Paper,
    Placement,
    Rules,
    Solution,
    SolveTimeout,
    Student,
    arrival_order,
    first_come,
    short_students,
    solve,
    violations,
)
from tests.courses.assignment_helpers import day, key


def one_per_session(*capacities: int, days_apart: int = 7) -> list[Paper]:
    """Papers 1, 2, ... each alone in sessions 1, 2, ..., a week apart."""
    return [
        Paper(id=n, session_id=n, day=day(days_apart * (n - 1)), capacity=c)
        for n, c in enumerate(capacities, start=1)
    ]


# --- Worked examples ----------------------------------------------------------------------


def test_everyone_gets_their_first_choice_when_nobody_competes():
    papers = one_per_session(1, 1, 1)
    students = [Student(1, (2, 1)), Student(2, (3, 2))]
    solution = solve(students, papers, Rules(1, 2, 3), seed=0)
    assert solution.placements == (Placement(1, 2, 1), Placement(2, 3, 1))
    assert solution.histogram() == {1: 2}
    assert solution.mean_rank == 1.0


def test_the_worst_off_student_comes_before_the_total():
    # Paper 1 to student 1 (rank 1) and paper 2 to student 2 (rank 4) totals 5;
    # the other way round totals 6 but nobody gets worse than rank 3.
    papers = [*one_per_session(1, 1), Paper(3, 9, day(30), 1), Paper(4, 9, day(30), 1)]
    students = [
        Student(1, (1, 3, 2), blackout=frozenset({9})),
        Student(2, (3, 4, 1, 2), blackout=frozenset({9})),
    ]
    solution = solve(students, papers, Rules(1, 1, 4), seed=0)
    assert solution.placements == (Placement(1, 2, 3), Placement(2, 1, 3))
    assert key(solution) == (3, 0, 6)


def test_each_student_gets_exactly_the_minimum_since_more_only_adds_rank():
    papers = one_per_session(2, 2, 2)
    students = [Student(1, (1, 2, 3)), Student(2, (1, 2, 3))]
    solution = solve(students, papers, Rules(1, 3, 3), seed=0)
    assert solution.papers_of(1) == [1]
    assert solution.papers_of(2) == [1]


def test_a_student_needing_two_papers_gets_them_a_week_apart():
    papers = [Paper(1, 1, day(0), 1), Paper(2, 2, day(2), 1), Paper(3, 3, day(7), 1)]
    students = [Student(1, (2, 1, 3))]
    solution = solve(students, papers, Rules(2, 2, 3, min_days_apart=7), seed=0)
    assert solution.papers_of(1) == [1, 3]


def test_two_papers_of_one_session_never_go_to_one_student():
    papers = [Paper(1, 1, day(0), 1), Paper(2, 1, day(0), 1), Paper(3, 2, day(9), 1)]
    solution = solve([Student(1, (1, 2, 3))], papers, Rules(2, 2, 3), seed=0)
    assert solution.papers_of(1) in ([1, 3], [2, 3])


def test_a_blacked_out_first_choice_is_not_given():
    papers = one_per_session(1, 1)
    students = [Student(1, (1, 2), blackout=frozenset({1}))]
    assert solve(students, papers, Rules(1, 1, 2), seed=0).placements == (Placement(1, 2, 2),)


def test_a_minimum_of_zero_gives_nobody_a_paper():
    papers = one_per_session(1, 1)
    solution = solve([Student(1, (1,)), Student(2, (2,))], papers, Rules(0, 2, 2), seed=0)
    assert solution.placements == ()
    assert (solution.worst_rank, solution.mean_rank, solution.histogram()) == (None, None, {})


def test_the_solution_summarizes_its_ranks():
    solution = Solution(
        (Placement(1, 1, 2), Placement(1, 2, None), Placement(2, 3, 1)), seed=0, unranked_rank=4
    )
    assert solution.papers_of(1) == [1, 2]
    assert key(solution) == (4, 1, 7)
    assert solution.histogram() == {1: 1, 2: 1, None: 1}
    assert solution.mean_rank == pytest.approx(7 / 3)


# --- Unranked papers ----------------------------------------------------------------------


def test_a_student_whose_ranked_papers_are_full_gets_an_unranked_one_flagged():
    # Students 2 and 3 can present only papers 1 and 2, which student 1 ranked.
    papers = one_per_session(1, 1, 1)
    students = [
        Student(1, (1, 2)),
        Student(2, (1,), blackout=frozenset({2, 3})),
        Student(3, (2,), blackout=frozenset({1, 3})),
    ]
    solution = solve(students, papers, Rules(1, 1, 2), seed=0)
    assert solution.placements == (Placement(1, 3, None), Placement(2, 1, 1), Placement(3, 2, 1))
    assert key(solution) == (3, 1, 5)
    assert solution.histogram() == {1: 2, None: 1}


def test_an_unranked_paper_is_never_used_while_a_ranked_option_exists():
    papers = one_per_session(1, 1, 1)
    students = [Student(1, (1, 2)), Student(2, (1,))]
    for seed in range(5):
        solution = solve(students, papers, Rules(1, 1, 2), seed=seed)
        assert solution.placements == (Placement(1, 2, 2), Placement(2, 1, 1))


def test_a_student_who_ranked_nothing_gets_an_unranked_paper():
    papers = one_per_session(1, 1)
    students = [Student(1, (1,)), Student(2, ())]
    solution = solve(students, papers, Rules(1, 1, 2), seed=0)
    assert solution.placements == (Placement(1, 1, 1), Placement(2, 2, None))


# --- Reproducibility ----------------------------------------------------------------------


def test_the_same_seed_gives_the_same_solution_and_other_seeds_pick_other_ties():
    # Six identical rankings of six single seats: all 720 assignments tie.
    papers = one_per_session(1, 1, 1, 1, 1, 1)
    students = [Student(n, (1, 2, 3, 4, 5, 6)) for n in range(1, 7)]
    rules = Rules(1, 1, 6)
    solutions = [solve(students, papers, rules, seed=seed) for seed in range(8)]
    assert solve(students, papers, rules, seed=3) == solutions[3]
    assert {key(s) for s in solutions} == {(6, 0, 21)}
    assert len({s.placements for s in solutions}) > 1


# --- Infeasible courses -------------------------------------------------------------------


def test_too_few_seats_are_counted_for_the_instructor():
    papers = one_per_session(*([2] * 20))
    students = [Student(n, ()) for n in range(25)]
    with pytest.raises(Infeasible) as error:
        solve(students, papers, Rules(2, 2, 3, min_days_apart=0), seed=0)
    assert error.value.reasons == ["There are 40 seats for 25 students who each need 2: 10 short."]
    assert str(error.value) == error.value.reasons[0]


def test_a_student_blacked_out_of_every_session_is_named():
    papers = one_per_session(2, 2)
    students = [Student(1, (1,)), Student(7, (1, 2), blackout=frozenset({1, 2}))]
    with pytest.raises(Infeasible) as error:
        solve(students, papers, Rules(1, 1, 2), seed=0)
    assert error.value.reasons == [
        "Student 7 is blacked out of every session that has a paper, but needs 1 paper."
    ]


def test_a_student_with_too_few_papers_outside_blackouts_is_named():
    papers = one_per_session(2, 2, 2)
    students = [Student(4, (1,), blackout=frozenset({1, 2}))]
    with pytest.raises(Infeasible, match="Student 4 can present only 1 paper outside"):
        solve(students, papers, Rules(2, 2, 3), seed=0)


def test_spacing_that_leaves_no_room_is_named():
    papers = one_per_session(1, 1, 1, days_apart=3)  # days 0, 3 and 6
    with pytest.raises(Infeasible) as error:
        solve([Student(5, (1, 2, 3))], papers, Rules(2, 2, 3, min_days_apart=7), seed=0)
    assert error.value.reasons == [
        "Student 5 can fit at most 1 paper in sessions at least 7 days apart outside their "
        "blackout sessions, but needs 2."
    ]


def test_when_only_the_solver_finds_no_assignment_it_names_the_rule_to_relax():
    # Each student fits two papers only as papers 1 and 3 (days 0 and 7), and those
    # have one seat each; paper 2 (day 1) has seats but is too close to both.
    papers = [Paper(1, 1, day(0), 1), Paper(2, 2, day(1), 2), Paper(3, 3, day(7), 1)]
    students = [Student(1, (1, 2, 3)), Student(2, (1, 2, 3))]
    with pytest.raises(Infeasible) as error:
        solve(students, papers, Rules(2, 2, 3, min_days_apart=7), seed=0)
    reasons = error.value.reasons
    assert reasons[0].startswith("No assignment meets every rule at once")
    assert "lower the minimum days apart" in reasons[1]
    assert "raise some papers' capacity" in reasons[2]


def test_a_time_limit_that_runs_out_is_reported():
    with pytest.raises(SolveTimeout, match="within 1e-09 seconds"):
        solve([Student(1, (1,))], one_per_session(1), Rules(1, 1, 1), seed=0, time_limit=1e-9)


@pytest.mark.parametrize(
    ("students", "match"),
    [
        ([Student(1, (9,))], r"Student 1 ranked papers \[9\], which are not offered"),
        ([Student(1, (1, 1))], "Student 1 ranked a paper twice"),
        ([Student(1, (1, 2, 3))], "Student 1 ranked more than 2 papers"),
        ([Student(1, ()), Student(1, ())], r"The student ids \[1\] appear more than once"),
    ],
)
def test_inconsistent_inputs_are_rejected(students, match):
    with pytest.raises(ValueError, match=match):
        solve(students, one_per_session(1, 1, 1), Rules(1, 1, 2), seed=0)


# --- Checking placements by hand ----------------------------------------------------------


def test_violations_names_every_broken_rule():
    papers = [
        Paper(1, 1, day(0), 1),
        Paper(2, 1, day(0), 1),
        Paper(3, 2, day(3), 1),
        Paper(4, 3, day(14), 1),
    ]
    students = [
        Student(1, (1, 3), blackout=frozenset({3})),
        Student(2, (1,)),
        Student(3, (4,)),
    ]
    placements = [
        Placement(1, 1, 1),
        Placement(1, 2, None),
        Placement(1, 3, 1),
        Placement(1, 4, None),
        Placement(2, 1, 1),
        Placement(2, 1, 1),
        Placement(2, 9, None),
        Placement(8, 4, None),
    ]
    assert violations(students, papers, Rules(1, 2, 2, min_days_apart=7), placements) == [
        "Student 2 is placed on paper 1 2 times.",
        "Student 1 has papers 1 and 2 in the same session (1).",
        "Student 1 has papers 1 and 3 only 3 days apart; they must be at least 7 apart.",
        "Student 1 has papers 2 and 3 only 3 days apart; they must be at least 7 apart.",
        "Student 1 is placed on paper 3 with rank 1, but ranked it 2.",
        "Student 1 has paper 4 in session 3, which they blacked out.",
        "Student 2 is placed on paper 9, which is not offered.",
        "A placement names student 8, who is not listed.",
        "Paper 1 has 2 presenters but only 1 seat.",
        "Student 1 has 4 papers but may have at most 2.",
        "Student 3 has 0 papers but needs at least 1.",
    ]


def test_violations_of_a_sound_assignment_are_empty():
    papers = one_per_session(1, 1)
    students = [Student(1, (2,)), Student(2, ())]
    placements = [Placement(1, 2, 1), Placement(2, 1, None)]
    assert violations(students, papers, Rules(1, 1, 1), placements) == []


# --- The first-come board -----------------------------------------------------------------


def test_first_come_gives_a_contested_paper_to_whoever_arrives_first():
    papers = one_per_session(1, 1)
    students = [Student(1, (1,)), Student(2, (1,)), Student(3, (1, 2))]
    rules = Rules(1, 2, 2)
    winners = set()
    for seed in range(10):
        board = first_come(students, papers, rules, seed=seed)
        first = arrival_order(students, seed)[0]
        winners.add(first)
        assert board.papers_of(first) == [1]
        assert board.unranked == 0
        # Paper 2 goes to student 3 when they did not win paper 1; the other of
        # students 1 and 2 ranked nothing else and is left short.
        assert short_students(board, students, rules) == sorted({1, 2} - {first})
        assert board.papers_of(3) == ([1] if first == 3 else [2])
    assert winners == {1, 2, 3}


def test_first_come_leaves_a_student_short_where_the_solver_does_not():
    papers = one_per_session(1, 1)
    students = [Student(1, (1, 2)), Student(2, (1,))]
    rules = Rules(1, 1, 2)
    seed = next(s for s in range(20) if arrival_order(students, s)[0] == 1)
    assert short_students(first_come(students, papers, rules, seed=seed), students, rules) == [2]
    assert short_students(solve(students, papers, rules, seed=seed), students, rules) == []


def test_first_come_runs_rounds_until_everyone_has_the_minimum():
    papers = one_per_session(1, 1, 1, 1)
    students = [Student(1, (1, 2, 3)), Student(2, (1, 2, 4))]
    board = first_come(students, papers, Rules(2, 2, 3, min_days_apart=7), seed=0)
    order = arrival_order(students, 0)
    # Round one: the first arrival takes paper 1, the other paper 2. Round two: each
    # takes their next ranked paper that is still free and a week from the first.
    if order[0] == 1:
        assert (board.papers_of(1), board.papers_of(2)) == ([1, 3], [2, 4])
    else:
        assert (board.papers_of(1), board.papers_of(2)) == ([2, 3], [1, 4])
