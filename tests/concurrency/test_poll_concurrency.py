"""Poll answers under real concurrency: threads with their own database
connections send answers (and a close) at the same moment, through the same
service and page the phones use. Runs on SQLite and, with DATABASE_URL set, on
PostgreSQL."""

from __future__ import annotations

import random
import re
import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from courses.models import Membership, Poll, PollAnswer
from courses.selectors.polls import poll_results
from courses.services import polls
from tests.factories import CourseFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

OK = "ok"
ROUNDS = 20
CLOSED = "This poll is closed; your answer was not recorded."


def race(attempts) -> list[str]:
    """Run each attempt in its own thread, all released at once; return the outcomes
    in the order of the attempts: "ok", what the attempt returned if it is text, or
    the message of the refusal."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str | None] = [None] * len(attempts)

    def run(n, attempt):
        try:
            barrier.wait()
            result = attempt()
            outcomes[n] = result if isinstance(result, str) else OK
        except polls.PollError as error:
            outcomes[n] = str(error)
        except Exception as error:
            outcomes[n] = f"unhandled {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, a)) for n, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert None not in outcomes, "a racer never finished"
    return outcomes


@pytest.fixture
def course(transactional_db):
    return CourseFactory(slug="cis6200")


def students(course, n: int) -> list:
    return [MembershipFactory(course=course, role=Membership.Role.STUDENT).user for _ in range(n)]


def open_poll(course, *, kind: str = "single", choices=("A", "B", "C", "D")) -> Poll:
    poll = polls.poll_create(course=course, question="Which one?", kind=kind, choices=choices)
    return polls.poll_state_set(poll=poll, state="open")


def answering(poll, student, choice_id: int):
    return lambda: polls.poll_answer(poll=poll, student=student, choice_ids=[choice_id])


@pytest.mark.parametrize(("racers", "rounds"), [(2, 20), (10, 10)])
def test_one_students_simultaneous_answers_leave_exactly_one_answer(course, racers, rounds):
    (student,) = students(course, 1)
    for _ in range(rounds):
        poll = open_poll(course, kind="multiple", choices=[f"Choice {n}" for n in range(racers)])
        ids = list(poll.choices.values_list("pk", flat=True))
        outcomes = race([answering(poll, student, pk) for pk in ids])
        assert outcomes == [OK] * racers
        stored = PollAnswer.objects.get(poll=poll)
        # One of the answers won whole: its one choice, not a mix of several.
        assert len(stored.choices.all()) == 1
        assert stored.choices.get().pk in ids


def test_two_taps_at_once_on_the_poll_page_leave_one_answer_and_no_error(course):
    (student,) = students(course, 1)
    for _ in range(5):
        poll = open_poll(course)
        ids = list(poll.choices.values_list("pk", flat=True))[:2]
        clients = [Client(), Client()]
        for client in clients:
            client.force_login(student)
        path = f"/courses/{course.slug}/polls/{poll.pk}/answer/"
        outcomes = race(
            [
                lambda c=c, pk=pk, p=path: str(c.post(p, {"choice": pk}).status_code)
                for c, pk in zip(clients, ids, strict=True)
            ]
        )
        assert outcomes == ["302", "302"]
        assert PollAnswer.objects.filter(poll=poll).count() == 1


def test_thirty_students_answering_at_once_store_thirty_answers(course):
    class_ = students(course, 30)
    for _ in range(5):
        poll = open_poll(course)
        ids = list(poll.choices.values_list("pk", flat=True))
        picks = [random.choice(ids) for _ in class_]
        outcomes = race([answering(poll, s, pk) for s, pk in zip(class_, picks, strict=True)])
        assert outcomes == [OK] * len(class_)
        assert PollAnswer.objects.filter(poll=poll).count() == len(class_)
        counts = poll_results(poll)
        assert {c.choice.pk: c.count for c in counts.choices} == {pk: picks.count(pk) for pk in ids}


def test_a_close_racing_with_answers_keeps_every_answer_accepted_and_none_after_it(course):
    class_ = students(course, 15)
    seen = Counter()
    for _ in range(ROUNDS):
        poll = open_poll(course)
        ids = list(poll.choices.values_list("pk", flat=True))
        attempts = [answering(poll, s, random.choice(ids)) for s in class_]
        # The close starts somewhere among the answers.
        closer = random.randrange(len(attempts) + 1)
        attempts.insert(closer, lambda p=poll: polls.poll_state_set(poll=p, state="closed"))
        outcomes = race(attempts)
        assert outcomes[closer] == OK
        del outcomes[closer]
        assert set(outcomes) <= {OK, CLOSED}, outcomes
        seen.update(outcomes)

        poll.refresh_from_db()
        assert poll.state == Poll.State.CLOSED
        stored = PollAnswer.objects.filter(poll=poll)
        accepted = {s.pk for s, outcome in zip(class_, outcomes, strict=True) if outcome == OK}
        assert set(stored.values_list("student_id", flat=True)) == accepted
        assert all(a.answered_at <= poll.closed_at for a in stored)
        # And once closed, it stays closed to everyone.
        with pytest.raises(polls.PollError, match=re.escape(CLOSED)):
            polls.poll_answer(poll=poll, student=class_[0], choice_ids=ids[:1])
    assert seen[OK] + seen[CLOSED] == ROUNDS * len(class_)
    # The close really fell among the answers, not always first or last.
    assert seen[OK] > 0
    assert seen[CLOSED] > 0
