"""Assigning seminar papers to student presenters from their ranked preferences,
as pure functions over plain data.

The rule that `solve` implements, and nothing else:

1. Every student presents at least ``min_per_student`` and at most
   ``max_per_student`` papers; no paper has more presenters than its capacity;
   nobody presents in a session they blacked out; one student's papers are in
   different sessions and, when ``min_days_apart > 0``, at least that many days
   apart.
2. A paper's rank for a student is its place in their ranking (1 = first
   choice). A paper they did not rank counts as ``max_rank + 1``, and is given
   only when no assignment meeting rule 1 exists otherwise.
3. Among the assignments that meet rule 1, the chosen one has the smallest
   worst rank any student receives; then the fewest unranked placements; then
   the smallest total of ranks.
4. Ties are broken by ``seed``: the same inputs and seed always give the same
   assignment, another seed may give another of the tied ones.

Every placement adds at least 1 to the total, so the optimum gives each student
exactly ``min_per_student`` papers: the maximum is a limit, never a target, and
with a minimum of 0 nobody is given a paper.

Inputs are checked first (ValueError): unique ids, a capacity of at least 1,
one day per session, and rankings that name only papers in ``papers``, each
once, at most ``max_rank`` of them. A ranking that names a paper no longer
offered is rejected rather than skipped, because the caller, not this module,
knows whether the ranks after it should move up.

An assignment that cannot exist raises `Infeasible` with reasons a person can
act on; the obvious ones (too few seats, a student blacked out of too much) are
found before any solving. `solve` is exact: integer programming with HiGHS
(scipy.optimize.milp) over one binary per student and paper outside their
blackouts. It finds the worst rank by searching thresholds (is there an
assignment using only ranks <= t?), then minimizes the unranked count, then the
total. `first_come` is the first-come board it replaces, for comparison.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array


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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _checked(
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


def _fits(paper: Paper, held: Sequence[Paper], student: Student, rules: Rules) -> bool:
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


def _obvious_infeasibility(
    students: Sequence[Student], papers: Sequence[Paper], rules: Rules
) -> list[str]:
    """The reasons that need no solver: too few seats overall, or a student whose
    blackouts and the spacing leave room for fewer papers than the minimum."""
    need = rules.min_per_student
    reasons = []
    seats = sum(p.capacity for p in papers)
    if seats < len(students) * need:
        reasons.append(
            f"There are {seats} seats for {len(students)} students who each need {need}: "
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
                f"but needs {_count(need, 'paper')}."
            )
        elif len(open_papers) < need:
            reasons.append(
                f"Student {student.id} can present only {_count(len(open_papers), 'paper')} "
                f"outside their blackout sessions, but needs {need}."
            )
        elif room < need:
            reasons.append(
                f"Student {student.id} can fit at most {_count(room, 'paper')} in {spacing} "
                f"outside their blackout sessions, but needs {need}."
            )
    return reasons


class _Model:
    """The integer program: x[j] = 1 when pair j = (student, paper) is placed.

    The spacing rule is one row per student and start day a: at most one of their
    papers on days a .. a + min_days_apart - 1. Two papers closer than that share
    the window starting at the earlier one, so this is exactly the pairwise rule,
    with far fewer rows. With min_days_apart 0 the window is one session.
    """

    def __init__(
        self,
        students: Sequence[Student],
        papers: Sequence[Paper],
        rules: Rules,
        *,
        blackouts: bool = True,
        spacing: bool = True,
        capacity: bool = True,
    ):
        self.students, self.papers, self.rules = students, papers, rules
        self.unranked_rank = rules.max_rank + 1
        self.pairs: list[tuple[int, int]] = []  # (student index, paper index)
        ranks = []
        for si, student in enumerate(students):
            position = {pid: n for n, pid in enumerate(student.ranking, start=1)}
            for pi, paper in enumerate(papers):
                if not blackouts or paper.session_id not in student.blackout:
                    self.pairs.append((si, pi))
                    ranks.append(position.get(paper.id, self.unranked_rank))
        self.ranks = np.array(ranks, dtype=float)
        rows: list[list[int]] = []
        low: list[float] = []
        high: list[float] = []
        by_student: dict[int, list[int]] = defaultdict(list)
        by_paper: dict[int, list[int]] = defaultdict(list)
        for j, (si, pi) in enumerate(self.pairs):
            by_student[si].append(j)
            by_paper[pi].append(j)
        for si in range(len(students)):
            rows.append(by_student[si])
            low.append(rules.min_per_student)
            high.append(rules.max_per_student)
        for pi, paper in enumerate(papers):
            if capacity and len(by_paper[pi]) > paper.capacity:  # otherwise it cannot bind
                rows.append(by_paper[pi])
                low.append(0)
                high.append(paper.capacity)
        days_apart = rules.min_days_apart if spacing else 0
        for js in by_student.values():
            for window in self._windows(js, days_apart):
                rows.append(window)
                low.append(0)
                high.append(1)
        self.constraint = _rows_constraint(rows, low, high, len(self.pairs))

    def _windows(self, js: list[int], days_apart: int) -> list[list[int]]:
        paper_of = {j: self.papers[self.pairs[j][1]] for j in js}
        if days_apart == 0:
            sessions: dict[int, list[int]] = defaultdict(list)
            for j, paper in paper_of.items():
                sessions[paper.session_id].append(j)
            return [group for group in sessions.values() if len(group) > 1]
        windows, previous = [], set()
        for start in sorted({p.day for p in paper_of.values()}):
            end = start + datetime.timedelta(days=days_apart - 1)
            window = {j for j, p in paper_of.items() if start <= p.day <= end}
            if len(window) > 1 and not window <= previous:  # a subset adds nothing
                windows.append(sorted(window))
            previous = window
        return windows

    def rank_lower_bound(self) -> int:
        """No assignment's worst rank is below each student's min-th best rank."""
        need = self.rules.min_per_student
        by_student: dict[int, list[float]] = defaultdict(list)
        for (si, _), rank in zip(self.pairs, self.ranks, strict=True):
            by_student[si].append(rank)
        return max(1, *(int(sorted(r)[need - 1]) for r in by_student.values()))


def _rows_constraint(
    rows: list[list[int]], low: list[float], high: list[float], columns: int
) -> LinearConstraint:
    indices = [j for row in rows for j in row]
    indptr = np.cumsum([0, *(len(row) for row in rows)])
    matrix = csr_array((np.ones(len(indices)), indices, indptr), shape=(len(rows), columns))
    return LinearConstraint(matrix, low, high)


class _Clock:
    """One time limit shared by every solver call of one `solve`."""

    def __init__(self, limit: float):
        self.limit = limit
        self.deadline = time.monotonic() + limit

    def message(self) -> str:
        return (
            f"No optimal assignment was proven within {self.limit:g} seconds; "
            "allow more time, or run it again with fewer students or papers."
        )

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SolveTimeout(self.message())
        return left


def _optimum(
    model: _Model,
    cost: np.ndarray,
    upper: np.ndarray,
    clock: _Clock,
    extra: Sequence[LinearConstraint] = (),
) -> np.ndarray | None:
    """An optimal x for ``cost``, or None when no assignment exists."""
    result = milp(
        cost,
        constraints=[model.constraint, *extra],
        integrality=np.ones(len(cost)),
        bounds=Bounds(0, upper),
        options={"time_limit": clock.remaining(), "mip_rel_gap": 0, "disp": False},
    )
    if result.status == 0:
        return result.x
    if result.status == 2:
        return None
    if result.status == 1:  # no iteration or node limit is set: it is the time limit
        raise SolveTimeout(clock.message())
    raise RuntimeError(f"The solver stopped without an answer: {result.message}")


def _feasible(model: _Model, threshold: int, clock: _Clock) -> bool:
    """Whether some assignment uses only ranks <= ``threshold``."""
    upper = (model.ranks <= threshold).astype(float)
    return _optimum(model, np.zeros(len(model.pairs)), upper, clock) is not None


def _why_no_assignment(
    students: Sequence[Student], papers: Sequence[Paper], rules: Rules, clock: _Clock
) -> list[str]:
    """The general reason, and which single rule, relaxed, would make room."""
    d = rules.min_days_apart
    spacing = f"less than {d} days apart" if d else "in one session"
    reasons = [
        "No assignment meets every rule at once: each student needs at least "
        f"{_count(rules.min_per_student, 'paper')}, no paper may go over its seats, no student "
        f"may have two papers {spacing}, and nobody presents in a blackout session."
    ]
    relaxations = [
        (
            {"spacing": False},
            bool(d),
            f"It becomes possible if papers may be closer than {d} days apart (still one "
            "per session): lower the minimum days apart.",
        ),
        (
            {"blackouts": False},
            any(s.blackout for s in students),
            "It becomes possible without the blackouts: ask some students to lift theirs.",
        ),
        (
            {"capacity": False},
            True,
            "It becomes possible with more seats: raise some papers' capacity or add papers.",
        ),
    ]
    try:
        for relaxed, applies, reason in relaxations:
            if applies:
                model = _Model(students, papers, rules, **relaxed)
                if _feasible(model, model.unranked_rank, clock):
                    reasons.append(reason)
    except SolveTimeout:
        return reasons
    if len(reasons) == 1:
        reasons.append(
            "Relaxing any one of these rules alone is not enough: lower the minimum papers "
            "per student, or add papers in more sessions."
        )
    return reasons


def solve(
    students: Sequence[Student],
    papers: Sequence[Paper],
    rules: Rules,
    *,
    seed: int,
    time_limit: float = 120.0,
) -> Solution:
    """The assignment of the module's rule. Raises Infeasible when none exists,
    SolveTimeout when optimality is not proven within ``time_limit`` seconds (all
    solver calls together), ValueError for inconsistent inputs."""
    students, papers = _checked(students, papers, rules)
    unranked = rules.max_rank + 1
    if rules.min_per_student == 0 or not students:
        return Solution((), seed, unranked)
    reasons = _obvious_infeasibility(students, papers, rules)
    if reasons:
        raise Infeasible(reasons)
    clock = _Clock(time_limit)
    model = _Model(students, papers, rules)

    # Rule 3, first key: the smallest threshold t with an assignment using ranks <= t.
    low = model.rank_lower_bound()
    if not _feasible(model, low, clock):
        if low == unranked or not _feasible(model, unranked, clock):
            raise Infeasible(_why_no_assignment(students, papers, rules, clock))
        low, high = low + 1, unranked
        while low < high:
            middle = (low + high) // 2
            if _feasible(model, middle, clock):
                high = middle
            else:
                low = middle + 1
    worst = low
    upper = (model.ranks <= worst).astype(float)

    # Second key: only when unranked papers are unavoidable, as few of them as can be.
    extra = []
    if worst == unranked:
        is_unranked = (model.ranks == unranked).astype(float)
        x = _optimum(model, is_unranked, upper, clock)
        if x is None:  # the threshold search has just found an assignment with these bounds
            raise RuntimeError("The solver lost an assignment it had found.")
        fewest = round(float(is_unranked @ x))
        extra.append(LinearConstraint(is_unranked[np.newaxis, :], 0, fewest))

    # Third key and rule 4: the total of ranks plus a seeded perturbation per pair,
    # each below 1/(2N) for N the most placements there can be. All of them together
    # add less than 1/2, so they choose among the assignments of the smallest integer
    # total and never move it.
    rng = random.Random(seed)
    most = len(students) * rules.max_per_student
    noise = np.array([rng.random() for _ in model.pairs]) / (2 * most)
    x = _optimum(model, model.ranks + noise, upper, clock, extra)
    if x is None:
        raise RuntimeError("The solver lost an assignment it had found.")

    placements = []
    for j in np.flatnonzero(x > 0.5):
        si, pi = model.pairs[j]
        rank = int(model.ranks[j])
        placements.append(
            Placement(students[si].id, papers[pi].id, None if rank == unranked else rank)
        )
    solution = Solution(tuple(sorted(placements, key=_order)), seed, unranked)
    # A guard against solver tolerances: what is returned has been checked in words.
    problems = violations(students, papers, rules, solution.placements)
    if problems:
        raise RuntimeError("The solver's assignment breaks rules: " + " ".join(problems))
    return solution


def _order(placement: Placement) -> tuple[int, int]:
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
    for (student_id, paper_id), n in sorted(Counter(map(_order, placements)).items()):
        if n > 1:
            problems.append(f"Student {student_id} is placed on paper {paper_id} {n} times.")
    pairs = sorted({(p.student_id, p.paper_id): p for p in placements}.values(), key=_order)
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
                    f"{_count(gap, 'day')} apart; they must be at least "
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
                f"{_count(paper.capacity, 'seat')}."
            )
    for student in sorted(students, key=lambda s: s.id):
        n = len(held[student.id])
        if n < rules.min_per_student:
            problems.append(
                f"Student {student.id} has {_count(n, 'paper')} but needs at least "
                f"{rules.min_per_student}."
            )
        elif n > rules.max_per_student:
            problems.append(
                f"Student {student.id} has {_count(n, 'paper')} but may have at most "
                f"{rules.max_per_student}."
            )
    return problems


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
    students, papers = _checked(students, papers, rules)
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
                if seats[paper_id] > 0 and _fits(paper, held[student_id], student, rules):
                    seats[paper_id] -= 1
                    held[student_id].append(paper)
                    placements.append(Placement(student_id, paper_id, rank))
                    progressed = True
                    break
    return Solution(tuple(sorted(placements, key=_order)), seed, rules.max_rank + 1)


def short_students(solution: Solution, students: Sequence[Student], rules: Rules) -> list[int]:
    """The ids of the students who have fewer papers than the minimum in ``solution``."""
    count = Counter(p.student_id for p in solution.placements)
    return sorted(s.id for s in students if count[s.id] < rules.min_per_student)
