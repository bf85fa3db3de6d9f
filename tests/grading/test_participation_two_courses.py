"""Poll participation stays in its course (tests/two_courses.py): polls held
and answered in one course never count, or score, in the other."""

from __future__ import annotations

from decimal import Decimal

import pytest

from courses.models import Poll, PollAnswer
from courses.selectors.polls import participation
from grading.models import GradeComponent, Score
from grading.services import score_set
from grading.services.participation import participation_plan, participation_score
from tests.factories import GradeItemFactory

pytestmark = pytest.mark.django_db


def held_poll(course, question: str) -> Poll:
    return Poll.objects.create(course=course, question=question, state=Poll.State.CLOSED)


@pytest.fixture
def polled(two_courses):
    """A held one poll, which Alice answered; B held two, answered by Alice,
    Bob and Carol. Each course has a participation item of 10 points."""
    t = two_courses
    a_poll = held_poll(t.a, "Which optimizer?")
    PollAnswer.objects.create(poll=a_poll, student=t.alice)
    for question in ("Tokenizers?", "Scaling laws?"):
        poll = held_poll(t.b, question)
        for student in (t.alice, t.bob, t.carol):
            PollAnswer.objects.create(poll=poll, student=student)
    t.a_polls = GradeItemFactory(
        component=GradeComponent.objects.get(course=t.a, name="Participation"),
        title="Polls",
        points_possible=Decimal("10"),
    )
    t.b_polls = GradeItemFactory(component=t.b_responses, title="Polls")
    return t


def test_each_course_counts_its_own_polls_and_students(polled):
    t = polled
    in_a = {row.student.username: (row.answered, row.held) for row in participation(t.a).values()}
    in_b = {row.student.username: (row.answered, row.held) for row in participation(t.b).values()}

    assert in_a == {"alice": (1, 1), "erin": (0, 1)}
    assert in_b == {"alice": (2, 2), "bob": (2, 2), "carol": (2, 2), "frank": (0, 2)}


def test_scoring_as_participation_item_writes_as_scores_only(polled):
    t = polled
    score_set(item=t.b_polls, student=t.frank, points=Decimal("4"), by=t.dan)

    plan = participation_plan(item=t.a_polls)
    participation_score(item=t.a_polls, by=t.carol, fingerprint=plan.fingerprint)

    assert {
        (s.item.title, s.item.component.course.code, s.student.username, s.points)
        for s in Score.objects.select_related("item__component__course", "student")
    } == {
        ("Polls", "CIS6200", "alice", Decimal("10.00")),
        ("Polls", "CIS6200", "erin", Decimal("0.00")),
        ("Polls", "CIS7000", "frank", Decimal("4")),
    }


def test_as_gradebook_shows_polls_answered_of_as_polls(polled):
    t = polled
    page = t.client(t.bob).get(t.url("grading:gradebook", t.a))

    rows = {row.student.username: row.components for row in page.context["rows"]}
    assert "1/1" in rows["alice"]
    assert "0/1" in rows["erin"]
    assert set(rows) == {"alice", "erin"}


def test_scoring_bs_item_through_as_address_is_404(polled):
    t = polled
    response = t.client(t.carol).post(
        t.url("grading:participation_score", t.a), {"item": t.b_polls.pk}
    )

    assert response.status_code == 404
    assert not Score.objects.exists()
