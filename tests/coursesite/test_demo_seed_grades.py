"""The demo course built by ``manage.py seed_demo``, continued: its gradebook
items, scores, released grades and hand-ins, and a rerun that adds none of them
again. The expected values are written out here, not read from ``demo_data``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from courses.models import Course, Membership, Session
from grading.models import GradeComponent, GradeItem, Score
from grading.selectors.gradebook import student_grades
from tests.coursesite.demo_helpers import SLUG, USERNAMES, seed


@pytest.fixture
def course(output) -> Course:
    return Course.objects.get(slug=SLUG)


ASSIGNMENTS = [
    "Assignment 1: Data-parallel training",
    "Assignment 2: Mixed precision and memory",
    "Assignment 3: Serving and quantization",
]
READING_RESPONSES = [f"Reading Response {n}" for n in range(1, 13)]
GRADE_ITEMS = {
    "Paper Presentations": [("Presentation 1", 10), ("Presentation 2", 10)],
    "Class Participation": [("Participation: weeks 1-7", 10), ("Participation: weeks 8-14", 10)],
    "Reading Responses": [(title, 5) for title in READING_RESPONSES],
    "Assignments": [(title, 20) for title in ASSIGNMENTS],
    "Final Project": [
        ("Project proposal", 10),
        ("Project report", 60),
        ("Project presentation", 30),
    ],
}
RELEASED = {
    *READING_RESPONSES[:7],
    ASSIGNMENTS[0],
    "Project proposal",
    "Participation: weeks 1-7",
    "Presentation 1",
}
GRADED_NOT_RELEASED = {"Reading Response 8", ASSIGNMENTS[1]}
# Students who present a paper before spring break (the sign-ups above).
EARLY_PRESENTERS = {f"student{n:02d}" for n in (1, 2, 3, 6, 7, 8, 9, 10, 11)}
STUDENTS = USERNAMES[3:]


def _items(course) -> dict[str, GradeItem]:
    return {item.title: item for item in GradeItem.objects.of_course(course)}


def _grade_counts() -> tuple[int, ...]:
    return (
        GradeItem.objects.count(),
        GradeItem.history.count(),
        Score.objects.count(),
        Score.history.count(),
    )


def test_gradebook_has_the_items_of_every_component(course):
    items = GradeItem.objects.of_course(course).in_gradebook_order()
    by_component: dict[str, list[tuple[str, int]]] = {}
    for item in items:
        by_component.setdefault(item.component.name, []).append((item.title, item.points_possible))
    assert by_component == GRADE_ITEMS
    for name in GRADE_ITEMS:
        assert [i.order for i in items if i.component.name == name] == list(
            range(1, len(GRADE_ITEMS[name]) + 1)
        )
    components = {c.name: c for c in GradeComponent.objects.filter(course=course)}
    assert {name: (c.drop_lowest, c.weighting) for name, c in components.items()} == {
        "Paper Presentations": (0, "points"),
        "Class Participation": (0, "equal"),
        "Reading Responses": (2, "points"),
        "Assignments": (0, "points"),
        "Final Project": (0, "points"),
    }


def test_items_are_due_at_midnight_on_the_course_calendar(course):
    items = _items(course)
    assert items["Presentation 1"].due_at is None
    assert items["Presentation 2"].due_at is None
    due = {title: item.due_at.astimezone(course.tz) for title, item in items.items() if item.due_at}
    assert {(d.hour, d.minute) for d in due.values()} == {(23, 59)}
    dates = {title: d.date() for title, d in due.items()}
    responses = [dates[title] for title in READING_RESPONSES]
    assert responses[0] == dt.date(2026, 1, 19)
    assert {d.strftime("%A") for d in responses} == {"Monday"}
    assert responses == sorted(set(responses))
    assert dt.date(2026, 3, 9) not in responses  # spring break
    assert responses[-1] < dt.date(2026, 4, 20)
    assert [dates[title] for title in ASSIGNMENTS] == [
        dt.date(2026, 2, 6),
        dt.date(2026, 3, 6),
        dt.date(2026, 4, 10),
    ]
    assert dates["Participation: weeks 1-7"] == dt.date(2026, 2, 27)
    assert dates["Project proposal"] == dt.date(2026, 2, 20)
    last_class = Session.objects.filter(course=course).last().date
    for title in ("Project report", "Project presentation", "Participation: weeks 8-14"):
        assert dt.date(2026, 4, 27) <= dates[title] <= dt.date(2026, 4, 30), title
    assert dates["Participation: weeks 8-14"] == last_class


def test_some_items_are_released_and_two_are_graded_but_hidden(course):
    items = _items(course)
    scored = set(
        Score.objects.filter(item__component__course=course).values_list("item__title", flat=True)
    )
    assert {title for title, item in items.items() if item.released} == RELEASED
    assert scored - RELEASED == GRADED_NOT_RELEASED
    assert scored >= RELEASED
    assert set(items) - scored == {
        *READING_RESPONSES[8:],
        ASSIGNMENTS[2],
        "Project report",
        "Project presentation",
        "Participation: weeks 8-14",
        "Presentation 2",
    }
    instructor = get_user_model().objects.get(username="instructor")
    for title in RELEASED:
        assert items[title].history.latest().history_user == instructor, title


def test_scores_look_like_a_class_after_spring_break(course):
    scores = Score.objects.filter(item__component__course=course).select_related("item", "student")
    cells = {(s.item.title, s.student.username): s for s in scores}
    responses = [s for (title, _), s in cells.items() if title in READING_RESPONSES[:8]]
    excused = [s for s in responses if s.excused]
    assert 1 <= len(excused) <= 2
    assert all(s.points is None for s in excused)
    assert len(responses) == 8 * 20 - 2  # two students each missed one response
    missing = [(t, u) for t in READING_RESPONSES[:8] for u in STUDENTS if (t, u) not in cells]
    assert len({u for _, u in missing}) == 2
    points = [s.points for s in responses if not s.excused]
    assert set(points) <= {Decimal(3), Decimal(4), Decimal(5)}
    assert points.count(Decimal(3)) >= 1
    assert points.count(Decimal(3)) <= len(points) // 10
    for title in (*ASSIGNMENTS[:2], "Project proposal", "Participation: weeks 1-7"):
        graded = [cells[title, u] for u in STUDENTS]
        assert all(s.points is not None for s in graded), title
        assert len({s.points for s in graded}) > 3, title  # not everyone gets the same
    for title in ASSIGNMENTS[:2]:
        for username in STUDENTS:
            score = cells[title, username]
            assert Decimal(10) <= score.points <= Decimal(20)
            assert 10 < len(score.comment) < 120, (title, username)
    presenters = {u for (title, u) in cells if title == "Presentation 1"}
    assert presenters == EARLY_PRESENTERS


def test_every_score_was_entered_by_a_ta(course):
    tas = set(
        Membership.objects.filter(course=course, role="ta").values_list("user__username", flat=True)
    )
    scores = Score.objects.filter(item__component__course=course).select_related("graded_by")
    assert scores.count() > 200
    for score in scores:
        history = list(score.history.select_related("history_user"))
        assert history, score
        assert {h.history_user.username for h in history} <= tas, score
        assert score.graded_by.username in tas
    assert Score.history.filter(history_change_reason="Demo data").count() == scores.count()


def test_running_twice_adds_no_item_score_or_history(course, output):
    before = _grade_counts()
    assert before[0] == 22
    again = seed()
    assert _grade_counts() == before
    line = f"22 grade items (11 released), {before[2]} scores"
    assert line in output
    assert line in again


def test_students_see_a_grade_from_released_items_only(course):
    released = set(
        GradeItem.objects.of_course(course).filter(released=True).values_list("pk", flat=True)
    )
    letters = {"A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F"}
    differs = []
    for student in get_user_model().objects.filter(username__in=STUDENTS):
        _, own, _ = student_grades(course=course, student=student, student_view=True)
        _, staff, _ = student_grades(course=course, student=student, student_view=False)
        assert own.current.percentage is not None, student
        assert Decimal(50) < own.current.percentage <= Decimal(100), student
        assert own.current.letter in letters, student
        assert set(own.scores) <= released, student
        assert set(staff.scores) - released, student
        if own.current.percentage != staff.current.percentage:
            differs.append(student.username)
    assert len(differs) >= 10


def test_demo_hand_ins_are_there_some_late_and_a_rerun_adds_no_version(course):
    from grading.models import Submission
    from grading.selectors.work import late_ledger

    hand_ins = Submission.objects.filter(item__component__course=course)
    responses = hand_ins.filter(item__component__name="Reading Responses")
    assert responses.count() > 100
    assert all(s.text.startswith("**") for s in responses[:20])
    assert hand_ins.filter(item__component__name="Assignments", url__startswith="https://").exists()
    ledger = late_ledger(course, hand_ins.values_list("student_id", flat=True).distinct())
    late = [entry for entry in ledger.values() if entry.is_late]
    assert len(late) >= 4
    # student04 is late three times: the course's two late days cover the first ones.
    assert any(entry.covered for entry in late)
    assert any(entry.penalized for entry in late)
    versions = Submission.history.count()
    seed()
    assert Submission.history.count() == versions
    # Each reading response answers the readings of a session, for its presenters.
    assert responses.filter(item__session__isnull=False).count() == responses.count()
