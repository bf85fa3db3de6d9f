"""The public course pages are cached for anonymous visitors, and an edit shows
on the very next request."""

from __future__ import annotations

import datetime as dt
import os
import types
import uuid
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from courses import caching
from courses.models import Announcement, Membership
from courses.services.memberships import membership_set
from tests.conftest import DEAD_REDIS, file_cache, logged_in
from tests.factories import (
    AnnouncementFactory,
    CourseFactory,
    ReadingFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGES = ["", "schedule/", "resources/", "calendar.ics"]
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, settings, tmp_path):
    """A cache every server process sees: Redis, as in production, and Django's
    file cache (a shared cache without Redis's atomic counters). Yields what
    empties it, as a restart of the cache server would."""
    from django.core.cache import cache

    if request.param == "file":
        settings.CACHES = file_cache(tmp_path)
        yield cache.clear
        return
    import redis

    server = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis does not answer at {REDIS_TEST_URL}")
    prefix = f"test-{uuid.uuid4().hex}"  # test processes share the server
    settings.CACHES = {
        "default": {
            "BACKEND": "coursesite.cache.KeptClientRedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        }
    }

    def empty() -> None:  # this test's keys only: the other test processes use the server too
        for key in server.scan_iter(match=f"{prefix}:*"):
            server.delete(key)

    yield empty
    empty()


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
    assert second == 1  # only the course row's updated_at, to check the copy is current
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


def test_a_cached_page_carries_the_headers_of_a_fresh_one(course):
    path = f"/courses/{course.slug}/"
    fresh = Client().get(path)
    cached = Client().get(path)
    assert dict(cached.headers) == dict(fresh.headers)
    assert cached["X-Frame-Options"] == "DENY"
    assert cached["Content-Type"] == "text/html; charset=utf-8"


def test_each_host_gets_the_calendar_made_for_it(course, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    SessionFactory(course=course)
    path = f"/courses/{course.slug}/calendar.ics"
    first = Client(HTTP_HOST="a.example").get(path).content.decode()
    second = Client(HTTP_HOST="b.example").get(path).content.decode()
    assert "@a.example" in first
    assert "@b.example" in second
    assert "@a.example" not in second


def test_a_page_cached_yesterday_is_made_again_at_the_course_midnight(course, monkeypatch):
    course.timezone = "America/Los_Angeles"
    course.save()
    path = f"/courses/{course.slug}/schedule/"
    Client().get(path)
    zone = zoneinfo.ZoneInfo("America/Los_Angeles")
    tomorrow = dt.datetime.now(zone).date() + dt.timedelta(days=1)
    midnight = dt.datetime.combine(tomorrow, dt.time(), tzinfo=zone).timestamp()

    monkeypatch.setattr(caching, "time", types.SimpleNamespace(time=lambda: midnight - 1))
    assert queries(Client(), path)[0] == 1  # still today: the cached copy
    monkeypatch.setattr(caching, "time", types.SimpleNamespace(time=lambda: midnight))
    assert queries(Client(), path)[0] > 1  # the course's next day: made again


def test_a_page_from_a_course_made_public_again_is_not_an_old_copy(course):
    path = f"/courses/{course.slug}/"
    assert "Deep Learning at Scale" in Client().get(path).content.decode()
    course.is_published = False
    course.save()
    assert Client().get(path).status_code == 404
    course.is_published = True
    course.title = "Deep Learning, Revised"
    course.save()
    assert "Deep Learning, Revised" in Client().get(path).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_that_died_is_replaced_on_a_cached_hit():
    """A database restart leaves each server process a dead kept connection; the
    first cached hit after it reconnects instead of answering 503."""
    course = CourseFactory()
    path = f"/courses/{course.slug}/"
    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        first = Client().get(path)
        assert connection.connection is not None  # kept after the request
        connection.connection.close()  # the server went away under it
        second = Client(raise_request_exception=True).get(path)
        assert second.status_code == 200
        assert second.content == first.content
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = kept
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_with_a_shared_cache_a_hit_reads_nothing_from_the_database(shared_cache):
    """With a cache every server process sees, the course's generation is kept
    beside its pages and moved on when an edit commits: a hit costs no query,
    and an edit still shows on the next request."""
    course = CourseFactory()
    session = SessionFactory(course=course, title="Scaling laws")
    schedule = f"/courses/{course.slug}/schedule/"
    home = f"/courses/{course.slug}/"
    first, first_body = queries(Client(), schedule)
    assert first > 0
    # Made once more: the first render shows which course the page is of, and
    # only then can a render read the course's generation before it begins.
    assert queries(Client(), schedule) == (first, first_body)
    assert queries(Client(), schedule) == (0, first_body)
    assert queries(Client(), schedule) == (0, first_body)

    session.title = "Compute-optimal training"
    session.save()
    count, body = queries(Client(), schedule)
    assert count > 0
    assert "Compute-optimal training" in body
    assert "Scaling laws" not in body

    queries(Client(), home)
    course.title = "Deep Learning, Revised"
    course.save()
    assert "Deep Learning, Revised" in queries(Client(), home)[1]


@pytest.mark.parametrize(
    "extra",
    [
        {"QUERY_STRING": "week=3"},
        {"HTTP_COOKIE": "messages=pending"},
        {"HTTP_COOKIE": "sessionid=someone"},
    ],
    ids=["query string", "message pending", "session cookie"],
)
def test_a_visit_with_a_query_a_message_or_a_session_is_never_a_cached_copy(course, extra):
    path = f"/courses/{course.slug}/schedule/"
    Client().get(path)  # cached for plain visitors
    assert queries(Client(), path)[0] == 1
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(path, **extra)
    assert response.status_code == 200
    assert len(ctx.captured_queries) > 1  # made afresh


def test_a_head_request_is_answered_as_link_checkers_expect(course):
    path = f"/courses/{course.slug}/"
    head = Client().head(path)
    assert head.status_code == 200
    assert head.content == b""
    page = Client().get(path)
    assert b"Deep Learning at Scale" in page.content


def test_a_save_naming_only_some_fields_still_takes_the_page_off_the_cache(course):
    path = f"/courses/{course.slug}/"
    assert Client().get(path).status_code == 200  # cached
    course.is_published = False
    course.save(update_fields=["is_published"])
    assert Client().get(path).status_code == 404


def test_a_new_or_renamed_instructor_shows_on_the_next_visit(course):
    path = f"/courses/{course.slug}/"
    Client().get(path)  # cached
    prof = UserFactory(username="prof", first_name="Ada", last_name="Lovelace")
    # As the course's Members inline in the admin adds one: a row, nothing else.
    Membership.objects.create(course=course, user=prof, role=Membership.Role.INSTRUCTOR)
    assert "Ada Lovelace" in Client().get(path).content.decode()
    prof.last_name = "King"
    prof.save()
    page = Client().get(path).content.decode()
    assert "Ada King" in page
    assert "Lovelace" not in page
    Membership.objects.filter(course=course, user=prof).delete()
    assert "Ada King" not in Client().get(path).content.decode()


def test_an_instructor_of_several_courses_renamed_shows_on_each_with_one_update(course):
    other = CourseFactory(slug="nlp-seminar", title="NLP Seminar")
    prof = UserFactory(username="prof", first_name="Ada", last_name="Lovelace")
    for taught in (course, other):
        Membership.objects.create(course=taught, user=prof, role=Membership.Role.INSTRUCTOR)
        Client().get(f"/courses/{taught.slug}/")  # cached
    prof.last_name = "King"
    with CaptureQueriesContext(connection) as ctx:
        prof.save()
    course_updates = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "courses_course"')
    ]
    assert len(course_updates) == 1
    for taught in (course, other):
        page = Client().get(f"/courses/{taught.slug}/").content.decode()
        assert "Ada King" in page
        assert "Lovelace" not in page


def test_a_student_joining_leaves_the_cached_home_page_alone(course):
    path = f"/courses/{course.slug}/"
    Client().get(path)
    membership_set(course=course, user=UserFactory(), role=Membership.Role.STUDENT)
    assert queries(Client(), path)[0] == 1  # still the cached copy


def test_a_cache_server_that_is_down_slows_pages_but_does_not_break_them(course, settings):
    settings.CACHES = DEAD_REDIS
    path = f"/courses/{course.slug}/"
    for _ in range(2):
        response = Client(raise_request_exception=True).get(path)
        assert response.status_code == 200
        assert b"Deep Learning at Scale" in response.content


@pytest.mark.django_db(transaction=True)
def test_with_a_shared_cache_a_deleted_course_s_pages_are_not_served_again(shared_cache):
    old = CourseFactory(slug="seminar", title="The old seminar")
    path = "/courses/seminar/"
    Client().get(path)  # learnt which course the page is of
    Client().get(path)  # stored
    count, page = queries(Client(), path)
    assert count == 0  # served from the cache
    assert "The old seminar" in page
    old.delete()
    assert Client().get(path).status_code == 404
    CourseFactory(slug="seminar", title="The new seminar")
    page = Client().get(path).content.decode()
    assert "The new seminar" in page
    assert "The old seminar" not in page


def test_with_a_shared_cache_edits_whose_commits_finish_in_any_order_leave_no_old_page(
    course, shared_cache, django_capture_on_commit_callbacks
):
    """Two edits commit, and what each does after its commit runs in the other
    order (two server processes, one slower): the page shows the later edit,
    and is served from the cache again afterwards."""
    session = SessionFactory(course=course, title="Scaling laws")
    path = f"/courses/{course.slug}/schedule/"
    Client().get(path)  # learns which course the page is of
    with django_capture_on_commit_callbacks() as first:
        session.title = "Compute-optimal training"
        session.save()
    # Rendered after the first edit committed, before its process moved on.
    assert "Compute-optimal training" in Client().get(path).content.decode()
    with django_capture_on_commit_callbacks() as second:
        session.title = "Data-constrained scaling"
        session.save()
    assert first
    assert second
    for callback in [*second, *first]:
        callback()

    count, page = queries(Client(), path)
    assert "Data-constrained scaling" in page
    assert "Compute-optimal training" not in page
    assert count > 0
    assert queries(Client(), path) == (0, page)


def test_with_a_shared_cache_emptied_pages_are_made_and_cached_again(course, shared_cache):
    path = f"/courses/{course.slug}/"
    Client().get(path)
    Client().get(path)
    assert queries(Client(), path)[0] == 0
    shared_cache()  # a restarted Redis
    count, page = queries(Client(), path)
    assert count > 0
    assert "Deep Learning at Scale" in page
    assert queries(Client(), path) == (0, page)


def edit_during_the_next_render(session, title: str) -> None:
    """Rename the session, committed, as the next page starts rendering its template."""

    def edit(sender, **kwargs):
        template_rendered.disconnect(edit)
        session.title = title
        session.save()

    template_rendered.connect(edit, weak=False)


def an_edit_committed_mid_render_shows_on_the_next_request(course, visits_before: int) -> None:
    session = SessionFactory(course=course, title="Scaling laws")
    path = f"/courses/{course.slug}/schedule/"
    for _ in range(visits_before):
        Client().get(path)
    edit_during_the_next_render(session, "Compute-optimal training")
    during = Client().get(path).content.decode()
    assert "Scaling laws" in during  # the render had read the sessions before the edit
    page = Client().get(path).content.decode()
    assert "Compute-optimal training" in page
    assert "Scaling laws" not in page


@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_while_a_page_renders_shows_on_the_next_request():
    an_edit_committed_mid_render_shows_on_the_next_request(CourseFactory(), visits_before=0)


@pytest.mark.django_db(transaction=True)
def test_with_a_shared_cache_an_edit_committed_mid_render_shows_on_the_next_request(
    shared_cache,
):
    # One visit first: this process learns which course the page is of.
    an_edit_committed_mid_render_shows_on_the_next_request(CourseFactory(), visits_before=1)


@pytest.mark.postgresql
def test_a_server_session_that_has_the_statement_already_is_not_asked_twice(course):
    """A pooler in session mode can hand a new connection a server session
    where the statement was prepared by an earlier one."""
    path = f"/courses/{course.slug}/"
    first = Client().get(path)
    Client().get(path)  # prepared
    caching._prepared_on.discard(connection.connection)  # as a new connection would
    again = Client(raise_request_exception=True).get(path)
    assert again.status_code == 200
    assert again.content == first.content


def prepared_statements() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


@pytest.mark.postgresql
def test_on_postgresql_a_hit_reads_the_stamp_through_one_prepared_statement(course):
    path = f"/courses/{course.slug}/schedule/"
    first = Client().get(path)  # made and stored
    for _ in range(3):  # a second PREPARE on the same connection would be an error (503)
        hit = Client(raise_request_exception=True).get(path)
        assert hit.status_code == 200
        assert hit.content == first.content
    prepared = prepared_statements()
    assert list(prepared) == [caching.STAMP_STATEMENT]
    assert '"updated_at"' in prepared[caching.STAMP_STATEMENT]

    course.title = "Deep Learning, Revised"
    course.save()
    assert "Deep Learning, Revised" in Client().get(path).content.decode()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_behind_a_transaction_pooler_nothing_is_prepared(course):
    """PgBouncer in transaction mode hands each statement to any server
    connection; Django's DISABLE_SERVER_SIDE_CURSORS says it is in front."""
    path = f"/courses/{course.slug}/"
    connection.close()  # a server session of its own, with nothing prepared yet
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        first = Client().get(path)
        assert Client(raise_request_exception=True).get(path).content == first.content
        assert prepared_statements() == {}
    finally:
        del connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"]
