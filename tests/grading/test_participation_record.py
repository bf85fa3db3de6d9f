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


def score_from_record(client, course, item):
    """Preview the scores, then confirm that preview, as the staff do."""
    preview = client.post(url(course, "participation/score/"), {"item": item.pk})
    assert preview.status_code == 200, preview.status_code
    fingerprint = preview.context["plan"].fingerprint
    return client.post(
        url(course, "participation/score/"),
        {"item": item.pk, "fingerprint": fingerprint},
        follow=True,
    )


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

    response = score_from_record(as_instructor, course, participation_item)
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
    score_from_record(as_instructor, course, participation_item)
    p4 = new_poll(course, question="P4?")
    answer(p4, record["ben"], "Yes")
    response = score_from_record(as_instructor, course, participation_item)
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


# --- no silent overwrites: a preview of every change, then all of it at once -------------


def preview_rows(response) -> dict[str, list[str]]:
    """The preview table as the grader reads it: student -> cells."""
    body = page(response)
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


def test_scoring_first_shows_every_change_and_saves_nothing(
    course, record, participation_item, instructor, ta, as_instructor
):
    # Ann's score came from an earlier scoring; Ben's was typed in by the TA
    # and released to the class.
    score_set(
        item=participation_item,
        student=record["ann"],
        points=Decimal("5"),
        by=instructor,
        reason="From poll participation (1 polls held)",
    )
    score_set(item=participation_item, student=record["ben"], points=Decimal("9"), by=ta)
    participation_item.released = True
    participation_item.save()
    before = list(Score.objects.order_by("pk").values())

    response = as_instructor.post(
        url(course, "participation/score/"), {"item": participation_item.pk}
    )

    assert response.status_code == 200
    assert list(Score.objects.order_by("pk").values()) == before
    assert preview_rows(response) == {
        "Ann Able": ["3/3", "5", "10", "students see it"],
        "Ben Baker": ["1/3", "9", "3.33", "entered by hand; students see it"],
        "Cal Cole": ["0/3", "—", "0", ""],
    }
    text = page(response)
    assert (
        "2 of these would replace a score that was entered by hand or that students already see."
        in text
    )
    assert "Save these 3 scores" in text


def test_a_confirmation_of_an_outdated_preview_saves_nothing_and_shows_the_new_one(
    course, record, participation_item, ta, as_instructor
):
    path = url(course, "participation/score/")
    preview = as_instructor.post(path, {"item": participation_item.pk})
    fingerprint = preview.context["plan"].fingerprint
    # Meanwhile a TA types Cal's score in.
    score_set(item=participation_item, student=record["cal"], points=Decimal("8"), by=ta)

    response = as_instructor.post(path, {"item": participation_item.pk, "fingerprint": fingerprint})

    assert response.status_code == 200
    assert alerts(response) == [
        "The poll record or the scores changed since the preview; "
        "check this preview again before confirming."
    ]
    assert preview_rows(response)["Cal Cole"] == ["0/3", "8", "0", "entered by hand"]
    assert dict(Score.objects.values_list("student__username", "points")) == {"cal": Decimal("8")}


@pytest.mark.parametrize("fingerprint", ["", "0" * 64, "not-a-fingerprint", "\x00"])
def test_a_made_up_confirmation_saves_nothing(
    course, record, participation_item, as_instructor, fingerprint
):
    response = as_instructor.post(
        url(course, "participation/score/"),
        {"item": participation_item.pk, "fingerprint": fingerprint},
    )
    assert response.status_code in (200, 400)
    assert not Score.objects.exists()


def test_when_every_score_already_matches_there_is_nothing_to_confirm(
    course, record, participation_item, as_instructor
):
    score_from_record(as_instructor, course, participation_item)
    response = as_instructor.post(
        url(course, "participation/score/"), {"item": participation_item.pk}
    )
    text = page(response)
    assert "Nothing would change." in text
    assert 'name="fingerprint"' not in text
