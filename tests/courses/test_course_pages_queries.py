"""Pages that loop over rows load them up front: their query count does not
grow with the number of sessions, readings, themes or resources."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coursesite.caching import process_cache
from tests.factories import (
    AnnouncementFactory,
    GradeComponentFactory,
    MembershipFactory,
    PresentationSignupFactory,
    ReadingFactory,
    ResourceFactory,
    SessionFactory,
    ThemeFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

# The pinned counts; docs/performance.md's query budget table lists the same numbers.
BUDGETS = {
    "courses:home": 6,
    "courses:schedule": 3,
    "courses:resources": 2,
    "courses:calendar": 3,
}

# Session and user lookups, the membership, then the schedule itself with presenters.
MEMBER_SCHEDULE_BUDGET = 7


def populate(course, size: int) -> None:
    for i in range(size):
        theme = ThemeFactory(course=course)
        TopicFactory(theme=theme)
        session = SessionFactory(course=course, theme=theme)
        ReadingFactory(session=session)
        ReadingFactory(session=session, kind="optional")
        ResourceFactory(course=course, category=f"Category {i % 4}")
        MembershipFactory(course=course, role="instructor")
        if i < 10:
            AnnouncementFactory(course=course)
        GradeComponentFactory(course=course)


def count_queries(client, name: str, course) -> int:
    """The queries of a fresh render, not of a copy from the cache."""
    cache.clear()
    process_cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name, kwargs={"slug": course.slug}))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_query_count_does_not_grow_with_rows(client, course, name):
    populate(course, 10)
    small = count_queries(client, name, course)
    populate(course, 90)
    large = count_queries(client, name, course)
    assert small == large == BUDGETS[name]


def test_a_members_schedule_with_presenters_does_not_grow_with_rows(as_student, course):
    def add_presented_sessions(n: int) -> None:
        for _ in range(n):
            reading = ReadingFactory(session=SessionFactory(course=course), presentable=True)
            PresentationSignupFactory(
                reading=reading, student=MembershipFactory(course=course).user
            )

    add_presented_sessions(10)
    small = count_queries(as_student, "courses:schedule", course)
    add_presented_sessions(90)
    large = count_queries(as_student, "courses:schedule", course)
    assert small == large == MEMBER_SCHEDULE_BUDGET
    page = as_student.get(reverse("courses:schedule", kwargs={"slug": course.slug}))
    assert page.content.decode().count("Presented by") == 100
