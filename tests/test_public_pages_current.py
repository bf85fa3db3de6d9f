"""Each model a public page shows, changed, shows on that page at the next
anonymous visit, whatever the cache: each process's own memory, a shared file
cache, or Redis. One case per model, so a model added to a public page without
keeping its page current has a place here to fail."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from courses.models import Membership
from courses.services.memberships import membership_set
from tests.conftest import file_cache
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

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture(params=["local memory", "file", "redis"])
def cache_setup(request, settings, tmp_path):
    if request.param == "file":
        settings.CACHES = file_cache(tmp_path)
    elif request.param == "redis":
        import redis

        try:
            redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip(f"Redis does not answer at {REDIS_TEST_URL}")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_TEST_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }
    return request.param


@dataclass(frozen=True)
class Case:
    page: str  # under /courses/<slug>/
    make: Callable  # (course) -> the object, showing `before` on the page
    change: Callable  # (object) -> None, so that the page shows `after`
    before: str
    after: str


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def _rename_instructor(user):
    _save(user, first_name="Sergey", last_name="Brinley")


def _make_instructor(course):
    user = UserFactory(username="prof", first_name="Pratik", last_name="Chaudhari")
    membership_set(course=course, user=user, role=Membership.Role.INSTRUCTOR)
    return user


def _add_second_instructor(user):
    course = user.memberships.get().course
    other = UserFactory(username="coprof", first_name="Ada", last_name="Lovelace")
    membership_set(course=course, user=other, role=Membership.Role.INSTRUCTOR)


CASES = {
    "Course title": Case(
        "",
        lambda course: course,
        lambda course: _save(course, title="Learning at Scale"),
        "Deep Learning at Scale",
        "Learning at Scale",
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
        lambda component: _save(component, name="Paper presentations", weight=Decimal(30)),
        "Presentations",
        "Paper presentations",
    ),
    "Instructor's name": Case(
        "", _make_instructor, _rename_instructor, "Pratik Chaudhari", "Sergey Brinley"
    ),
    "Membership (a new instructor)": Case(
        "", _make_instructor, _add_second_instructor, "Pratik Chaudhari", "Ada Lovelace"
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


def page_text(course, case: Case) -> str:
    response = Client().get(f"/courses/{course.slug}/{case.page}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", CASES)
def test_a_change_shows_on_the_public_page_at_the_next_visit(
    course, cache_setup, name, django_capture_on_commit_callbacks
):
    case = CASES[name]
    obj = case.make(course)
    assert case.before in page_text(course, case)
    assert case.before in page_text(course, case)  # now a cached copy
    with django_capture_on_commit_callbacks(execute=True):  # as when the admin's save commits
        case.change(obj)
    assert case.after in page_text(course, case)


@pytest.mark.parametrize("name", ["Announcement", "Resource", "Session", "Theme"])
def test_a_deleted_object_leaves_the_public_page_at_the_next_visit(
    course, cache_setup, name, django_capture_on_commit_callbacks
):
    case = CASES[name]
    obj = case.make(course)
    assert case.before in page_text(course, case)
    assert case.before in page_text(course, case)
    with django_capture_on_commit_callbacks(execute=True):
        obj.delete()
    assert case.before not in page_text(course, case)
