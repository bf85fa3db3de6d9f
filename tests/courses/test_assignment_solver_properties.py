"""Assigning papers to presenters (courses.domain.assignment): properties against
a brute-force reference that tries every assignment of tiny courses. Pure
functions, no database."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.domain.assignment import (
    Infeasible,
    Paper,
    Rules,
    Solution,
    Student,
    short_students,
    solve,
    violations,
)
from tests.courses.assignment_helpers import day, key

PROPERTY = settings(deadline=None, max_examples=150)


# --- The brute-force reference ------------------------------------------------------------


def brute_force_key(
    students: Sequence[Student], papers: Sequence[Paper], rules: Rules
) -> tuple[int, int, int] | None:
    """The best (worst rank, unranked, total) over every assignment of the rules'
    rule 1, found by trying them all; None when there is none."""
    unranked = rules.max_rank + 1

    def rank(student: Student, paper: Paper) -> int:
        return student.ranking.index(paper.id) + 1 if paper.id in student.ranking else unranked

    def allowed(student: Student, chosen: tuple[Paper, ...]) -> bool:
        if any(p.session_id in student.blackout for p in chosen):
            return False
        return all(
            a.session_id != b.session_id and abs((a.day - b.day).days) >= rules.min_days_apart
            for a, b in itertools.combinations(chosen, 2)
        )

    options = [
        [
            chosen
            for size in range(rules.min_per_student, rules.max_per_student + 1)
            for chosen in itertools.combinations(papers, size)
            if allowed(student, chosen)
        ]
        for student in students
    ]
    best = None
    seats = Counter({p.id: p.capacity for p in papers})

    def search(i: int, ranks: list[int]) -> None:
        nonlocal best
        if i == len(students):
            found = (max(ranks, default=0), ranks.count(unranked), sum(ranks))
            best = found if best is None or found < best else best
            return
        for chosen in options[i]:
            if all(seats[p.id] > 0 for p in chosen):
                for p in chosen:
                    seats[p.id] -= 1
                search(i + 1, ranks + [rank(students[i], p) for p in chosen])
                for p in chosen:
                    seats[p.id] += 1

    search(0, [])
    return best


@st.composite
def courses(draw, *, most_students: int, most_papers: int, most_sessions: int, roomy: bool):
    """Papers in sessions on random days, students with random rankings (mostly
    full) and blackouts, and rules with a max of 2 or more. ``roomy`` courses have
    seats for every student's minimum."""
    sessions = draw(st.integers(1, most_sessions))
    session_day = [day(draw(st.integers(0, 3 * sessions))) for _ in range(sessions)]
    papers = []
    for n in range(1, draw(st.integers(1, most_papers)) + 1):
        session = draw(st.integers(1, sessions))
        papers.append(Paper(n, session, session_day[session - 1], draw(st.integers(1, 2))))
    max_rank = draw(st.integers(1, 3))
    least = draw(st.integers(1, 2))
    rules = Rules(
        min_per_student=least,
        max_per_student=draw(st.integers(2, 2 if most_papers <= 5 else 3)),
        max_rank=max_rank,
        min_days_apart=draw(st.sampled_from([0, 0, 1, 2, 4])),
    )
    seats = sum(p.capacity for p in papers)
    most = max(1, min(most_students, seats // least)) if roomy else most_students
    students = []
    for n in range(1, draw(st.integers(1, most)) + 1):
        ranking = draw(st.permutations([p.id for p in papers]))
        ranked = min(max_rank, len(papers)) - draw(st.sampled_from([0, 0, 0, 1, 2]))
        blackout = draw(st.frozensets(st.integers(1, sessions), max_size=sessions // 2))
        students.append(Student(100 + n, tuple(ranking[: max(0, ranked)]), blackout))
    return students, papers, rules


def solve_or_reasons(students, papers, rules, seed: int) -> Solution | list[str]:
    try:
        return solve(students, papers, rules, seed=seed)
    except Infeasible as error:
        return error.reasons


@PROPERTY
@given(courses(most_students=4, most_papers=5, most_sessions=4, roomy=True), st.integers(0, 3))
def test_the_solution_is_as_good_as_the_best_of_every_assignment(course, seed):
    students, papers, rules = course
    best = brute_force_key(students, papers, rules)
    if best is None:
        with pytest.raises(Infeasible):
            solve(students, papers, rules, seed=seed)
        return
    solution = solve(students, papers, rules, seed=seed)
    assert violations(students, papers, rules, solution.placements) == []
    assert key(solution) == best


@settings(deadline=None, max_examples=40)
@given(courses(most_students=25, most_papers=14, most_sessions=8, roomy=True), st.integers(0, 100))
def test_a_solution_of_a_larger_course_breaks_no_rule(course, seed):
    students, papers, rules = course
    solution = solve_or_reasons(students, papers, rules, seed)
    if isinstance(solution, list):
        assert solution  # an Infeasible always says why
        return
    assert violations(students, papers, rules, solution.placements) == []
    assert short_students(solution, students, rules) == []
    # The order the rows arrive in changes nothing.
    reordered = solve(students[::-1], papers[::-1], rules, seed=seed)
    assert reordered == solution
