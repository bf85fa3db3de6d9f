"""A large department, generated, and the heaviest pages timed at that size.

    .venv/bin/python bench/department_scale.py [--courses 50] [--users 5000]

Builds a throw-away PostgreSQL database (BENCH_DATABASE_URL or
`coursesite_bench`) holding 50 courses and 5,000 users; every course has
sessions, readings, resources and a gradebook, and the largest has 200
students, 40 graded items (8,000 scores, a hand-in for each response), 60
papers with their presenters and 20 polls with answers. Then, in this process
with the production settings, it requests the heaviest pages of the largest
course as the person who would open them, several times each, and records the
median time and the number of queries. The rows are written in bulk (this is
data to measure pages with, not a test of the write paths).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from decimal import Decimal

import common


def generate(courses: int, users: int, rng: random.Random) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from courses.models import (
        Course,
        Membership,
        Poll,
        PollAnswer,
        PollChoice,
        PresentationSignup,
        Reading,
        Resource,
        Session,
    )
    from grading.models import GradeComponent, GradeItem, Score, Submission

    User = get_user_model()
    now = timezone.now()
    people = User.objects.bulk_create(
        User(username=f"person{n:05d}", first_name=f"First{n}", last_name=f"Last{n}",
             email=f"person{n:05d}@example.edu")
        for n in range(users)
    )  # fmt: skip
    start = dt.date(2026, 1, 15)
    all_courses = Course.objects.bulk_create(
        Course(
            slug=f"course-{n:02d}",
            code=f"DEPT{5000 + n}",
            title=f"Seminar {n}",
            term="Spring 2026",
            is_published=True,
            overview="A seminar. " * 40,
            signup_opens_at=now - dt.timedelta(days=30),
            signup_closes_at=now + dt.timedelta(days=30),
        )
        for n in range(courses)
    )
    big = all_courses[0]
    memberships, sessions, readings, resources, components = [], [], [], [], []
    for n, course in enumerate(all_courses):
        size = 200 if course is big else 60
        chosen = rng.sample(people, size + 3)
        memberships += [Membership(course=course, user=u, role="student") for u in chosen[:size]]
        memberships += [Membership(course=course, user=u, role="ta") for u in chosen[size:-1]]
        memberships.append(Membership(course=course, user=chosen[-1], role="instructor"))
        for week in range(28):
            sessions.append(
                Session(
                    course=course,
                    date=start + dt.timedelta(days=3 * week + n % 2),
                    start_time=dt.time(15, 30),
                    end_time=dt.time(17, 0),
                    title=f"Week {week // 2 + 1} session {week % 2 + 1}",
                )
            )
        resources += [
            Resource(course=course, category=f"Category {k % 4}", title=f"Resource {k}",
                     url="https://example.edu/r")
            for k in range(12)
        ]  # fmt: skip
        components += [
            GradeComponent(course=course, name=name, weight=weight, order=k)
            for k, (name, weight) in enumerate(
                [("Presentations", 25), ("Participation", 15), ("Responses", 20),
                 ("Assignments", 15), ("Project", 25)]
            )
        ]  # fmt: skip
    Membership.objects.bulk_create(memberships, batch_size=2000)
    Session.objects.bulk_create(sessions, batch_size=2000)
    Resource.objects.bulk_create(resources, batch_size=2000)
    GradeComponent.objects.bulk_create(components)
    for session in Session.objects.all():
        for k in range(3 if session.course_id == big.pk else 2):
            readings.append(
                Reading(session=session, order=k, title=f"Paper {session.pk}-{k}",
                        authors="A. Author, B. Author", year=2024, presentable=k < 2,
                        presenter_capacity=2, kind="required" if k < 2 else "optional")
            )  # fmt: skip
    Reading.objects.bulk_create(readings, batch_size=2000)

    # The largest course's gradebook, hand-ins, presenters and polls.
    students = [m.user for m in Membership.objects.filter(course=big, role="student")]
    ta = Membership.objects.filter(course=big, role="ta").first().user
    big_components = list(GradeComponent.objects.filter(course=big).order_by("order"))
    items = GradeItem.objects.bulk_create(
        GradeItem(component=big_components[k % 5], title=f"Item {k + 1}",
                  points_possible=Decimal(rng.choice([5, 10, 20])),
                  due_at=now - dt.timedelta(days=40 - k), released=k % 4 != 0,
                  accepts_text=k % 5 == 2, order=k)
        for k in range(40)
    )  # fmt: skip
    scores, hand_ins = [], []
    for item in items:
        for student in students:
            share = Decimal(rng.randint(50, 100)) / 100
            points = (item.points_possible * share).quantize(Decimal("0.01"))
            scores.append(Score(item=item, student=student, graded_by=ta, points=points))
            if item.accepts_text:
                hand_ins.append(
                    Submission(
                        item=item,
                        student=student,
                        text="My response. " * 30,
                        submitted_at=item.due_at - dt.timedelta(hours=2),
                    )
                )
    Score.objects.bulk_create(scores, batch_size=4000)
    Submission.objects.bulk_create(hand_ins, batch_size=4000)
    papers = list(Reading.objects.filter(session__course=big, presentable=True))[:60]
    PresentationSignup.objects.bulk_create(
        PresentationSignup(reading=paper, student=students[k % len(students)], status="confirmed")
        for k, paper in enumerate(papers)
    )
    answers = []
    for k in range(20):
        poll = Poll.objects.create(course=big, question=f"Poll {k}?", kind="single", state="closed")
        choices = PollChoice.objects.bulk_create(
            PollChoice(poll=poll, text=t, order=i) for i, t in enumerate("ABCD")
        )
        picked = rng.sample(students, 170)
        made = PollAnswer.objects.bulk_create(PollAnswer(poll=poll, student=s) for s in picked)
        answers += [(answer, rng.choice(choices)) for answer in made]
    PollAnswer.choices.through.objects.bulk_create(
        PollAnswer.choices.through(pollanswer_id=a.pk, pollchoice_id=c.pk) for a, c in answers
    )
    return {
        "big": big,
        "ta": ta,
        "student": students[0],
        "counts": {
            "courses": Course.objects.count(),
            "users": User.objects.count(),
            "memberships": Membership.objects.count(),
            "sessions": Session.objects.count(),
            "readings": Reading.objects.count(),
            "largest_course_students": len(students),
            "largest_course_items": len(items),
            "scores": Score.objects.count(),
            "submissions": Submission.objects.count(),
            "poll_answers": PollAnswer.objects.count(),
        },
    }


def measure(client, path: str, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    # Counted now: the next request clears the log the context reads from.
    queries = len(ctx.captured_queries)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    return {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "queries": queries,
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--courses", type=int, default=50)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    url = common.bench_database_url()
    common.recreate_database(url)
    env = common.production_env(url)
    env["SECURE_SSL_REDIRECT"] = "0"
    common.setup_django(env)
    from django.test import Client

    started = time.perf_counter()
    data = generate(args.courses, args.users, random.Random(6200))
    generated = time.perf_counter() - started
    slug = data["big"].slug

    def as_user(user) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        return client

    anonymous = Client(HTTP_HOST="127.0.0.1")
    ta, student = as_user(data["ta"]), as_user(data["student"])
    item = data["big"].components.get(name="Responses").items.first()
    pages = {
        "course list (anonymous)": (anonymous, "/"),
        "course home (anonymous, cached after the first)": (anonymous, f"/courses/{slug}/"),
        "schedule (member, 28 sessions, presenters)": (student, f"/courses/{slug}/schedule/"),
        "sign-up board (student)": (student, f"/courses/{slug}/papers/"),
        "gradebook (TA, 200 x 40)": (ta, f"/courses/{slug}/gradebook/"),
        "gradebook CSV export (TA)": (ta, f"/courses/{slug}/gradebook/export.csv"),
        "one item's scores (TA)": (ta, f"/courses/{slug}/gradebook/items/{item.pk}/"),
        "grading queue (TA)": (ta, f"/courses/{slug}/gradebook/items/{item.pk}/submissions/"),
        "my grades (student)": (student, f"/courses/{slug}/grades/"),
        "participation (TA, 20 polls)": (ta, f"/courses/{slug}/polls/participation/"),
        "my courses (student)": (student, "/my-courses/"),
    }
    figures = {name: measure(client, path, args.rounds) for name, (client, path) in pages.items()}
    result = {
        "command": common.command_line("department_scale.py"),
        "database": "postgresql",
        "generated_seconds": round(generated, 1),
        "data": data["counts"],
        "rounds": args.rounds,
        "pages": figures,
    }
    common.write_result("department_scale", result)


if __name__ == "__main__":
    main()
