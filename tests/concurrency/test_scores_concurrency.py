"""Scores under real concurrency: two graders, each in a thread with its own
database connection, save one score at the same moment through the one write path.
Runs on SQLite and, with DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from grading.models import Score
from grading.services import GradingError, score_set
from tests.factories import GradeComponentFactory, GradeItemFactory, new_student


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
