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

from courses.domain.assignment.first_come import arrival_order, first_come, short_students
from courses.domain.assignment.rules import (
    Infeasible,
    Paper,
    Placement,
    Rules,
    Solution,
    SolveTimeout,
    Student,
    violations,
)
from courses.domain.assignment.solver import solve

__all__ = [
    "Infeasible",
    "Paper",
    "Placement",
    "Rules",
    "Solution",
    "SolveTimeout",
    "Student",
    "arrival_order",
    "first_come",
    "short_students",
    "solve",
    "violations",
]
