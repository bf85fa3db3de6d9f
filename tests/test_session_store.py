"""Sessions with Redis in front of the database (as with REDIS_URL set): with
the cache server away, people still log in and use the site; with it back,
sessions are cached again."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.test import Client

from tests.conftest import DEAD_REDIS, file_cache
from tests.factories import PASSWORD


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "coursesite.sessions"


def log_in(client: Client, username: str) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_with_the_cache_away_a_student_logs_in_and_sees_their_course(
    cached_sessions, settings, course, student
):
    settings.CACHES = DEAD_REDIS
    client = Client(raise_request_exception=True)
    log_in(client, student.username)
    for _ in range(2):  # the session is read from the database each time
        page = client.get("/my-courses/")
        assert page.status_code == 200
        assert course.title in page.content.decode()


def test_with_the_cache_working_the_session_is_kept_in_it(
    cached_sessions, settings, tmp_path, course, student
):
    settings.CACHES = file_cache(tmp_path)
    from django.core.cache import cache

    client = Client()
    log_in(client, student.username)
    key = client.cookies["sessionid"].value
    assert cache.get(KEY_PREFIX + key)["_auth_user_id"] == str(student.pk)
    assert course.title in client.get("/my-courses/").content.decode()


def test_with_the_cache_away_logging_out_fails_whole_and_works_once_it_is_back(
    cached_sessions, settings, tmp_path, course, student
):
    """A session that was ended must not come back with a cache server that kept
    it: a logout that cannot reach the cache deletes nothing at all."""
    working = file_cache(tmp_path)
    settings.CACHES = working
    client = Client(raise_request_exception=False)
    log_in(client, student.username)
    key = client.cookies["sessionid"].value

    settings.CACHES = DEAD_REDIS
    refused = client.post("/accounts/logout/")
    assert refused.status_code == 500
    assert "sessionid" not in refused.cookies  # the browser keeps its cookie too
    assert Session.objects.filter(session_key=key).exists()

    settings.CACHES = working
    assert course.title in client.get("/my-courses/").content.decode()  # still logged in
    logged_out = client.post("/accounts/logout/")
    assert logged_out.status_code == 302
    assert logged_out["Location"] == "/"
    assert not Session.objects.filter(session_key=key).exists()
    assert import_module(settings.SESSION_ENGINE).SessionStore(key).load() == {}
    assert client.get("/my-courses/").status_code == 302  # to the login page


def test_a_request_that_read_the_session_just_before_a_logout_cannot_revive_it(
    cached_sessions, settings, tmp_path, course, student
):
    """The session is not in the cache (evicted), a request reads it from the
    database, and the logout finishes before that request caches its copy: the
    cookie must still be logged out afterwards, for whoever holds it."""
    settings.CACHES = file_cache(tmp_path)
    from django.core.cache import cache

    client = Client()
    log_in(client, student.username)
    key = client.cookies["sessionid"].value
    cache.delete(KEY_PREFIX + key)

    store = import_module(settings.SESSION_ENGINE).SessionStore
    under_way = store(key)
    read = under_way._get_session_from_db

    def read_then_logged_out():
        row = read()
        assert client.post("/accounts/logout/").status_code == 302
        return row

    under_way._get_session_from_db = read_then_logged_out
    assert under_way.load()["_auth_user_id"] == str(student.pk)  # it began before the logout

    assert store(key).load() == {}
    stolen = Client()
    stolen.cookies["sessionid"] = key
    assert stolen.get("/my-courses/").status_code == 302  # to the login page


def test_a_request_saving_the_session_during_a_logout_cannot_revive_it(
    cached_sessions, settings, tmp_path, course, student, monkeypatch
):
    """A request changed the session and wrote its row just before the logout
    deleted it; its copy reaches the cache after the logout."""
    settings.CACHES = file_cache(tmp_path)
    client = Client()
    log_in(client, student.username)
    key = client.cookies["sessionid"].value

    store = import_module(settings.SESSION_ENGINE).SessionStore
    under_way = store(key)
    under_way["seen_banner"] = True
    write_row = DatabaseStore.save

    def row_written_then_logged_out(self, must_create=False):
        write_row(self, must_create)
        monkeypatch.setattr(DatabaseStore, "save", write_row)
        assert client.post("/accounts/logout/").status_code == 302

    monkeypatch.setattr(DatabaseStore, "save", row_written_then_logged_out)
    under_way.save()

    assert store(key).load() == {}
    stolen = Client()
    stolen.cookies["sessionid"] = key
    assert stolen.get("/my-courses/").status_code == 302  # to the login page


@pytest.mark.parametrize("earlier", ["another person", "a visitor's session"])
def test_with_the_cache_away_logging_in_over_a_session_writes_nothing(
    cached_sessions, settings, tmp_path, course, student, ta, earlier
):
    """Logging in ends the session the browser had (another person's, or one
    kept before logging in), which needs the cache: refused, nothing written."""
    settings.CACHES = file_cache(tmp_path)
    client = Client(raise_request_exception=False)
    if earlier == "another person":
        log_in(client, ta.username)
    else:
        session = client.session
        session["language"] = "en"
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    rows = list(Session.objects.values_list("session_key", flat=True))

    settings.CACHES = DEAD_REDIS
    response = client.post("/accounts/login/", {"username": student.username, "password": PASSWORD})
    assert response.status_code == 500
    assert list(Session.objects.values_list("session_key", flat=True)) == rows
    assert key in rows
