"""The admin matrix (tests/courses/test_admin_matrix.py), continued: an instructor
cannot write into another course through any menu, even one they also teach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from courses.models import Membership
from courses.services.memberships import membership_set
from tests.courses.admin_matrix_helpers import admin_url, client_for
from tests.factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


# --- writing into another course ---------------------------------------------------------------


def test_an_instructor_cannot_make_themselves_a_member_of_another_course(world):
    people, objects = world
    prof = people["instructor"]
    bravo = objects["bravo"]["courses.course"]
    response = client_for(prof).post(
        admin_url("courses.membership", "add"),
        {"course": bravo.pk, "user": prof.pk, "role": "instructor"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Membership.objects.get(course=bravo, user=prof).role == Membership.Role.STUDENT


def test_an_instructor_cannot_add_a_row_to_another_course_through_any_menu(world):
    """Posting another course's id into a menu is refused like a made-up id."""
    people, objects = world
    client = client_for(people["instructor"])
    bravo = objects["bravo"]
    now = timezone.now()
    attempts = {
        "courses.theme": {"course": bravo["courses.course"].pk, "order": 0, "title": "X"},
        "courses.session": {
            "course": bravo["courses.course"].pk,
            "date": "2026-02-03",
            "start_time": "15:30",
            "end_time": "17:00",
            "title": "X",
            "readings-TOTAL_FORMS": 0,
            "readings-INITIAL_FORMS": 0,
        },
        "courses.reading": {
            "session": bravo["courses.session"].pk,
            "order": 0,
            "title": "X",
            "kind": "required",
            "presenter_capacity": 1,
        },
        "courses.poll": {
            "course": bravo["courses.course"].pk,
            "question": "X?",
            "kind": "text",
            "results": "live",
            "choices-TOTAL_FORMS": 0,
            "choices-INITIAL_FORMS": 0,
        },
        "grading.gradeitem": {
            "component": bravo["grading.gradecomponent"].pk,
            "title": "X",
            "points_possible": "10",
            "order": 0,
        },
        "grading.score": {
            "item": bravo["grading.gradeitem"].pk,
            "student": bravo["auth.user"].pk,
            "points": "1",
            "comment": "",
        },
        "courses.announcement": {
            "course": bravo["courses.course"].pk,
            "title": "X",
            "published_at_0": now.date().isoformat(),
            "published_at_1": "12:00",
        },
    }
    for label, data in attempts.items():
        model = apps.get_model(label)
        before = model._base_manager.count()
        response = client.post(admin_url(label, "add"), data)
        assert response.status_code == 200, label
        assert "Select a valid choice" in response.content.decode(), label
        assert model._base_manager.count() == before, label


def test_a_row_does_not_move_to_another_course_the_instructor_also_teaches(world):
    people, objects = world
    prof = people["instructor"]
    charlie = CourseFactory(slug="charlie", code="CIS7000")
    membership_set(course=charlie, user=prof, role=Membership.Role.INSTRUCTOR)
    elsewhere = SessionFactory(course=charlie, date=dt.date(2026, 3, 3))
    reading = objects["alpha"]["courses.reading"]
    response = client_for(prof).post(
        admin_url("courses.reading", "change", reading),
        {
            "session": elsewhere.pk,
            "order": 0,
            "title": reading.title,
            "kind": "required",
            "presentable": "on",
            "presenter_capacity": 2,
        },
    )
    assert "This reading belongs to CIS6101; choose a session of CIS6101." in (
        response.content.decode()
    )
    reading.refresh_from_db()
    assert reading.session == objects["alpha"]["courses.session"]
    # A row with its own course field shows it read-only once saved.
    page = client_for(prof).get(
        admin_url("courses.poll", "change", objects["alpha"]["courses.poll"])
    )
    assert 'name="course"' not in page.content.decode()
