"""Sign-ups under real concurrency: threads with their own database
connections race through the same service the pages use. Runs on SQLite and,
with DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from courses.models import Membership, PresentationSignup
from courses.services.signups import SignupError, signup_create
from tests.factories import CourseFactory, MembershipFactory, ReadingFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 30
ROUNDS = 20
NO_SEAT = "This paper has no free seat left; you can join its waitlist."


def race(attempts) -> list[str]:
    """Run each attempt in its own thread, all released at once; return outcomes."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(attempt):
        try:
            barrier.wait()
            attempt()
            outcome = "won"
        except SignupError as error:
            outcome = str(error)
        except Exception as error:
            outcome = f"unhandled {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == len(attempts), "a racer never finished"
    return outcomes


@pytest.fixture
def open_course(transactional_db):
    now = timezone.now()
    return CourseFactory(
        signup_opens_at=now - dt.timedelta(days=1),
        signup_closes_at=now + dt.timedelta(days=1),
        max_presentations=ROUNDS,
    )


def test_thirty_students_racing_for_one_seat_leave_exactly_one_presenter(open_course):
    students = [
        MembershipFactory(course=open_course, role=Membership.Role.STUDENT).user
        for _ in range(RACERS)
    ]
    for _ in range(ROUNDS):
        paper = ReadingFactory(session=SessionFactory(course=open_course), presentable=True)
        outcomes = race(
            [lambda s=s, p=paper: signup_create(reading=p, student=s) for s in students]
        )
        assert Counter(outcomes) == {"won": 1, NO_SEAT: RACERS - 1}
        assert PresentationSignup.objects.filter(reading=paper).count() == 1


def test_one_student_racing_two_papers_never_goes_over_the_maximum(open_course):
    open_course.max_presentations = 2
    open_course.save()
    for _ in range(ROUNDS):
        student = MembershipFactory(course=open_course, role=Membership.Role.STUDENT).user
        signup_create(
            reading=ReadingFactory(session=SessionFactory(course=open_course), presentable=True),
            student=student,
        )
        papers = [
            ReadingFactory(session=SessionFactory(course=open_course), presentable=True)
            for _ in range(2)
        ]
        outcomes = race(
            [lambda p=p, s=student: signup_create(reading=p, student=s) for p in papers]
        )
        assert sorted(outcomes)[0].startswith("You already present 2 papers")
        assert sorted(outcomes)[1] == "won"
        assert PresentationSignup.objects.filter(student=student).count() == 2
