"""The exact solver: integer programming with HiGHS (scipy.optimize.milp)."""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from courses.domain.assignment.rules import (
    Infeasible,
    Paper,
    Placement,
    Rules,
    Solution,
    SolveTimeout,
    Student,
    checked_inputs,
    count_phrase,
    obvious_infeasibility,
    placement_order,
    violations,
)


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
        f"{count_phrase(rules.min_per_student, 'paper')}, no paper may go over its seats, "
        f"no student may have two papers {spacing}, and nobody presents in a blackout session."
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
    students, papers = checked_inputs(students, papers, rules)
    unranked = rules.max_rank + 1
    if rules.min_per_student == 0 or not students:
        return Solution((), seed, unranked)
    reasons = obvious_infeasibility(students, papers, rules)
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
    solution = Solution(tuple(sorted(placements, key=placement_order)), seed, unranked)
    # A guard against solver tolerances: what is returned has been checked in words.
    problems = violations(students, papers, rules, solution.placements)
    if problems:
        raise RuntimeError("The solver's assignment breaks rules: " + " ".join(problems))
    return solution
