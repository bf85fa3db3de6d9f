"""Gradebook pages load a whole course in a fixed number of queries: the count
does not grow with students, items or scores."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Poll
from courses.services import polls
from grading.models import GradeImport, GradeItem
from grading.services import ScoreChange, scores_set
from tests.factories import GradeComponentFactory, GradeItemFactory, new_student

pytestmark = pytest.mark.django_db

# The pinned counts; docs/performance.md's query budget table lists the same numbers.
# Each includes the session, user, course and membership lookups (4); the grid
# and the grade pages add two for the poll participation record.
BUDGETS = {
    "gradebook/": 11,
    "gradebook/export.csv": 9,
    "gradebook/items/{item}/": 7,
    "gradebook/students/{student}/": 11,
    "gradebook/import/{upload}/": 7,
    "grades/": 10,
}


def grow(course, ta, *, students: int, items: int) -> None:
    """Add students and items, and score every cell."""
    components = list(course.components.all()) or [
        GradeComponentFactory(course=course, weight=50, drop_lowest=1),
        GradeComponentFactory(course=course, weight=50, weighting="equal"),
    ]
    for n in range(items):
        GradeItemFactory(component=components[n % 2], released=n % 3 != 0)
    for _ in range(students):
        new_student(course)
    everyone = course.memberships.filter(role="student").select_related("user")
    changes = [
        ScoreChange(item, m.user, Decimal((item.pk + m.user_id) % 11))
        for item in GradeItem.objects.filter(component__course=course).select_related("component")
        for m in everyone
    ]
    scores_set(changes=changes, by=ta)
    # A poll held in class, answered by everyone: the participation column's data.
    poll = polls.poll_create(
        course=course, question=f"Poll {Poll.objects.count()}", kind="single", choices=["A", "B"]
    )
    polls.poll_state_set(poll=poll, state="open")
    choice = poll.choices.first()
    for m in everyone:
        polls.poll_answer(poll=poll, student=m.user, choice_ids=[choice.pk])


def count(client, course, path: str, **ids) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/courses/{course.slug}/" + path.format(**ids))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", sorted(BUDGETS))
def test_gradebook_page_queries_do_not_grow(path, course, ta, student, as_ta, as_student):
    grow(course, ta, students=3, items=4)
    client = as_student if path == "grades/" else as_ta
    upload = GradeImport.objects.create(
        course=course, uploaded_by=ta, filename="g.csv", content="Username\nalice\n"
    )

    def ids():
        return {"item": GradeItem.objects.first().pk, "student": student.pk, "upload": upload.pk}

    small = count(client, course, path, **ids())
    grow(course, ta, students=30, items=20)
    upload.content = "Username\n" + "\n".join(
        course.memberships.filter(role="student").values_list("user__username", flat=True)
    )
    upload.save()
    large = count(client, course, path, **ids())
    assert (small, large) == (BUDGETS[path], BUDGETS[path])
