"""The demo course built by ``manage.py seed_demo``, continued: its polls, their
answers and participation, and a rerun that adds none of them again. The expected
values are written out here, not read from ``demo_data``."""

from __future__ import annotations

import pytest

from courses.models import Course, Membership, Poll, PollAnswer, PollChoice, Session
from courses.selectors.polls import participation, poll_results
from courses.services.polls import poll_state_set
from tests.coursesite.demo_helpers import SLUG, seed


@pytest.fixture
def course(output) -> Course:
    return Course.objects.get(slug=SLUG)


# The demo's polls: four asked in past sessions and closed, one open in the last.
CLOSED_POLLS = {
    # question: (session, kind, anonymous, students who answered)
    "Given ten times the compute, where should a compute-optimal run spend it?": (
        "Scaling laws",
        "single",
        False,
        18,
    ),
    "Which collective operations does PyTorch DDP use? Choose all that apply.": (
        "Data parallelism and collective communication",
        "multiple",
        False,
        17,
    ),
    "Halfway through the term: how is the pace of the course?": (
        "Mixed precision and gradient compression",
        "single",
        True,
        19,
    ),
    "In a few words: what limits context length most in practice?": (
        "Efficient attention mechanisms",
        "text",
        False,
        16,
    ),
}
OPEN_POLL = "Which technique from this course are you most likely to use next?"


def _poll_counts() -> tuple[int, ...]:
    return (
        Poll.objects.count(),
        PollChoice.objects.count(),
        PollAnswer.objects.count(),
        PollAnswer.choices.through.objects.count(),
    )


def test_demo_has_closed_polls_answered_by_most_students(course):
    closed = Poll.objects.filter(course=course, state="closed").select_related("session")
    found = {p.question: (p.session.title, p.kind, p.anonymous, p.answers.count()) for p in closed}
    assert found == CLOSED_POLLS
    students = set(
        Membership.objects.filter(course=course, role="student").values_list("user_id", flat=True)
    )
    last_class = Session.objects.filter(course=course).last()
    for poll in closed:
        assert poll.session.date < last_class.date, poll
        assert poll.results == "after_close"
        assert poll.results_visible_to_students()
        assert poll.opened_at is not None
        assert poll.closed_at >= poll.opened_at
        answers = list(poll.answers.prefetch_related("choices"))
        assert {a.student_id for a in answers} <= students
        picked = [len(a.choices.all()) for a in answers]
        if poll.kind == "single":
            assert set(picked) == {1}, poll
            assert poll.choices.count() == 4
        elif poll.kind == "multiple":
            assert min(picked) >= 1, poll
            assert max(picked) > 1, poll
        else:
            assert set(picked) == {0}
            assert all(a.text for a in answers)
            assert len({a.text for a in answers}) > 5  # not everyone writes the same
        if poll.kind != "text":
            counts = [c.count for c in poll_results(poll).choices]
            assert len([n for n in counts if n]) > 1, poll  # the class does not answer as one


def test_exactly_one_poll_is_open_in_the_last_session_with_live_results(course):
    open_polls = list(Poll.objects.filter(course=course, state="open"))
    assert [p.question for p in open_polls] == [OPEN_POLL]
    poll = open_polls[0]
    assert poll.session == Session.objects.filter(course=course).last()
    assert (poll.kind, poll.results, poll.anonymous) == ("single", "live", False)
    assert poll.results_visible_to_students()
    assert poll.answers.count() == 6
    assert Poll.objects.filter(course=course).count() == 5
    assert not Poll.objects.filter(course=course, state="draft").exists()


def test_the_anonymous_poll_is_closed_and_answered(course):
    anonymous = Poll.objects.get(course=course, anonymous=True)
    assert anonymous.question == "Halfway through the term: how is the pace of the course?"
    assert anonymous.state == "closed"
    assert anonymous.answers.count() == 19


def test_polls_count_towards_participation(course):
    rows = participation(course)
    assert len(rows) == 20
    assert {row.held for row in rows.values()} == {5}
    assert sum(row.answered for row in rows.values()) == 18 + 17 + 19 + 16 + 6
    assert all(row.answered >= 1 for row in rows.values())


def test_running_twice_adds_no_poll_or_answer(course, output):
    before = _poll_counts()
    assert before[0] == 5
    again = seed()
    assert _poll_counts() == before
    for text in (output, again):
        assert "announcements, 5 polls (1 open)" in text


def test_a_rerun_closes_a_reopened_demo_poll_again(course):
    poll = Poll.objects.get(course=course, question__startswith="Given ten times")
    poll_state_set(poll=poll, state="open")
    answers = list(poll.answers.order_by("pk").values("pk", "answered_at"))
    before = _poll_counts()
    seed()
    poll.refresh_from_db()
    assert poll.state == "closed"
    assert list(poll.answers.order_by("pk").values("pk", "answered_at")) == answers
    assert _poll_counts() == before
