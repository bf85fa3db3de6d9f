from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import Membership
from tests.factories import PASSWORD, CourseFactory, MembershipFactory, UserFactory

# CI_STRICT=1: a test that did not run fails the run (tests/strictness.py). Its hooks
# are imported here for pytest to find: unused names to a linter, hence the noqa.
from tests.strictness import (  # noqa: F401
    pytest_make_collect_report,
    pytest_runtest_makereport,
    pytest_terminal_summary,
)

# Helper modules (tests/fuzz.py, tests/<app>/*_helpers.py) assert too: pytest rewrites
# their asserts as it does a test module's, so that a failure shows the values.
pytest.register_assert_rewrite(
    "tests.fuzz",
    "tests.browser",
    "tests.concurrency",
    "tests.courses",
    "tests.coursesite",
    "tests.grading",
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` check what only PostgreSQL has. On another
    database they are deselected, not skipped: CI runs the suite on both, and
    in the PostgreSQL run a skip must still count as a failure."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages of one test's course
    must not answer for another test's course that reuses its id."""
    from django.core.cache import cache

    from coursesite.caching import process_cache

    cache.clear()
    process_cache.clear()  # what a server process keeps itself: a test is a new server
    yield
    cache.clear()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Uploads of one test land in a folder of their own, with the default file types."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    settings.SUBMISSION_FILE_TYPES = ["pdf", "zip", "ipynb", "txt"]
    return root


# CACHES for a Redis server that is away: nothing listens on port 1, so every
# connection is refused at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def file_cache(tmp_path) -> dict:
    """CACHES for Django's file cache in the test's own folder: a cache that
    several server processes would share, as Redis is."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


def files_under(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def course(db):
    """A published course whose presentation sign-ups are open."""
    now = timezone.now()
    return CourseFactory(
        slug="cis6200",
        code="CIS6200",
        signup_opens_at=now - dt.timedelta(days=1),
        signup_closes_at=now + dt.timedelta(days=7),
    )


def _member(course, role, username):
    return MembershipFactory(course=course, role=role, user=UserFactory(username=username)).user


@pytest.fixture
def instructor(course):
    return _member(course, Membership.Role.INSTRUCTOR, "prof")


@pytest.fixture
def ta(course):
    return _member(course, Membership.Role.TA, "ta")


@pytest.fixture
def student(course):
    return _member(course, Membership.Role.STUDENT, "alice")


@pytest.fixture
def prof(course):
    """The course's instructor, made one through `membership_set`, as the admin
    and the roster do: with the admin access that comes with it."""
    from courses.services.memberships import membership_set

    user = UserFactory(username="prof")
    membership_set(course=course, user=user, role=Membership.Role.INSTRUCTOR)
    return user


@pytest.fixture
def admin_client(prof) -> Client:
    return logged_in(prof)


@pytest.fixture
def outsider(db):
    """A student of another course."""
    other = CourseFactory(slug="other-course", code="CIS5200")
    return _member(other, Membership.Role.STUDENT, "mallory")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_student(student):
    return logged_in(student)


@pytest.fixture
def as_ta(ta):
    return logged_in(ta)


@pytest.fixture
def as_instructor(instructor):
    return logged_in(instructor)


@pytest.fixture
def as_outsider(outsider):
    return logged_in(outsider)


# The fuzz tests' clients (tests/fuzz.py): a server error comes back as the 500 a
# browser would get, for `check` to report, instead of being raised.


@pytest.fixture
def prof_client(instructor):
    from tests.fuzz import client_for

    return client_for(instructor)


@pytest.fixture
def alice_client(student):
    from tests.fuzz import client_for

    return client_for(student)


@pytest.fixture(scope="session")
def chromium():
    """A real headless Chromium driven by Playwright."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes around it are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _page(chromium, live_server, width: int, height: int):
    context = chromium.new_context(
        viewport={"width": width, "height": height}, base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):
    """A page 375 px wide, like a phone, with the live server's URL at hand."""
    yield from _page(chromium, live_server, 375, 812)


@pytest.fixture
def desk_page(chromium, live_server):
    """A laptop-sized page, for the staff's side of a two-browser test."""
    yield from _page(chromium, live_server, 1280, 900)


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    # Logged in once the login page is left: a navigation started before that
    # would cancel the login's own.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def phone_menu_open(page) -> None:
    """Open the collapsed site menu of a phone-sized page and wait until it has
    finished opening (a link clicked while it slides open can miss)."""
    page.get_by_role("button", name="Toggle navigation").click()
    page.locator("#site-nav.show").wait_for(state="visible")


# Two courses that share their people (tests/two_courses.py).
from tests.two_courses import two_courses  # noqa: E402, F401
