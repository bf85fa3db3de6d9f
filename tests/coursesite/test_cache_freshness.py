"""How soon an edit shows: at once to logged-in people, who are never served
from the cache, and within PUBLIC_PAGE_SECONDS to anonymous visitors, who may
get the copy kept before the edit until then. One case per model a public page
shows, so a page that starts showing a model has a place here to fail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from courses.models import Membership
from courses.services.memberships import membership_set
from coursesite.caching import PUBLIC_PAGE_SECONDS, process_cache
from tests.conftest import logged_in
from tests.coursesite import cache_backends
from tests.coursesite.cache_backends import fetch, from_the_cache
from tests.factories import (
    AnnouncementFactory,
    GradeComponentFactory,
    ReadingFactory,
    ResourceFactory,
    SessionFactory,
    ThemeFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
redis_keys = cache_backends.redis_keys


@pytest.fixture
def clock():
    """The clock, stopped; a test moves it on with `clock.shift(seconds)`."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@dataclass(frozen=True)
class Case:
    page: str  # under /courses/<slug>/
    make: Callable  # (course) -> the object, showing `before` on the page
    change: Callable  # (object) -> None, so that the page shows `after`
    before: str
    after: str
    replaced: bool = True  # whether `before` leaves the page


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def _make_instructor(course):
    user = UserFactory(username="prof", first_name="Pratik", last_name="Chaudhari")
    membership_set(course=course, user=user, role=Membership.Role.INSTRUCTOR)
    return user


def _add_second_instructor(user):
    other = UserFactory(username="coprof", first_name="Ada", last_name="Lovelace")
    course = user.memberships.get().course
    membership_set(course=course, user=other, role=Membership.Role.INSTRUCTOR)


CASES = {
    "Course title": Case(
        "",
        lambda course: course,
        lambda course: _save(course, title="Systems for Machine Learning"),
        "Deep Learning at Scale",
        "Systems for Machine Learning",
    ),
    "Course overview": Case(
        "",
        lambda course: _save(course, overview="Scaling laws first.") or course,
        lambda course: _save(course, overview="Systems first."),
        "Scaling laws first.",
        "Systems first.",
    ),
    "Theme": Case(
        "",
        lambda course: ThemeFactory(course=course, title="Scaling laws"),
        lambda theme: _save(theme, title="Efficient training"),
        "Scaling laws",
        "Efficient training",
    ),
    "Topic": Case(
        "",
        lambda course: TopicFactory(theme=ThemeFactory(course=course), title="Chinchilla"),
        lambda topic: _save(topic, title="Mixture of experts"),
        "Chinchilla",
        "Mixture of experts",
    ),
    "Announcement": Case(
        "",
        lambda course: AnnouncementFactory(course=course, title="Room change"),
        lambda note: _save(note, title="Class moved online"),
        "Room change",
        "Class moved online",
    ),
    "Grade component": Case(
        "",
        lambda course: GradeComponentFactory(course=course, name="Presentations", weight=25),
        lambda component: _save(component, name="Paper talks", weight=Decimal(30)),
        "Presentations",
        "Paper talks",
    ),
    "Instructor's name": Case(
        "",
        _make_instructor,
        lambda user: _save(user, first_name="Sergey", last_name="Brinley"),
        "Pratik Chaudhari",
        "Sergey Brinley",
    ),
    "Membership (a new instructor)": Case(
        "", _make_instructor, _add_second_instructor, "Pratik Chaudhari", "Ada Lovelace", False
    ),
    "Session": Case(
        "schedule/",
        lambda course: SessionFactory(course=course, title="Scaling laws"),
        lambda session: _save(session, title="Compute-optimal training"),
        "Scaling laws",
        "Compute-optimal training",
    ),
    "Reading": Case(
        "schedule/",
        lambda course: ReadingFactory(session=SessionFactory(course=course), title="Chinchilla"),
        lambda reading: _save(reading, title="Switch Transformers"),
        "Chinchilla",
        "Switch Transformers",
    ),
    "Session in the calendar": Case(
        "calendar.ics",
        lambda course: SessionFactory(course=course, title="Scaling laws"),
        lambda session: _save(session, title="Compute-optimal training"),
        "Scaling laws",
        "Compute-optimal training",
    ),
    "Resource": Case(
        "resources/",
        lambda course: ResourceFactory(course=course, title="GPU cluster guide"),
        lambda resource: _save(resource, title="TPU quota form"),
        "GPU cluster guide",
        "TPU quota form",
    ),
}
DELETABLE = ["Announcement", "Resource", "Session", "Theme"]


def page_of(client: Client, course, case: Case) -> str:
    response = client.get(f"/courses/{course.slug}/{case.page}")
    assert response.status_code == 200
    return response.content.decode()


def shows(page: str, case: Case) -> bool:
    return case.after in page and not (case.replaced and case.before in page)


@pytest.mark.parametrize("name", CASES)
def test_a_change_shows_to_visitors_within_a_minute(course, clock, name):
    case = CASES[name]
    obj = case.make(course)
    kept = page_of(Client(), course, case)
    assert case.before in kept
    case.change(obj)
    clock.shift(PUBLIC_PAGE_SECONDS - 1)
    assert page_of(Client(), course, case) == kept  # the copy, a minute old at most
    clock.shift(1)
    assert shows(page_of(Client(), course, case), case)


@pytest.mark.parametrize("name", CASES)
def test_a_change_shows_to_logged_in_members_at_once(course, student, clock, name):
    case = CASES[name]
    obj = case.make(course)
    member = logged_in(student)
    Client().get(f"/courses/{course.slug}/{case.page}")  # a copy kept for visitors
    assert case.before in page_of(member, course, case)
    case.change(obj)
    assert shows(page_of(member, course, case), case)


@pytest.mark.parametrize("name", DELETABLE)
def test_a_deleted_object_leaves_the_page_within_a_minute_for_visitors(course, clock, name):
    case = CASES[name]
    obj = case.make(course)
    kept = page_of(Client(), course, case)
    obj.delete()
    clock.shift(PUBLIC_PAGE_SECONDS - 1)
    assert page_of(Client(), course, case) == kept
    clock.shift(1)
    assert case.before not in page_of(Client(), course, case)


@pytest.mark.parametrize("name", DELETABLE)
def test_a_deleted_object_leaves_the_page_at_once_for_members(course, student, name):
    case = CASES[name]
    obj = case.make(course)
    member = logged_in(student)
    Client().get(f"/courses/{course.slug}/{case.page}")
    assert case.before in page_of(member, course, case)
    obj.delete()
    assert case.before not in page_of(member, course, case)


def test_an_edit_in_the_admin_shows_to_the_instructor_at_once_and_to_visitors_in_a_minute(
    course, prof, clock
):
    session = SessionFactory(course=course, title="Scaling laws")
    reading = ReadingFactory(session=session, title="Chinchilla")
    path = f"/courses/{course.slug}/schedule/"
    Client().get(path)
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
    assert "Compute-optimal training" in admin.get(path).content.decode()

    clock.shift(30)
    queries, copy = fetch(Client(), path)
    assert from_the_cache(queries, copy)
    assert copy["Age"] == "30"
    assert "Scaling laws" in copy.content.decode()
    clock.shift(PUBLIC_PAGE_SECONDS - 30)
    page = Client().get(path).content.decode()
    assert "Compute-optimal training" in page
    assert "Scaling laws" not in page


def test_an_unpublished_course_leaves_visitors_within_a_minute(course, student, clock):
    path = f"/courses/{course.slug}/"
    Client().get(path)
    course.is_published = False
    course.save()
    assert logged_in(student).get(path).status_code == 200  # its members still see it
    assert Client().get(path).status_code == 200  # the copy, until its minute is up
    clock.shift(PUBLIC_PAGE_SECONDS)
    assert Client().get(path).status_code == 404


def test_a_copy_fetched_from_redis_is_kept_no_longer_than_its_minute(course, redis_keys, clock):
    path = f"/courses/{course.slug}/"
    Client().get(path)
    _save(course, title="Systems for Machine Learning")
    clock.shift(PUBLIC_PAGE_SECONDS - 10)
    process_cache.clear()  # another process, which fetches the copy from Redis
    queries, copy = fetch(Client(), path)
    assert from_the_cache(queries, copy)
    assert copy["Age"] == str(PUBLIC_PAGE_SECONDS - 10)
    assert b"Deep Learning at Scale" in copy.content
    clock.shift(10)  # Redis's own clock has not moved: the copy is still there
    assert "Systems for Machine Learning" in Client().get(path).content.decode()
    process_cache.clear()
    assert "Systems for Machine Learning" in Client().get(path).content.decode()


def test_redis_keeps_a_page_a_minute_at_most(course, redis_keys):
    import redis

    from tests.coursesite.cache_backends import REDIS_TEST_URL

    Client().get(f"/courses/{course.slug}/")
    server = redis.Redis.from_url(REDIS_TEST_URL)
    kept = [key for key in redis_keys() if "public-page" in key]
    assert len(kept) == 2  # the page, and which request headers it varies on
    for key in kept:
        assert 0 < server.ttl(key) <= PUBLIC_PAGE_SECONDS
