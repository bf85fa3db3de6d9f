"""The public course pages are cached for anonymous visitors, and an edit shows
on the very next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses.models import Announcement, Membership
from courses.services import membership_set

from .conftest import logged_in
from .factories import AnnouncementFactory, ReadingFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["", "schedule/", "resources/", "calendar.ics"]


def queries(client, path) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_a_second_anonymous_visit_is_served_from_the_cache(course, page):
    path = f"/courses/{course.slug}/{page}"
    first, first_body = queries(Client(), path)
    second, second_body = queries(Client(), path)
    assert second == 1  # only the course row, whose updated_at keys the cache
    assert second < first
    assert second_body == first_body


def test_an_edit_in_the_admin_shows_on_the_next_request(course):
    session = SessionFactory(course=course, title="Scaling laws")
    path = f"/courses/{course.slug}/schedule/"
    Client().get(path)
    reading = ReadingFactory(session=session, title="Chinchilla")
    assert "Chinchilla" in Client().get(path).content.decode()

    prof = UserFactory(username="editor")
    membership_set(course=course, user=prof, role=Membership.Role.INSTRUCTOR)
    admin = logged_in(prof)
    response = admin.post(
        f"/admin/courses/session/{session.pk}/change/",
        {
            "course": course.pk,
            "date": session.date.isoformat(),
            "start_time": "15:30",
            "end_time": "17:00",
            "title": "Compute-optimal training",
            "location": "",
            "notes": "",
            "materials_url": "",
            "readings-TOTAL_FORMS": "1",
            "readings-INITIAL_FORMS": "1",
            "readings-0-id": reading.pk,
            "readings-0-session": session.pk,
            "readings-0-order": "1",
            "readings-0-title": "Chinchilla",
            "readings-0-authors": "",
            "readings-0-venue": "",
            "readings-0-url": "",
            "readings-0-kind": "required",
            "readings-0-presenter_capacity": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/courses/session/"
    session.refresh_from_db()
    assert session.title == "Compute-optimal training"
    page = Client().get(path).content.decode()
    assert "Compute-optimal training" in page
    assert "Scaling laws" not in page


def test_deleting_an_announcement_takes_it_off_the_cached_home_page(course):
    note = AnnouncementFactory(course=course, title="Room change")
    path = f"/courses/{course.slug}/"
    assert "Room change" in Client().get(path).content.decode()
    Announcement.objects.filter(pk=note.pk).first().delete()
    assert "Room change" not in Client().get(path).content.decode()


def test_members_always_get_a_fresh_page_with_their_own_menu(course, student):
    path = f"/courses/{course.slug}/"
    Client().get(path)  # cached for visitors
    page = logged_in(student).get(path).content.decode()
    assert "Log out" in page
    assert "Log in" not in page.split("<main", 1)[0]


def test_an_unpublished_course_is_never_cached_for_anyone(course):
    course.is_published = False
    course.save()
    assert Client().get(f"/courses/{course.slug}/").status_code == 404
    assert Client().get(f"/courses/{course.slug}/").status_code == 404
