"""What the assignment solver's worked examples and properties share: session
days and a solution's key."""

from __future__ import annotations

import datetime as dt

from courses.domain.assignment import Solution

TUESDAY = dt.date(2026, 1, 13)


def day(n: int) -> dt.date:
    return TUESDAY + dt.timedelta(days=n)


def key(solution: Solution) -> tuple[int | None, int, int]:
    return solution.worst_rank, solution.unranked, solution.total_rank
