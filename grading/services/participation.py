"""Scoring a participation item from the in-class poll record."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser

from courses.selectors.polls import participation
from grading.models import GradeItem, Score
from grading.services.scores import GradingError, ScoreChange, scores_set


def participation_score(*, item: GradeItem, by: AbstractBaseUser) -> list[Score]:
    """Give every student of the item's course points in proportion to the polls
    they answered (answered / held x points possible, to the cent), through the
    score service, so each score's history says where it came from. Excused
    students are left alone."""
    course = item.component.course
    rows = participation(course)
    if not rows:
        raise GradingError("The course has no students yet.")
    if not any(row.held for row in rows.values()):
        raise GradingError("No poll has been held yet, so there is nothing to score from.")
    excused = set(
        Score.objects.filter(item=item, excused=True).values_list("student_id", flat=True)
    )
    changes = []
    for student_id, row in rows.items():
        if student_id in excused or row.rate is None:
            continue
        points = (item.points_possible * row.rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
        changes.append(ScoreChange(item, row.student, points))
    held = next(iter(rows.values())).held if rows else 0
    return scores_set(changes=changes, by=by, reason=f"From poll participation ({held} polls held)")
