"""Logging in: with a username or an email, the lockout after wrong passwords, the
session, the list of a person's courses, and the cookie flags in production."""

from __future__ import annotations

import datetime as dt
import html
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from courses.models import Membership
from tests.conftest import logged_in
from tests.factories import PASSWORD, CourseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
WRONG = "not-the-password"
BAD_LOGIN = "That username or email and password do not match. Passwords are case-sensitive."


def log_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in_as(client: Client) -> str | None:
    """The username the client's session belongs to, if any."""
    response = client.get("/my-courses/")
    if response.status_code != 200:
        return None
    return response.context["user"].get_username()


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email="alice@example.edu")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", email="bob@example.edu")


class TestLogIn:
    def test_a_person_logs_in_with_their_username(self, client, alice):
        response = log_in(client, "alice")

        assert response.status_code == 302
        assert response["Location"] == "/"
        assert logged_in_as(client) == "alice"

    @pytest.mark.parametrize(
        "typed", ["alice@example.edu", "ALICE@Example.EDU", "Alice@example.edu"]
    )
    def test_a_person_logs_in_with_their_email_in_any_letter_case(self, client, alice, typed):
        response = log_in(client, typed)

        assert response.status_code == 302
        assert logged_in_as(client) == "alice"

    def test_a_wrong_password_is_refused_with_a_message(self, client, alice):
        response = log_in(client, "alice", WRONG)

        assert response.status_code == 200
        assert BAD_LOGIN in page_text(response)
        assert logged_in_as(client) is None

    def test_an_email_two_accounts_share_does_not_log_in_but_each_username_does(self, db):
        UserFactory(username="twin1", email="shared@example.edu")
        UserFactory(username="twin2", email="shared@example.edu")

        by_email = Client()
        response = log_in(by_email, "shared@example.edu")
        assert response.status_code == 200
        assert BAD_LOGIN in page_text(response)
        assert logged_in_as(by_email) is None

        for username in ("twin1", "twin2"):
            client = Client()
            assert log_in(client, username).status_code == 302
            assert logged_in_as(client) == username

    def test_the_login_page_asks_for_a_username_or_email(self, client):
        page = client.get(LOGIN)

        assert page.status_code == 200
        assert page.context["form"].fields["username"].label == "Username or email"
        assert "Username or email" in page_text(page)

    def test_the_session_key_changes_at_login(self, client, alice):
        session = client.session
        session["seen"] = True
        session.save()
        before = client.cookies["sessionid"].value

        assert log_in(client, "alice").status_code == 302

        after = client.cookies["sessionid"].value
        assert after != before
        assert client.session.get("seen") is True
        assert logged_in_as(client) == "alice"
        stale = Client()
        stale.cookies["sessionid"] = before
        assert logged_in_as(stale) is None


class TestLockout:
    def fail(self, client, username: str, times: int, **extra) -> list[int]:
        return [log_in(client, username, WRONG, **extra).status_code for _ in range(times)]

    def test_after_five_wrong_passwords_even_the_right_one_is_refused(self, client, alice):
        assert self.fail(client, "alice", 4) == [200] * 4
        assert self.fail(client, "alice", 1) == [429]

        response = log_in(client, "alice")

        assert response.status_code == 429
        text = page_text(response)
        assert "Too many failed logins" in text
        assert "After 5 wrong passwords from this address" in text
        assert "“alice”" in text
        assert "paused for 15 minutes" in text
        assert logged_in_as(client) is None

    def test_a_locked_out_username_does_not_lock_others_from_the_same_address(
        self, client, alice, bob
    ):
        self.fail(client, "alice", 5)

        response = log_in(Client(), "bob")

        assert response.status_code == 302

    def test_the_same_username_from_another_address_is_not_locked(self, client, alice):
        self.fail(client, "alice", 5)

        other = Client(REMOTE_ADDR="10.1.2.3")
        response = log_in(other, "alice")

        assert response.status_code == 302
        assert logged_in_as(other) == "alice"

    def test_a_right_password_before_the_limit_starts_the_count_again(self, alice):
        assert self.fail(Client(), "alice", 4) == [200] * 4
        assert log_in(Client(), "alice").status_code == 302

        assert self.fail(Client(), "alice", 4) == [200] * 4
        response = log_in(Client(), "alice")

        assert response.status_code == 302

    def test_after_the_cool_off_the_person_can_log_in_again(self, client, alice):
        self.fail(client, "alice", 5)

        AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=14))
        assert log_in(client, "alice").status_code == 429

        AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
        response = log_in(client, "alice")

        assert response.status_code == 302
        assert logged_in_as(client) == "alice"

    def test_a_locked_out_account_stays_locked_when_typed_as_its_email(self, client, alice):
        self.fail(client, "alice", 5)

        statuses = [
            log_in(client, typed, WRONG).status_code
            for typed in ("alice@example.edu", "Alice@example.edu", "ALICE@example.edu")
        ]

        assert statuses == [429, 429, 429]


class TestMyCourses:
    def test_my_courses_lists_each_membership_with_its_role_and_link(self, db):
        person = UserFactory(username="pat")
        seminar = CourseFactory(slug="cis6200", code="CIS6200", title="Deep Learning at Scale")
        systems = CourseFactory(slug="cis5550", code="CIS5550", title="Internet Systems")
        CourseFactory(slug="cis1100", code="CIS1100", title="Not Mine")
        MembershipFactory(course=seminar, user=person, role=Membership.Role.STUDENT)
        MembershipFactory(course=systems, user=person, role=Membership.Role.TA)

        page = logged_in(person).get("/my-courses/")

        assert page.status_code == 200
        body = page.content.decode()
        text = page_text(page)
        assert 'href="/courses/cis6200/"' in body
        assert 'href="/courses/cis5550/"' in body
        assert "CIS6200: Deep Learning at Scale" in text
        assert "CIS5550: Internet Systems" in text
        assert "Not Mine" not in text
        roles = {m.course.code: m.get_role_display() for m in page.context["memberships"]}
        assert roles == {"CIS6200": "Student", "CIS5550": "Teaching assistant"}
        assert '<span class="badge text-bg-secondary">Teaching assistant</span>' in body
        assert '<span class="badge text-bg-secondary">Student</span>' in body

    def test_a_person_in_no_course_is_told_so_and_offered_a_code(self, db):
        page = logged_in(UserFactory(username="pat")).get("/my-courses/")

        assert "You are not in any course yet." in page_text(page)
        assert 'href="/join/"' in page.content.decode()

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.get("/my-courses/")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/my-courses/"


def test_session_and_csrf_cookies_are_secure_in_production():
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        DEBUG="0",
        SECRET_KEY="k" * 30 + "Z9-q" * 10,
        ALLOWED_HOSTS="example.edu",
        DJANGO_SETTINGS_MODULE="coursesite.settings",
    )
    script = (
        "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_HTTPONLY)"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]
