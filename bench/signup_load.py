"""Concurrent presentation sign-ups against gunicorn on PostgreSQL, over loopback.

    .venv/bin/python bench/signup_load.py [--students 200] [--papers 40] [--concurrency 50]

Builds a throw-away database `coursesite_bench` on the local PostgreSQL (or
BENCH_DATABASE_URL), a course whose sign-ups are open with N students and P
one-seat papers, starts gunicorn with the production settings, and has every
student fire two sign-ups for random papers at once (seeded, so runs are
comparable). Every POST must be redirected back to the paper board (a redirect
to the login page, or anywhere else, is an error). Afterwards it checks the
database: sign-ups were made, as many as seats taken; every paper somebody
asked for has its seat taken; no paper over its seats; no student over the
maximum. For scale it also times a plain GET /healthz under the same
concurrency in the same run, so the figure to read is the ratio, not the
absolute numbers of a shared machine. Exits non-zero if any request failed or
any check does not hold.
"""

from __future__ import annotations

import argparse
import random

import common

PORT = 8765
MAX_PRESENTATIONS = 2


def check_database(requested: set[int]) -> dict:
    """Seats and sign-ups as stored, against the papers somebody asked for."""
    from django.db.models import Count, Q

    from courses.models import PresentationSignup, Reading

    papers = list(
        Reading.objects.filter(presentable=True).annotate(
            taken=Count("signups", filter=Q(signups__status="confirmed"))
        )
    )
    over_max = (
        PresentationSignup.objects.confirmed()
        .values("student")
        .annotate(n=Count("id"))
        .filter(n__gt=MAX_PRESENTATIONS)
        .count()
    )
    return {
        "seats": sum(p.presenter_capacity for p in papers),
        "seats_taken": sum(min(p.taken, p.presenter_capacity) for p in papers),
        "confirmed": PresentationSignup.objects.confirmed().count(),
        "papers_requested": len(requested),
        "requested_papers_with_free_seat": sum(
            1 for p in papers if p.pk in requested and p.taken < p.presenter_capacity
        ),
        "overbooked_seats": sum(max(0, p.taken - p.presenter_capacity) for p in papers),
        "students_over_max": over_max,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--papers", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=common.DEFAULT_WORKERS)
    parser.add_argument("--seed", type=int, default=6200)
    args = parser.parse_args()

    env = common.production_env(common.bench_database_url())
    common.recreate_database(env["DATABASE_URL"])
    common.setup_django(env)
    slug, papers, credentials = common.signup_course(
        "bench", args.students, args.papers, MAX_PRESENTATIONS
    )
    board = f"/courses/{slug}/papers/"
    rng = random.Random(args.seed)
    signup_jobs = []
    requested: set[int] = set()
    for _, session_key, csrf in credentials:
        headers = {
            "Cookie": common.cookie_header(session_key, csrf),
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        for paper in rng.sample(papers, MAX_PRESENTATIONS):
            signup_jobs.append(("POST", f"/courses/{slug}/papers/{paper}/signup/", headers))
            requested.add(paper)
    rng.shuffle(signup_jobs)

    with common.gunicorn(PORT, args.workers, env):
        health = common.healthz_baseline(PORT, len(signup_jobs), args.concurrency)
        signups = common.fire(PORT, signup_jobs, args.concurrency, expect_location=board)
    result = {
        "command": common.command_line("signup_load.py"),
        "students": args.students,
        "papers": args.papers,
        "concurrency": args.concurrency,
        "gunicorn_workers": args.workers,
        "signup_posts": signups,
        "healthz_gets": health,
        "signup_to_healthz_throughput": common.throughput_ratio(signups, health),
        "errors": common.errors_of(signups),
        **check_database(requested),
    }
    common.write_result("signup_load", result)
    common.fail_unless(
        [
            ("a request failed or was not sent back to the board", result["errors"] == 0),
            ("sign-ups were made", result["confirmed"] > 0),
            ("as many sign-ups as seats taken", result["confirmed"] == result["seats_taken"]),
            ("every requested paper taken", result["requested_papers_with_free_seat"] == 0),
            ("no seat oversold", result["overbooked_seats"] == 0),
            ("no student over the maximum", result["students_over_max"] == 0),
        ]
    )


if __name__ == "__main__":
    main()
