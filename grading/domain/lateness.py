"""Late work, as pure functions: how late, which late days pay for it, and the
deduction a grader is offered.

- Work is late when it arrives after the due time plus the component's grace
  period. How late is measured from the due time, and a started day counts as
  a whole day (large LMSs round up the same way).
- A course may give each student a number of late days. They are spent
  automatically, in the order work was handed in, each covering one day late,
  before any deduction.
- The component's policy takes a percent of the points possible for each day
  not covered, never below a floor (a percent of the points possible); a score
  already under the floor is not reduced.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DAY = dt.timedelta(days=1)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class LatePolicy:
    grace: dt.timedelta = dt.timedelta(0)
    percent_per_day: Decimal = Decimal(0)
    floor_percent: Decimal = Decimal(0)


@dataclass(frozen=True)
class Lateness:
    late_by: dt.timedelta  # zero when on time
    days: int  # started days late
    covered: int = 0  # paid for with late days
    penalized: int = 0  # the rest, which the policy deducts for

    @property
    def is_late(self) -> bool:
        return self.days > 0


ON_TIME = Lateness(dt.timedelta(0), 0)


def lateness(
    submitted_at: dt.datetime, due_at: dt.datetime | None, grace: dt.timedelta
) -> Lateness:
    """How late one hand-in is, before late days."""
    if due_at is None or submitted_at <= due_at + grace:
        return ON_TIME
    late_by = submitted_at - due_at
    return Lateness(late_by, math.ceil(late_by / DAY))


def late_days_spend(
    hand_ins: Sequence[tuple[Hashable, dt.datetime, Lateness]], budget: int
) -> dict[Hashable, Lateness]:
    """Spend a student's ``budget`` of late days on their late hand-ins in the
    order they were handed in; each hand-in takes as many days as it needs from
    what is left. Returns every hand-in's lateness with ``covered`` and
    ``penalized`` filled in."""
    left = max(0, budget)
    spent: dict[Hashable, Lateness] = {}
    for key, _, late in sorted(hand_ins, key=lambda h: h[1]):
        covered = min(left, late.days)
        left -= covered
        spent[key] = Lateness(late.late_by, late.days, covered, late.days - covered)
    return spent


def late_deduction(
    points: Decimal, points_possible: Decimal, days: int, policy: LatePolicy
) -> Decimal:
    """The points a grader is offered to take off ``points`` for ``days``
    uncovered days late (0 when none): percent of the points possible per day,
    without going under the floor."""
    if days <= 0 or policy.percent_per_day <= 0:
        return Decimal(0)
    floor = (points_possible * policy.floor_percent / 100).quantize(CENT, ROUND_HALF_UP)
    if points <= floor:
        return Decimal(0)
    wanted = (points_possible * policy.percent_per_day * days / 100).quantize(CENT, ROUND_HALF_UP)
    return min(wanted, points - floor)


def late_by_text(late: Lateness) -> str:
    """ "2 days 3 hours late", for people."""
    if not late.is_late:
        return "on time"
    if late.late_by < dt.timedelta(minutes=1):
        return "less than a minute late"
    total_minutes = int(late.late_by.total_seconds() // 60)
    days, rest = divmod(total_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and (minutes or not hours):
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts) + " late"
