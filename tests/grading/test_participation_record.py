"""The participation record: polls answered out of polls held, per session, and
scoring a gradebook item from it."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest

from courses.services import polls
from grading.models import Score
from grading.services import score_set
from tests.courses.polls_helpers import alerts, answer, new_poll, page, url
from tests.factories import GradeComponentFactory, GradeItemFactory, SessionFactory, new_student

pytestmark = pytest.mark.django_db


# --- the participation record ----------------------------------------------------------


@pytest.fixture
def record(course):
    """Two sessions: the first held two polls, the second one (and a draft);
    a third had only a draft. Ann answered all, Ben one, Cal none."""
    first = SessionFactory(course=course, date=dt.date(2026, 2, 3))
    second = SessionFactory(course=course, date=dt.date(2026, 2, 5))
    drafts_only = SessionFactory(course=course, date=dt.date(2026, 2, 10))
    ann = new_student(course, "ann", first_name="Ann", last_name="Able")
    ben = new_student(course, "ben", first_name="Ben", last_name="Baker")
    cal = new_student(course, "cal", first_name="Cal", last_name="Cole")
    p1 = new_poll(course, session=first, question="P1?")
    p2 = new_poll(course, session=first, question="P2?")
    p3 = new_poll(course, session=second, question="P3?")
    new_poll(course, state="draft", session=second, question="Draft in second?")
    new_poll(course, state="draft", session=drafts_only, question="Draft only?")
    for poll in (p1, p2, p3):
        answer(poll, ann, "Yes")
    answer(p2, ben, "No")
    polls.poll_state_set(poll=p1, state="closed")
    return {"ann": ann, "ben": ben, "cal": cal, "polls": [p1, p2, p3]}


def record_rows(response) -> dict[str, list[str]]:
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    rows = {}
    for name, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', body, re.S):
        rows[html.unescape(name)] = re.findall(r"<td>(.*?)</td>", cells)
    return rows


def test_the_participation_record_shows_polls_answered_out_of_held_per_session(
    course, record, as_ta
):
    response = as_ta.get(url(course, "participation/"))
    assert response.status_code == 200
    header = page(response).split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r'<th scope="col">(.*?)</th>', header) == [
        "Student",
        "Feb 3",
        "Feb 5",
        "Total",
        "Rate",
    ]  # the session with only a draft held no poll
    assert record_rows(response) == {
        "Ann Able": ["2/2", "1/1", "3/3", "100%"],
        "Ben Baker": ["1/2", "0/1", "1/3", "33%"],
        "Cal Cole": ["0/2", "0/1", "0/3", "0%"],
    }


@pytest.fixture
def participation_item(course):
    component = GradeComponentFactory(course=course, name="Participation", weight=10)
    return GradeItemFactory(component=component, title="In-class polls", points_possible=10)


def test_scoring_a_participation_item_gives_each_student_their_rate_of_the_points(
    course, record, participation_item, instructor, as_instructor
):
    dee = new_student(course, "dee", first_name="Dee", last_name="Dunn")
    excused = score_set(
        item=participation_item, student=dee, points=None, excused=True, by=instructor
    )
    shown = page(as_instructor.get(url(course, "participation/")))
    assert f'<option value="{participation_item.pk}">Participation: In-class polls</option>' in (
        shown
    )

    response = as_instructor.post(
        url(course, "participation/score/"), {"item": participation_item.pk}, follow=True
    )
    assert alerts(response) == [
        "“In-class polls” scored from poll participation: 3 score(s) changed."
    ]
    scores = {
        s.student.username: s.points
        for s in Score.objects.filter(item=participation_item).select_related("student")
    }
    assert scores == {
        "ann": Decimal("10.00"),
        "ben": Decimal("3.33"),
        "cal": Decimal("0.00"),
        "dee": None,
    }
    dee_score = Score.objects.get(pk=excused.pk)
    assert dee_score.excused is True
    assert dee_score.history.count() == 1
    for who in ("ann", "ben", "cal"):
        latest = Score.objects.get(item=participation_item, student=record[who]).history.latest()
        assert latest.history_user == instructor
        assert latest.history_change_reason.startswith("From poll participation")
        assert latest.history_change_reason == "From poll participation (3 polls held)"


def test_scoring_again_after_another_poll_updates_the_scores(
    course, record, participation_item, instructor, as_instructor
):
    score_path = url(course, "participation/score/")
    as_instructor.post(score_path, {"item": participation_item.pk}, follow=True)
    p4 = new_poll(course, question="P4?")
    answer(p4, record["ben"], "Yes")
    response = as_instructor.post(score_path, {"item": participation_item.pk}, follow=True)
    # Ann 3/4 (7.50), Ben 2/4 (5.00), Cal 0/4 unchanged.
    assert alerts(response) == [
        "“In-class polls” scored from poll participation: 2 score(s) changed."
    ]
    scores = dict(
        Score.objects.filter(item=participation_item).values_list("student__username", "points")
    )
    assert scores == {"ann": Decimal("7.50"), "ben": Decimal("5.00"), "cal": Decimal("0.00")}


def test_with_no_poll_held_scoring_says_so_and_writes_nothing(
    course, participation_item, student, as_instructor
):
    new_poll(course, state="draft")
    response = as_instructor.post(
        url(course, "participation/score/"), {"item": participation_item.pk}, follow=True
    )
    assert alerts(response) == ["No poll has been held yet, so there is nothing to score from."]
    assert not Score.objects.exists()


def test_an_item_of_another_course_cannot_be_scored_from_this_record(course, record, as_instructor):
    foreign = GradeItemFactory()
    response = as_instructor.post(url(course, "participation/score/"), {"item": foreign.pk})
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_students_cannot_see_the_record_or_score_from_it(
    course, record, participation_item, as_student
):
    assert as_student.get(url(course, "participation/")).status_code == 403
    response = as_student.post(url(course, "participation/score/"), {"item": participation_item.pk})
    assert response.status_code == 403
    assert not Score.objects.exists()


@pytest.mark.parametrize("item", ["abc", "1.5", "1e5", "", "99999999999999999999"])
def test_scoring_participation_with_an_item_that_is_not_one_is_a_404_and_scores_nothing(
    course, as_instructor, participation_item, item
):
    response = as_instructor.post(url(course, "participation/score/"), {"item": item})
    assert response.status_code == 404
    assert not Score.objects.exists()
