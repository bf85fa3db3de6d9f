"""Sessions live in the database, with Django's stock engine, whether or not
Redis is configured (Redis is for the cache only): a login writes a session
row, logging in starts a new session, logging out ends it for whoever holds
the cookie, and people log in and out while the cache server is away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from tests.conftest import DEAD_REDIS
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def log_in(client: Client, username: str) -> str:
    """Log in through the login form; the session key the browser was given."""
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def holding(session_key: str) -> Client:
    """A browser that holds a copy of the session cookie."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/0"])
def test_sessions_use_django_s_database_engine_with_or_without_redis(redis_url):
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="coursesite.settings", DEBUG="1", REDIS_URL=redis_url)
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings as s; print(s.SESSION_ENGINE)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert shown.stdout.strip() == "django.contrib.sessions.backends.db"


def test_logging_in_keeps_the_session_in_the_database(course, student):
    key = log_in(Client(), student.username)
    row = Session.objects.get(session_key=key)
    assert row.get_decoded()["_auth_user_id"] == str(student.pk)


def test_logging_out_ends_the_session_for_whoever_holds_the_cookie(course, student):
    browser = Client()
    key = log_in(browser, student.username)
    copy = holding(key)
    assert copy.get("/my-courses/").status_code == 200  # the copy works while logged in
    logged_out = browser.post("/accounts/logout/")
    assert logged_out.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()

    assert copy.get("/my-courses/")["Location"].startswith("/accounts/login/")
    page = copy.get(f"/courses/{course.slug}/").content.decode()
    assert "Log in" in page
    assert "Log out" not in page


def test_logging_in_replaces_the_session_a_visitor_had(course, student):
    browser = Client()
    session = browser.session
    session["seen_banner"] = True
    session.save()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    key = log_in(browser, student.username)
    assert key != session.session_key
    assert not Session.objects.filter(session_key=session.session_key).exists()


def test_with_the_cache_server_away_people_log_in_use_the_site_and_log_out(
    course, student, settings
):
    settings.CACHES = DEAD_REDIS
    browser = Client(raise_request_exception=True)
    key = log_in(browser, student.username)
    for _ in range(2):
        page = browser.get("/my-courses/")
        assert page.status_code == 200
        assert course.title in page.content.decode()
    assert browser.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert holding(key).get("/my-courses/").status_code == 302
