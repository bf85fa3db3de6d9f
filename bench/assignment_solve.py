"""The optimal paper assignment on a course-sized instance, against first come.

    .venv/bin/python bench/assignment_solve.py [--students 200] [--papers 60]
        [--sessions 28] [--seed 1]

Generates a reproducible instance from the seed: sessions twice a week (Tuesday
and Thursday) from 13 January 2026, the papers spread over them, capacities so
that there are about 1.2 seats per required presentation, and every student
ranking 8 papers drawn by a Zipf-like popularity (a few papers are everyone's
favourites, as in a real seminar) and blacking out 0 to 3 sessions. The rules
are min 1, max 2, max_rank 8, papers at least 7 days apart. It times `solve`,
runs `first_come` on the same preferences with the same seed, and writes both
outcomes to bench/results/assignment_solve.json. Pure Python: no database.
Exits non-zero if the solution breaks a rule or leaves a student short.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

import scipy  # noqa: E402

from courses.domain.assignment import (  # noqa: E402
    Paper,
    Rules,
    Solution,
    Student,
    first_come,
    short_students,
    solve,
    violations,
)

FIRST_DAY = datetime.date(2026, 1, 13)  # a Tuesday
RULES = Rules(min_per_student=1, max_per_student=2, max_rank=8, min_days_apart=7)
SEATS_PER_DEMAND = 1.2
ZIPF_EXPONENT = 1.0
MAX_BLACKOUTS = 3


def instance(
    students: int, papers: int, sessions: int, seed: int
) -> tuple[list[Student], list[Paper]]:
    """The students and papers of one generated course."""
    rng = random.Random(seed)
    # Session k meets in week k // 2, on Tuesday (even k) or Thursday (odd k).
    days = [FIRST_DAY + datetime.timedelta(7 * (k // 2) + 2 * (k % 2)) for k in range(sessions)]
    session_of = [k % sessions for k in range(papers)]
    rng.shuffle(session_of)
    seats = round(SEATS_PER_DEMAND * students * RULES.min_per_student)
    capacity = [max(1, seats // papers)] * papers
    for k in rng.sample(range(papers), seats % papers if seats >= papers else 0):
        capacity[k] += 1
    offered = [
        Paper(id=k + 1, session_id=session_of[k] + 1, day=days[session_of[k]], capacity=capacity[k])
        for k in range(papers)
    ]
    # Popularity 1/r^s over a random order of the papers. A weighted draw without
    # replacement (the largest u^(1/w)) ranks popular papers higher, on average.
    order = rng.sample(range(papers), papers)
    weight = {offered[k].id: 1 / (r + 1) ** ZIPF_EXPONENT for r, k in enumerate(order)}
    people = []
    for n in range(students):
        keys = {pid: rng.random() ** (1 / w) for pid, w in weight.items()}
        ranking = sorted(keys, key=keys.__getitem__, reverse=True)[: RULES.max_rank]
        blackout = rng.sample(range(1, sessions + 1), rng.randint(0, min(MAX_BLACKOUTS, sessions)))
        people.append(Student(id=n + 1, ranking=tuple(ranking), blackout=frozenset(blackout)))
    return people, offered


def outcome(solution: Solution, students: list[Student]) -> dict:
    short = short_students(solution, students, RULES)
    return {
        "placements": len(solution.placements),
        "worst_rank": solution.worst_rank,
        "mean_rank": None if solution.mean_rank is None else round(solution.mean_rank, 3),
        "total_rank": solution.total_rank,
        "unranked": solution.unranked,
        "histogram": {
            "unranked" if rank is None else str(rank): n for rank, n in solution.histogram().items()
        },
        "students_short": len(short),
        "short_student_ids": short,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--papers", type=int, default=60)
    parser.add_argument("--sessions", type=int, default=28)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    students, papers = instance(args.students, args.papers, args.sessions, args.seed)
    start = time.perf_counter()
    optimal = solve(students, papers, RULES, seed=args.seed)
    solve_seconds = time.perf_counter() - start
    start = time.perf_counter()
    board = first_come(students, papers, RULES, seed=args.seed)
    board_seconds = time.perf_counter() - start

    favourite = max(
        (p.id for p in papers), key=lambda pid: sum(s.ranking[:1] == (pid,) for s in students)
    )
    result = {
        "command": " ".join([".venv/bin/python bench/assignment_solve.py", *sys.argv[1:]]),
        "instance": {
            "students": len(students),
            "papers": len(papers),
            "sessions": args.sessions,
            "weeks": (args.sessions + 1) // 2,
            "seed": args.seed,
            "seats": sum(p.capacity for p in papers),
            "required_presentations": len(students) * RULES.min_per_student,
            "rules": {
                "min_per_student": RULES.min_per_student,
                "max_per_student": RULES.max_per_student,
                "max_rank": RULES.max_rank,
                "min_days_apart": RULES.min_days_apart,
            },
            "ranked_per_student": RULES.max_rank,
            "zipf_exponent": ZIPF_EXPONENT,
            "blackouts": sum(len(s.blackout) for s in students),
            "first_choice_of_most_students": {
                "paper": favourite,
                "students": sum(s.ranking[:1] == (favourite,) for s in students),
                "seats": next(p.capacity for p in papers if p.id == favourite),
            },
        },
        "solve": {"seconds": round(solve_seconds, 3), **outcome(optimal, students)},
        "first_come": {"seconds": round(board_seconds, 4), **outcome(board, students)},
        "scipy": scipy.__version__,
    }
    text = json.dumps(result, indent=2)
    print(text)
    out = ROOT / "bench" / "results" / "assignment_solve.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n")

    broken = violations(students, papers, RULES, optimal.placements)
    if broken:
        raise SystemExit("FAILED: the solution breaks rules: " + " ".join(broken))


if __name__ == "__main__":
    main()
