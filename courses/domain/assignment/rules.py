"""The problem's data, its rules as checks, and the reasons an assignment cannot exist."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    id: int
    session_id: int
    day: datetime.date
    capacity: int  # seats (presenters) for this paper, >= 1


@dataclass(frozen=True)
class Student:
    id: int
    ranking: tuple[int, ...]  # paper ids, best first: ranking[0] has rank 1
    blackout: frozenset[int] = frozenset()  # session ids the student cannot present in


@dataclass(frozen=True)
class Rules:
    min_per_student: int
    max_per_student: int
    max_rank: int  # a student ranks at most this many; an unranked paper counts one more
    min_days_apart: int = 0  # between one student's papers, when > 0


@dataclass(frozen=True)
class Placement:
    student_id: int
    paper_id: int
    rank: int | None  # None: a paper the student did not rank (flagged to the instructor)


@dataclass(frozen=True)
class Solution:
    placements: tuple[Placement, ...]  # sorted by (student_id, paper_id)
    seed: int
    unranked_rank: int  # what an unranked placement counts as: max_rank + 1

    def papers_of(self, student_id: int) -> list[int]:
        return [p.paper_id for p in self.placements if p.student_id == student_id]

    def _ranks(self) -> list[int]:
        return [self.unranked_rank if p.rank is None else p.rank for p in self.placements]

    @property
    def worst_rank(self) -> int | None:
        return max(self._ranks(), default=None)

    @property
    def total_rank(self) -> int:
        return sum(self._ranks())

    @property
    def unranked(self) -> int:
        return sum(1 for p in self.placements if p.rank is None)

    @property
    def mean_rank(self) -> float | None:
        return self.total_rank / len(self.placements) if self.placements else None

    def histogram(self) -> dict[int | None, int]:
        """Placements per rank, best rank first, unranked (None) last."""
        counts = Counter(p.rank for p in self.placements)
        ranked = sorted(rank for rank in counts if rank is not None)
        ordered: dict[int | None, int] = {rank: counts[rank] for rank in ranked}
        if None in counts:
            ordered[None] = counts[None]
        return ordered


class Infeasible(Exception):
    """No assignment meets the rules; each reason is one sentence saying why."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__(" ".join(self.reasons))


class SolveTimeout(TimeoutError):
    """The solver did not prove an optimal assignment within the time limit."""


def count_phrase(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def checked_inputs(
    students: Sequence[Student], papers: Sequence[Paper], rules: Rules
) -> tuple[list[Student], list[Paper]]:
    """The inputs sorted by id (so that their order never changes the result), or
    ValueError naming what is wrong with them."""
    if rules.min_per_student < 0 or rules.max_per_student < rules.min_per_student:
        raise ValueError("The rules need 0 <= min_per_student <= max_per_student.")
    if rules.max_rank < 1 or rules.min_days_apart < 0:
        raise ValueError("The rules need max_rank >= 1 and min_days_apart >= 0.")
    for kind, ids in (("student", [s.id for s in students]), ("paper", [p.id for p in papers])):
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        if repeated:
            raise ValueError(f"The {kind} ids {repeated} appear more than once.")
    day_of: dict[int, datetime.date] = {}
    for paper in papers:
        if paper.capacity < 1:
            raise ValueError(f"Paper {paper.id} has capacity {paper.capacity}; it needs 1 or more.")
        if day_of.setdefault(paper.session_id, paper.day) != paper.day:
            raise ValueError(f"Session {paper.session_id} has papers on two different days.")
    known = {p.id for p in papers}
    for student in students:
        unknown = [pid for pid in student.ranking if pid not in known]
        if unknown:
            raise ValueError(
                f"Student {student.id} ranked papers {unknown}, which are not offered."
            )
        if len(set(student.ranking)) != len(student.ranking):
            raise ValueError(f"Student {student.id} ranked a paper twice.")
        if len(student.ranking) > rules.max_rank:
            raise ValueError(f"Student {student.id} ranked more than {rules.max_rank} papers.")
    return sorted(students, key=lambda s: s.id), sorted(papers, key=lambda p: p.id)


def fits(paper: Paper, held: Sequence[Paper], student: Student, rules: Rules) -> bool:
    """Whether ``student``, already holding ``held``, may also present ``paper``."""
    if paper.session_id in student.blackout or len(held) >= rules.max_per_student:
        return False
    return all(
        other.session_id != paper.session_id
        and abs((other.day - paper.day).days) >= rules.min_days_apart
        for other in held
    )


def _most_spaced(papers: Sequence[Paper], days_apart: int) -> int:
    """How many of ``papers`` one student can hold at once: distinct sessions, each
    ``days_apart`` days after the last. Taking the earliest day that fits each
    time is optimal, as in interval scheduling."""
    if days_apart == 0:
        return len({p.session_id for p in papers})
    count, last = 0, None
    for day in sorted({p.day for p in papers}):
        if last is None or (day - last).days >= days_apart:
            count, last = count + 1, day
    return count


def obvious_infeasibility(
    students: Sequence[Student], papers: Sequence[Paper], rules: Rules
) -> list[str]:
    """The reasons that need no solver: too few seats overall, or a student whose
    blackouts and the spacing leave room for fewer papers than the minimum."""
    need = rules.min_per_student
    reasons = []
    seats = sum(p.capacity for p in papers)
    if seats < len(students) * need:
        reasons.append(
            f"There are {count_phrase(seats, 'seat')} for {count_phrase(len(students), 'student')} "
            f"who each need {need}: "
            f"{len(students) * need - seats} short."
        )
    spacing = (
        f"sessions at least {rules.min_days_apart} days apart"
        if rules.min_days_apart
        else "different sessions"
    )
    for student in students:
        open_papers = [p for p in papers if p.session_id not in student.blackout]
        room = _most_spaced(open_papers, rules.min_days_apart)
        if not open_papers:
            reasons.append(
                f"Student {student.id} is blacked out of every session that has a paper, "
                f"but needs {count_phrase(need, 'paper')}."
            )
        elif len(open_papers) < need:
            reasons.append(
                f"Student {student.id} can present only {count_phrase(len(open_papers), 'paper')} "
                f"outside their blackout sessions, but needs {need}."
            )
        elif room < need:
            reasons.append(
                f"Student {student.id} can fit at most {count_phrase(room, 'paper')} in {spacing} "
                f"outside their blackout sessions, but needs {need}."
            )
    return reasons


def placement_order(placement: Placement) -> tuple[int, int]:
    return placement.student_id, placement.paper_id


def violations(
    students: Sequence[Student],
    papers: Sequence[Paper],
    rules: Rules,
    placements: Sequence[Placement],
) -> list[str]:
    """Every rule that ``placements`` break, one sentence each; empty when none.
    For checking a result and the instructor's own changes to one."""
    student_by_id = {s.id: s for s in students}
    paper_by_id = {p.id: p for p in papers}
    problems = []
    held: dict[int, list[Paper]] = defaultdict(list)
    for (student_id, paper_id), n in sorted(Counter(map(placement_order, placements)).items()):
        if n > 1:
            problems.append(f"Student {student_id} is placed on paper {paper_id} {n} times.")
    pairs = sorted(
        {(p.student_id, p.paper_id): p for p in placements}.values(), key=placement_order
    )
    for placement in pairs:
        student = student_by_id.get(placement.student_id)
        paper = paper_by_id.get(placement.paper_id)
        if student is None:
            problems.append(f"A placement names student {placement.student_id}, who is not listed.")
            continue
        if paper is None:
            problems.append(
                f"Student {student.id} is placed on paper {placement.paper_id}, "
                "which is not offered."
            )
            continue
        if paper.session_id in student.blackout:
            problems.append(
                f"Student {student.id} has paper {paper.id} in session {paper.session_id}, "
                "which they blacked out."
            )
        for other in held[student.id]:
            gap = abs((other.day - paper.day).days)
            if other.session_id == paper.session_id:
                problems.append(
                    f"Student {student.id} has papers {other.id} and {paper.id} in the same "
                    f"session ({paper.session_id})."
                )
            elif gap < rules.min_days_apart:
                problems.append(
                    f"Student {student.id} has papers {other.id} and {paper.id} only "
                    f"{count_phrase(gap, 'day')} apart; they must be at least "
                    f"{rules.min_days_apart} apart."
                )
        held[student.id].append(paper)
        expected = student.ranking.index(paper.id) + 1 if paper.id in student.ranking else None
        if placement.rank != expected:
            given = "no rank" if placement.rank is None else f"rank {placement.rank}"
            truth = "did not rank it" if expected is None else f"ranked it {expected}"
            problems.append(
                f"Student {student.id} is placed on paper {paper.id} with {given}, but {truth}."
            )
    presenters = Counter(paper.id for held_papers in held.values() for paper in held_papers)
    for paper in sorted(papers, key=lambda p: p.id):
        if presenters[paper.id] > paper.capacity:
            problems.append(
                f"Paper {paper.id} has {presenters[paper.id]} presenters but only "
                f"{count_phrase(paper.capacity, 'seat')}."
            )
    for student in sorted(students, key=lambda s: s.id):
        n = len(held[student.id])
        if n < rules.min_per_student:
            problems.append(
                f"Student {student.id} has {count_phrase(n, 'paper')} but needs at least "
                f"{rules.min_per_student}."
            )
        elif n > rules.max_per_student:
            problems.append(
                f"Student {student.id} has {count_phrase(n, 'paper')} but may have at most "
                f"{rules.max_per_student}."
            )
    return problems
