"""A whole class answering an in-class poll at once, against gunicorn on PostgreSQL.

    .venv/bin/python bench/poll_burst.py [--students 200] [--concurrency 50] [--changes 50]

Builds a throw-away database `coursesite_bench` on the local PostgreSQL (or
BENCH_DATABASE_URL), a course of N students with one open single-choice poll of
four choices, starts gunicorn with the production settings, and has every
student POST one answer (a seeded random choice, so runs are comparable), 50
at a time, as when the question goes up on the projector. A second burst then
has some students change their answer. Afterwards it checks the database: one
answer per student, each with the choice that student sent last, and the
counts per choice equal to what was sent. For scale it also times a plain
GET /healthz under the same concurrency in the same run, so the figure to read
is the ratio, not the absolute numbers of a shared machine. Every answer must
be redirected back to the poll's page; any other status, or a redirect
elsewhere (such as the login page), is an error. Exits non-zero if any request
failed or any check does not hold.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from urllib.parse import urlencode

import common

PORT = 8766
CHOICES = ["Mostly a bigger model", "Mostly more tokens", "Evenly on both", "More epochs"]


def setup_poll(students: int) -> tuple[str, int, list[int], list[tuple[int, str, str]]]:
    """Returns the course slug, the poll id, its choice ids, and (user id, session
    key, csrf token) per student. The poll is created and opened by the services."""
    import datetime as dt

    from courses.models import Course, Poll, Session
    from courses.services.polls import poll_create, poll_state_set

    course = Course.objects.create(
        slug="bench", code="BENCH", title="Benchmark", term="Spring 2026", is_published=True
    )
    session = Session.objects.create(course=course, date=dt.date(2026, 1, 13), title="Scaling")
    poll = poll_create(
        course=course,
        session=session,
        question="Given ten times the compute, where should it go?",
        kind=Poll.Kind.SINGLE,
        choices=CHOICES,
        results=Poll.Results.LIVE,
    )
    poll = poll_state_set(poll=poll, state=Poll.State.OPEN)
    choice_ids = list(poll.choices.order_by("order").values_list("pk", flat=True))
    return course.slug, poll.pk, choice_ids, common.enrol_students(course, students)


def check_database(poll_id: int, sent: dict[int, int], choice_ids: list[int]) -> dict:
    """What is stored against what was sent last by each student."""
    from django.db.models import Count

    from courses.models import PollAnswer, PollChoice

    answers = PollAnswer.objects.filter(poll_id=poll_id)
    stored: dict[int, list[int]] = {}
    for student_id, choice_id in answers.values_list("student_id", "choices"):
        stored.setdefault(student_id, []).append(choice_id)
    wrong = [s for s, choice in sent.items() if stored.get(s) != [choice]]
    per_choice = dict(
        PollChoice.objects.filter(poll_id=poll_id)
        .annotate(n=Count("answers"))
        .values_list("pk", "n")
    )
    expected = Counter(sent.values())
    return {
        "answers_stored": answers.count(),
        "students_answered": answers.values("student").distinct().count(),
        "students_with_wrong_answer": len(wrong),
        "per_choice_stored": [per_choice.get(pk, 0) for pk in choice_ids],
        "per_choice_sent": [expected.get(pk, 0) for pk in choice_ids],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--changes", type=int, default=50, help="students who change their answer")
    parser.add_argument("--workers", type=int, default=common.DEFAULT_WORKERS)
    parser.add_argument("--seed", type=int, default=6200)
    args = parser.parse_args()

    env = common.production_env(common.bench_database_url())
    common.recreate_database(env["DATABASE_URL"])
    common.setup_django(env)
    slug, poll_id, choice_ids, credentials = setup_poll(args.students)
    rng = random.Random(args.seed)
    path = f"/courses/{slug}/polls/{poll_id}/answer/"
    poll_page = f"/courses/{slug}/polls/{poll_id}/"

    def answer_job(session_key: str, csrf: str, choice: int) -> tuple:
        headers = {
            "Cookie": common.cookie_header(session_key, csrf),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return ("POST", path, headers, urlencode({"csrfmiddlewaretoken": csrf, "choice": choice}))

    sent: dict[int, int] = {}
    answer_jobs = []
    for user_id, session_key, csrf in credentials:
        sent[user_id] = rng.choice(choice_ids)
        answer_jobs.append(answer_job(session_key, csrf, sent[user_id]))
    rng.shuffle(answer_jobs)
    change_jobs = []
    for user_id, session_key, csrf in rng.sample(credentials, args.changes):
        sent[user_id] = rng.choice([c for c in choice_ids if c != sent[user_id]])
        change_jobs.append(answer_job(session_key, csrf, sent[user_id]))

    with common.gunicorn(PORT, args.workers, env):
        health = common.healthz_baseline(PORT, len(answer_jobs), args.concurrency)
        answers = common.fire(PORT, answer_jobs, args.concurrency, expect_location=poll_page)
        changes = common.fire(PORT, change_jobs, args.concurrency, expect_location=poll_page)
    result = {
        "command": common.command_line("poll_burst.py"),
        "students": args.students,
        "choices": len(choice_ids),
        "concurrency": args.concurrency,
        "gunicorn_workers": args.workers,
        "answer_posts": answers,
        "change_posts": changes,
        "healthz_gets": health,
        "answer_to_healthz_throughput": common.throughput_ratio(answers, health),
        "errors": common.errors_of(answers) + common.errors_of(changes),
        **check_database(poll_id, sent, choice_ids),
    }
    common.write_result("poll_burst", result)
    common.fail_unless(
        [
            ("a request failed or was not sent back to the poll", result["errors"] == 0),
            ("answers stored", result["answers_stored"] == args.students),
            ("one answer per student", result["students_answered"] == args.students),
            ("each student's last choice", result["students_with_wrong_answer"] == 0),
            ("counts per choice", result["per_choice_stored"] == result["per_choice_sent"]),
        ]
    )


if __name__ == "__main__":
    main()
