"""Join codes: the instructor turns one on, a logged-in person joins the course
as a student with it, and a wrong or old code changes nothing."""

from __future__ import annotations

import re

import pytest

from courses.models import Membership
from tests.conftest import logged_in
from tests.courses.rosters_helpers import (
    INSTRUCTOR,
    JOIN_CODE,
    ROSTER,
    STUDENT,
    TA,
    messages_shown,
    page_text,
    roles,
    state,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COURSE_HOME = "/courses/cis6200/"
CODE_PATTERN = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")


class TestJoinCodes:
    @pytest.fixture
    def code(self, as_instructor, course):
        as_instructor.post(JOIN_CODE, {"action": "rotate"}, follow=True)
        course.refresh_from_db()
        return course.join_code

    @pytest.fixture
    def newcomer(self, db):
        return UserFactory(username="nina")

    def join(self, user, code):
        return logged_in(user).post("/join/", {"code": code}, follow=True)

    def test_the_instructor_turns_on_a_code_and_sees_it(self, as_instructor, course):
        response = as_instructor.post(JOIN_CODE, {"action": "rotate"}, follow=True)

        course.refresh_from_db()
        assert CODE_PATTERN.match(course.join_code)
        assert response.redirect_chain == [(ROSTER, 302)]
        assert messages_shown(response) == [
            f"The join code is now {course.join_code}; the old one no longer works."
        ]
        assert f'data-testid="join-code">{course.join_code}<' in response.content.decode()

    @pytest.mark.parametrize(
        "typed",
        [
            pytest.param(lambda code: code, id="as-shown"),
            pytest.param(lambda code: code.lower(), id="lower-case"),
            pytest.param(lambda code: code.replace("-", ""), id="without-dash"),
            pytest.param(lambda code: f"  {code[:4].lower()} {code[5:]} ", id="with-spaces"),
        ],
    )
    def test_a_logged_in_person_joins_as_a_student_with_the_code(
        self, course, code, newcomer, typed
    ):
        response = self.join(newcomer, typed(code))

        assert response.redirect_chain == [(COURSE_HOME, 302)]
        assert messages_shown(response) == ["Welcome to CIS6200: you are a student now."]
        assert roles(course)["nina"] == STUDENT

    def test_joining_again_says_already_in(self, course, code, newcomer):
        self.join(newcomer, code)

        response = self.join(newcomer, code)

        assert response.redirect_chain == [(COURSE_HOME, 302)]
        assert messages_shown(response) == ["You are already in CIS6200."]
        assert Membership.objects.filter(course=course, user=newcomer).count() == 1

    def test_a_ta_who_enters_the_code_stays_a_ta(self, course, code, ta):
        response = self.join(ta, code)

        assert messages_shown(response) == ["You are already in CIS6200."]
        assert roles(course)["ta"] == TA

    @pytest.mark.parametrize(
        ("typed", "error"),
        [
            ("ABCD-1234", "No course has this join code. Check it with your instructor."),
            ("ABC", "That is not a join code: it has eight letters and digits."),
        ],
    )
    def test_a_wrong_code_shows_a_message_and_changes_nothing(
        self, course, code, newcomer, typed, error
    ):
        before = state(course)

        response = self.join(newcomer, typed)

        assert response.status_code == 200
        assert response.redirect_chain == []
        assert error in page_text(response)
        assert state(course) == before

    def test_after_a_new_code_the_old_one_no_longer_works(
        self, as_instructor, course, code, newcomer
    ):
        as_instructor.post(JOIN_CODE, {"action": "rotate"})
        course.refresh_from_db()
        assert course.join_code != code

        old = self.join(newcomer, code)
        assert "No course has this join code." in page_text(old)
        assert "nina" not in roles(course)
        new = self.join(newcomer, course.join_code)
        assert new.redirect_chain == [(COURSE_HOME, 302)]
        assert roles(course)["nina"] == STUDENT

    def test_after_turning_joining_off_no_code_works(self, as_instructor, course, code, newcomer):
        response = as_instructor.post(JOIN_CODE, {"action": "disable"}, follow=True)

        course.refresh_from_db()
        assert course.join_code == ""
        assert messages_shown(response) == ["Joining by code is off."]
        assert "Joining by code is off." in page_text(response)
        for typed in (code, "", "----"):
            page = self.join(newcomer, typed)
            assert page.redirect_chain == []
        assert "nina" not in roles(course)

    def test_anonymous_visitors_of_the_join_page_are_sent_to_log_in(self, client, course, code):
        for response in (client.get("/join/"), client.post("/join/", {"code": code})):
            assert response.status_code == 302
            assert response["Location"] == "/accounts/login/?next=/join/"
        assert roles(course) == {"prof": INSTRUCTOR}

    @pytest.mark.parametrize("who", ["as_ta", "as_student"])
    @pytest.mark.parametrize("action", ["rotate", "disable"])
    def test_tas_and_students_cannot_change_the_code(self, request, course, code, who, action):
        client = request.getfixturevalue(who)

        response = client.post(JOIN_CODE, {"action": action})

        assert response.status_code == 403
        course.refresh_from_db()
        assert course.join_code == code

    def test_the_join_page_shows_the_form(self, newcomer):
        page = logged_in(newcomer).get("/join/")

        assert page.status_code == 200
        assert "Join a course" in page_text(page)
        assert "Join code" in page_text(page)
