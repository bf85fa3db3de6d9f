"""Throttles on guessing: failed logins from one network across usernames,
password-reset mail per address and per client, and wrong old passwords when
changing one. Each refusal answers 429, says when to try again, and changes
nothing."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def text(response) -> str:
    return html.unescape(response.content.decode())


def wait_minutes(response) -> int:
    match = re.search(r"Try again in (\d+) minutes?\.", text(response))
    assert match, text(response)
    return int(match.group(1))


def assert_refused(response, what: str) -> None:
    assert response.status_code == 429
    assert what in text(response)
    assert 0 < int(response["Retry-After"]) <= 3600
    assert 1 <= wait_minutes(response) <= 60


@pytest.fixture
def people(db):
    return [UserFactory(username=f"user{n}", email=f"user{n}@example.edu") for n in range(5)]


class TestFailedLoginsPerClient:
    @pytest.fixture(autouse=True)
    def _limit(self, settings):
        settings.THROTTLE_LOGIN_FAILURES_PER_CLIENT = (3, 900)

    def test_guessing_across_usernames_from_one_address_is_stopped(self, people):
        guesser = Client(REMOTE_ADDR="203.0.113.7")
        for person in people[:3]:
            response = guesser.post(
                "/accounts/login/", {"username": person.username, "password": WRONG}
            )
            assert response.status_code == 200  # each account is still far from its lockout
        # Even the right password for a fourth account is not checked now.
        response = guesser.post(
            "/accounts/login/", {"username": people[3].username, "password": PASSWORD}
        )
        assert_refused(response, "Too many failed logins came from your network.")
        assert guesser.get("/my-courses/").status_code == 302  # not logged in

    def test_another_address_still_logs_in(self, people):
        guesser = Client(REMOTE_ADDR="203.0.113.7")
        for person in people[:3]:
            guesser.post("/accounts/login/", {"username": person.username, "password": WRONG})
        student = Client(REMOTE_ADDR="198.51.100.20")
        response = student.post(
            "/accounts/login/", {"username": people[4].username, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert student.get("/my-courses/").status_code == 200

    def test_successful_logins_do_not_count(self, people):
        classroom = Client(REMOTE_ADDR="203.0.113.7")
        for person in people:
            response = classroom.post(
                "/accounts/login/", {"username": person.username, "password": PASSWORD}
            )
            assert response.status_code == 302
            classroom.post("/accounts/logout/")


class TestPasswordResetRequests:
    def test_one_address_gets_three_mails_an_hour(self, people):
        client = Client(REMOTE_ADDR="203.0.113.7")
        for _ in range(3):
            response = client.post("/accounts/password_reset/", {"email": "user0@example.edu"})
            assert response.status_code == 302
        response = client.post("/accounts/password_reset/", {"email": "USER0@example.edu"})
        assert_refused(response, "Too many password reset requests.")
        assert len(mail.outbox) == 3
        # Another address is not held up by that one.
        other = Client(REMOTE_ADDR="198.51.100.20")
        assert (
            other.post("/accounts/password_reset/", {"email": "user1@example.edu"}).status_code
            == 302
        )
        assert len(mail.outbox) == 4

    def test_one_client_cannot_spray_many_addresses(self, people, settings):
        settings.THROTTLE_PASSWORD_RESET_PER_CLIENT = (4, 3600)
        client = Client(REMOTE_ADDR="203.0.113.7")
        for person in people[:4]:
            client.post("/accounts/password_reset/", {"email": person.email})
        response = client.post("/accounts/password_reset/", {"email": people[4].email})
        assert_refused(response, "Too many password reset requests.")
        assert len(mail.outbox) == 4

    def test_an_address_without_an_account_is_throttled_the_same(self, db):
        client = Client()
        answers = [
            client.post("/accounts/password_reset/", {"email": "nobody@example.edu"}).status_code
            for _ in range(4)
        ]
        assert answers == [302, 302, 302, 429]


class TestOldPasswordChecks:
    def test_wrong_old_passwords_lock_the_form_for_a_while(self, people):
        person = people[0]
        client = Client()
        client.force_login(person)
        for _ in range(5):
            response = client.post(
                "/accounts/password_change/",
                {
                    "old_password": WRONG,
                    "new_password1": "Fresh-pass-93",
                    "new_password2": "Fresh-pass-93",
                },
            )
            assert response.status_code == 200
        response = client.post(
            "/accounts/password_change/",
            {
                "old_password": PASSWORD,
                "new_password1": "Fresh-pass-93",
                "new_password2": "Fresh-pass-93",
            },
        )
        assert_refused(response, "Too many wrong passwords were typed for this account.")
        person.refresh_from_db()
        assert person.check_password(PASSWORD)

    def test_the_right_old_password_changes_it(self, people):
        person = people[0]
        client = Client()
        client.force_login(person)
        response = client.post(
            "/accounts/password_change/",
            {
                "old_password": PASSWORD,
                "new_password1": "Fresh-pass-93",
                "new_password2": "Fresh-pass-93",
            },
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.check_password("Fresh-pass-93")


class TestJoinCodeGuesses:
    @pytest.fixture
    def joinable(self, course):
        from courses.services import rosters

        return rosters.join_code_rotate(course=course, enabled=True)

    def test_wrong_codes_lock_the_form_for_a_while_and_the_right_one_waits(
        self, course, joinable, people, settings
    ):
        settings.THROTTLE_JOIN_CODE_PER_USER = (3, 3600)
        client = Client()
        client.force_login(people[0])
        for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
            response = client.post("/join/", {"code": guess})
            assert response.status_code == 200
            assert "No course has this join code" in text(response)
        response = client.post("/join/", {"code": joinable})
        assert_refused(response, "Too many wrong join codes.")
        assert not course.memberships.filter(user=people[0]).exists()
        # Someone else, from another address, joins with the right code.
        other = Client(REMOTE_ADDR="198.51.100.20")
        other.force_login(people[1])
        assert other.post("/join/", {"code": joinable}).status_code == 302
        assert course.memberships.filter(user=people[1]).exists()

    def test_one_address_cannot_try_codes_from_many_accounts(self, course, people, settings):
        settings.THROTTLE_JOIN_CODE_PER_CLIENT = (4, 3600)
        for n, person in enumerate(people[:4]):
            client = Client(REMOTE_ADDR="203.0.113.7")
            client.force_login(person)
            client.post("/join/", {"code": f"AAAA-AAA{n}"})
        client = Client(REMOTE_ADDR="203.0.113.7")
        client.force_login(people[4])
        assert_refused(client.post("/join/", {"code": "ZZZZ-ZZZZ"}), "Too many wrong join codes.")


def test_guesses_sent_while_others_are_checked_are_counted_as_they_arrive(people, monkeypatch):
    """Six wrong old passwords sent at once: while the first is still being
    checked, the other five arrive. Only five are ever checked."""
    from django.contrib.auth.models import AbstractBaseUser

    person = people[0]
    client = Client()
    client.force_login(person)
    checked: list[str] = []
    answers: list[int] = []
    real_check = AbstractBaseUser.check_password

    def guess(n: int) -> None:
        answers.append(
            client.post(
                "/accounts/password_change/",
                {"old_password": f"guess-{n}", "new_password1": "Fresh-pass-93",
                 "new_password2": "Fresh-pass-93"},
            ).status_code
        )  # fmt: skip

    def slow_check(self, raw_password):
        checked.append(raw_password)
        if raw_password == "guess-0":  # still checking the first: the rest arrive now
            for n in range(1, 6):
                guess(n)
        return real_check(self, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", slow_check)
    guess(0)
    assert len(checked) == 5
    assert sorted(answers) == [200] * 5 + [429]
