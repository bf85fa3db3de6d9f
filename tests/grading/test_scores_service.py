"""The one write path for scores: its rules. What it does under concurrent
writers is in tests/concurrency/test_scores_concurrency.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
