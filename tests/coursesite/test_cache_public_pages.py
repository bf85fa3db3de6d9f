"""A published course's public pages are kept for anonymous visitors: the
second visit is a copy from the cache, whatever the cache, and a copy is the
page a fresh render would have given that visitor."""

from __future__ import annotations

import logging

import pytest
import redis
import time_machine
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coursesite.caching import PUBLIC_PAGE_SECONDS, process_cache
from tests.conftest import DEAD_REDIS, logged_in
from tests.coursesite import cache_backends
from tests.coursesite.cache_backends import PAGES, fetch, from_the_cache
from tests.factories import ResourceFactory, SessionFactory

pytestmark = pytest.mark.django_db
backend = cache_backends.backend
pages_stored = cache_backends.pages_stored
redis_keys = cache_backends.redis_keys


@pytest.mark.parametrize("page", PAGES)
def test_a_second_anonymous_visit_is_a_copy_from_the_cache(course, backend, page):
    path = f"/courses/{course.slug}/{page}"
    SessionFactory(course=course, title="Scaling laws")
    ResourceFactory(course=course, title="GPU cluster guide")
    made, first = fetch(Client(), path)
    assert made > 0
    assert not from_the_cache(made, first)
    queries, second = fetch(Client(), path)
    assert from_the_cache(queries, second)
    assert second.content == first.content


def test_a_copy_carries_the_headers_of_a_fresh_page_and_its_age(course):
    path = f"/courses/{course.slug}/"
    with time_machine.travel(timezone.now(), tick=False):  # Age counts whole seconds
        fresh = Client().get(path)
        copy = Client().get(path)
    assert {k: v for k, v in copy.headers.items() if k != "Age"} == dict(fresh.headers)
    assert copy["Age"] == "0"
    assert copy["Cache-Control"] == f"public, max-age={PUBLIC_PAGE_SECONDS}"
    assert copy["Vary"] == "Cookie"
    assert copy["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in copy["Content-Security-Policy"]
    assert copy["Content-Type"] == "text/html; charset=utf-8"


def test_the_calendar_copy_is_still_a_calendar(course):
    SessionFactory(course=course, title="Scaling laws")
    path = f"/courses/{course.slug}/calendar.ics"
    Client().get(path)
    queries, copy = fetch(Client(), path)
    assert from_the_cache(queries, copy)
    assert copy["Content-Type"] == "text/calendar; charset=utf-8"
    assert copy["Content-Disposition"] == f'inline; filename="{course.slug}.ics"'
    assert b"Scaling laws" in copy.content


def test_a_head_request_is_answered_as_link_checkers_expect(course):
    path = f"/courses/{course.slug}/"
    head = Client().head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert b"Deep Learning at Scale" in Client().get(path).content
    with CaptureQueriesContext(connection) as ctx:
        head = Client().head(path)  # answered from the page's copy
    assert head.status_code == 200
    assert head.content == b""
    assert len(ctx.captured_queries) == 0


def test_each_host_gets_the_calendar_made_for_it(course, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    SessionFactory(course=course)
    path = f"/courses/{course.slug}/calendar.ics"
    first = Client(HTTP_HOST="a.example").get(path).content.decode()
    second = Client(HTTP_HOST="b.example").get(path).content.decode()
    assert "@a.example" in first
    assert "@b.example" in second
    assert "@a.example" not in second


def test_a_host_this_site_does_not_serve_is_refused_not_looked_up(course):
    response = Client(HTTP_HOST="evil.example").get(f"/courses/{course.slug}/")
    assert response.status_code == 400


def test_a_visit_with_a_query_string_is_made_afresh_and_not_kept(course, pages_stored):
    path = f"/courses/{course.slug}/schedule/"
    Client().get(path)  # kept for plain visitors
    for _ in range(2):
        queries, response = fetch(Client(), path, QUERY_STRING="week=3")
        assert response.status_code == 200
        assert not from_the_cache(queries, response)
    assert len(pages_stored) == 1


@pytest.mark.parametrize(
    "cookie", ["csrftoken=" + "a" * 32, "messages=pending", "sessionid=someone"]
)
def test_a_visit_with_any_cookie_is_made_afresh_and_not_kept(course, cookie, pages_stored):
    """The pages vary on Cookie: each Cookie header would need a copy of its own."""
    path = f"/courses/{course.slug}/"
    Client().get(path)  # kept for visitors without cookies
    for _ in range(2):
        queries, response = fetch(Client(), path, HTTP_COOKIE=cookie)
        assert response.status_code == 200
        assert not from_the_cache(queries, response)
    assert len(pages_stored) == 1
    assert from_the_cache(*fetch(Client(), path))


def test_a_cache_server_that_is_down_does_not_break_the_pages(course, settings, caplog):
    settings.CACHES = DEAD_REDIS
    path = f"/courses/{course.slug}/"
    with caplog.at_level(logging.WARNING, logger="coursesite.caching"):
        for _ in range(2):
            response = Client(raise_request_exception=True).get(path)
            assert response.status_code == 200
            assert b"Deep Learning at Scale" in response.content
    assert "The public page cache failed" in caplog.text


def test_while_the_database_is_away_a_kept_page_is_still_served(course, student):
    path = f"/courses/{course.slug}/"
    Client().get(path)

    def away(execute, sql, params, many, context):
        raise OperationalError("the database is away")

    member = Client(raise_request_exception=False)
    member.cookies.update(logged_in(student).cookies)
    with connection.execute_wrapper(away):
        copy = Client(raise_request_exception=False).get(path)
        fresh = member.get(path)
    assert copy.status_code == 200
    assert b"Deep Learning at Scale" in copy.content
    assert fresh.status_code == 503  # logged in: made afresh, which needs the database


@pytest.mark.parametrize("backend", ["file", "redis"], indirect=True)
@pytest.mark.parametrize("page", PAGES)
def test_another_server_process_is_served_the_copy_one_process_kept(course, backend, page):
    """With a cache the processes share, a page is made once for all of them."""
    path = f"/courses/{course.slug}/{page}"
    first = Client().get(path)
    process_cache.clear()  # as in another process, which has nothing of its own yet
    queries, copy = fetch(Client(), path)
    assert from_the_cache(queries, copy)
    assert copy.content == first.content
    assert from_the_cache(*fetch(Client(), path))  # now from this process's memory


def test_after_redis_restarts_each_process_makes_the_page_again_and_shares_it(course, redis_keys):
    path = f"/courses/{course.slug}/"
    Client().get(path)
    # Redis restarted, empty: this test's keys go (FLUSHDB would take those of
    # the tests running beside it on the same server too).
    server = redis.Redis.from_url(cache_backends.REDIS_TEST_URL)
    server.delete(*redis_keys())
    assert from_the_cache(*fetch(Client(), path))  # this process's copy, until it expires
    process_cache.clear()  # another process
    queries, page = fetch(Client(), path)
    assert not from_the_cache(queries, page)
    assert b"Deep Learning at Scale" in page.content
    assert len([key for key in redis_keys() if "public-page" in key]) == 2  # page, Vary
