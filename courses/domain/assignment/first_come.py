"""First come, first served on the same rankings, for comparison."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence

from courses.domain.assignment.rules import (
    Paper,
    Placement,
    Rules,
    Solution,
    Student,
    checked_inputs,
    fits,
    placement_order,
)


def arrival_order(students: Sequence[Student], seed: int) -> list[int]:
    """The order, shuffled by ``seed``, in which students reach the first-come board."""
    ids = sorted(s.id for s in students)
    random.Random(seed).shuffle(ids)
    return ids


def first_come(
    students: Sequence[Student], papers: Sequence[Paper], rules: Rules, *, seed: int
) -> Solution:
    """The first-come board, for comparison: in `arrival_order`, round after round,
    each student still below the minimum takes their best-ranked paper that has a
    free seat and fits the rules. It never hands out an unranked paper, so a student
    whose ranked papers are gone stays short (see `short_students`)."""
    students, papers = checked_inputs(students, papers, rules)
    paper_by_id = {p.id: p for p in papers}
    student_by_id = {s.id: s for s in students}
    seats = {p.id: p.capacity for p in papers}
    held: dict[int, list[Paper]] = defaultdict(list)
    placements = []
    order = arrival_order(students, seed)
    progressed = True
    while progressed:
        progressed = False
        for student_id in order:
            student = student_by_id[student_id]
            if len(held[student_id]) >= rules.min_per_student:
                continue
            for rank, paper_id in enumerate(student.ranking, start=1):
                paper = paper_by_id[paper_id]
                if seats[paper_id] > 0 and fits(paper, held[student_id], student, rules):
                    seats[paper_id] -= 1
                    held[student_id].append(paper)
                    placements.append(Placement(student_id, paper_id, rank))
                    progressed = True
                    break
    return Solution(tuple(sorted(placements, key=placement_order)), seed, rules.max_rank + 1)


def short_students(solution: Solution, students: Sequence[Student], rules: Rules) -> list[int]:
    """The ids of the students who have fewer papers than the minimum in ``solution``."""
    count = Counter(p.student_id for p in solution.placements)
    return sorted(s.id for s in students if count[s.id] < rules.min_per_student)
