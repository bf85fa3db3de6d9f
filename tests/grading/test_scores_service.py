"""The one write path for scores: its rules, and what it does under concurrent writers."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from grading.models import Score
from grading.services import GradingError, ScoreChange, score_set, scores_set
from tests.factories import GradeComponentFactory, GradeItemFactory, MembershipFactory, new_student


@pytest.fixture
def item(course):
    return GradeItemFactory(component=GradeComponentFactory(course=course), points_possible=10)


@pytest.mark.django_db
def test_saving_the_same_value_again_writes_nothing(item, student, ta):
    score_set(item=item, student=student, points=Decimal("7"), by=ta)
    assert score_set(item=item, student=student, points=Decimal("7.00"), by=ta) is None
    assert Score.objects.get().history.count() == 1


@pytest.mark.django_db
def test_an_empty_cell_for_a_student_without_a_score_creates_no_row(item, student, ta):
    assert score_set(item=item, student=student, points=None, by=ta) is None
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_clearing_a_score_keeps_the_row_and_its_history(item, student, ta):
    score_set(item=item, student=student, points=Decimal("7"), by=ta)
    score_set(item=item, student=student, points=None, by=ta)
    score = Score.objects.get()
    assert score.points is None
    assert [h.points for h in score.history.order_by("history_date")] == [Decimal("7"), None]


@pytest.mark.django_db
def test_a_batch_with_one_bad_score_saves_none_of_it(course, item, student, ta):
    bob = new_student(course, "bob")
    changes = [
        ScoreChange(item, student, Decimal("7")),
        ScoreChange(item, bob, Decimal("21")),  # over twice the 10 possible
    ]
    with pytest.raises(GradingError, match="At most 20 points"):
        scores_set(changes=changes, by=ta)
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_scores_are_only_for_students_of_the_items_course(item, ta, outsider):
    with pytest.raises(GradingError, match="not a student in this course"):
        score_set(item=item, student=outsider, points=Decimal("5"), by=ta)
    with pytest.raises(GradingError, match="not a student in this course"):
        score_set(item=item, student=ta, points=Decimal("5"), by=ta)


@pytest.mark.django_db
def test_one_batch_cannot_mix_courses(item, student, ta):
    other = GradeItemFactory()
    other_student = MembershipFactory(course=other.component.course, role="student").user
    with pytest.raises(GradingError, match="one course at a time"):
        scores_set(
            changes=[
                ScoreChange(item, student, Decimal("1")),
                ScoreChange(other, other_student, Decimal("1")),
            ],
            by=ta,
        )


@pytest.mark.django_db
def test_the_database_itself_refuses_negative_and_excused_with_points(item, student, ta):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(item=item, student=student, points=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(item=item, student=student, points=Decimal("1"), excused=True)


def race(writes) -> list[str]:
    """Run each (item, student, points, by) write in its own thread, all at once."""
    barrier = threading.Barrier(len(writes))
    outcomes: list[str] = []

    def grade(item, student, points, by):
        try:
            barrier.wait()
            score_set(item=item, student=student, points=Decimal(points), by=by)
            outcomes.append("saved")
        except GradingError as error:
            outcomes.append(str(error))
        except Exception as error:  # the failure this test looks for
            outcomes.append(f"unhandled {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=grade, args=write) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_graders_saving_at_once_leave_one_score_and_a_full_history(course, ta, instructor):
    item = GradeItemFactory(component=GradeComponentFactory(course=course), points_possible=10)
    student = new_student(course, "racer")
    saved = 0
    for round_number in range(5):
        outcomes = race(
            [
                (item, student, str(round_number * 2), ta),
                (item, student, str(round_number * 2 + 1), instructor),
            ]
        )
        for outcome in outcomes:
            assert outcome == "saved" or "Nothing was saved" in outcome, outcomes
        saved += outcomes.count("saved")
    score = Score.objects.get(item=item, student=student)
    history = list(score.history.order_by("history_date", "history_id"))
    # Every value that was reported saved is in the history, and the last one is the score.
    assert len(history) == saved
    assert history[-1].points == score.points
