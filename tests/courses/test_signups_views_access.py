"""Who may use the sign-up board and its buttons: members only, students for the
buttons, wrong methods and missing CSRF tokens refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import PresentationSignup
from tests.courses.signups_helpers import (
    ACTIONS,
    action_url,
    board_url,
    button_targets,
    page_text,
    paper_card,
    staff_url,
)
from tests.factories import new_paper, new_student, seat

pytestmark = pytest.mark.django_db


def assert_sent_to_log_in(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


class TestAccess:
    @pytest.mark.parametrize("action", ACTIONS)
    def test_the_buttons_reject_get(self, as_student, course, student, action):
        mine, full = new_paper(course), new_paper(course)
        seat(mine, student)
        seat(full, new_student(course))
        target = {"signup": new_paper(course), "waitlist": full, "withdraw": mine}[action]

        response = as_student.get(action_url(course, target, action))

        assert response.status_code == 405
        assert list(PresentationSignup.objects.filter(student=student)) == list(mine.signups.all())

    @pytest.mark.parametrize("action", ACTIONS)
    def test_anonymous_posts_are_sent_to_log_in(self, client, course, action):
        paper = new_paper(course)
        response = client.post(action_url(course, paper, action))
        assert_sent_to_log_in(response)
        assert not paper.signups.exists()

    @pytest.mark.parametrize("name", ["papers", "paper_assignments", "paper_assignments_csv"])
    def test_anonymous_visitors_of_the_pages_are_sent_to_log_in(self, client, course, name):
        assert_sent_to_log_in(client.get(staff_url(course, name)))

    @pytest.mark.parametrize("name", ["papers", "paper_assignments", "paper_assignments_csv"])
    def test_a_student_of_another_course_cannot_see_the_pages(self, as_outsider, course, name):
        assert as_outsider.get(staff_url(course, name)).status_code == 404

    @pytest.mark.parametrize("action", ACTIONS)
    def test_a_student_of_another_course_cannot_use_the_buttons(
        self, as_outsider, outsider, course, action
    ):
        paper = new_paper(course)
        if action == "withdraw":
            seat(paper, new_student(course))
        response = as_outsider.post(action_url(course, paper, action))
        assert response.status_code == 404
        assert not paper.signups.filter(student=outsider).exists()

    @pytest.mark.parametrize("role", ["as_ta", "as_instructor"])
    @pytest.mark.parametrize("action", ACTIONS)
    def test_staff_cannot_sign_up_as_students(self, request, course, role, action):
        paper = new_paper(course)
        if action == "waitlist":
            seat(paper, new_student(course))
        response = request.getfixturevalue(role).post(action_url(course, paper, action))
        assert response.status_code == 403
        assert paper.signups.count() == (1 if action == "waitlist" else 0)

    @pytest.mark.parametrize("role", ["as_ta", "as_instructor"])
    def test_staff_see_the_board_without_buttons(self, request, course, role):
        paper = new_paper(course)
        seat(paper, new_student(course, first_name="Grace", last_name="Hopper"))
        response = request.getfixturevalue(role).get(board_url(course))
        assert response.status_code == 200
        card = paper_card(response, paper)
        assert "Presenting: Grace Hopper." in card
        assert button_targets(card) == set()
        assert "Your presentations" not in page_text(response)

    @pytest.mark.parametrize("role", ["as_ta", "as_instructor"])
    @pytest.mark.parametrize("name", ["paper_assignments", "paper_assignments_csv"])
    def test_staff_pages_are_open_to_tas_and_instructors(self, request, course, role, name):
        response = request.getfixturevalue(role).get(staff_url(course, name))
        assert response.status_code == 200

    @pytest.mark.parametrize("name", ["paper_assignments", "paper_assignments_csv"])
    def test_staff_pages_are_forbidden_to_students(self, as_student, course, name):
        assert as_student.get(staff_url(course, name)).status_code == 403


class TestCsrf:
    @pytest.fixture
    def strict_client(self, student):
        client = Client(enforce_csrf_checks=True)
        client.force_login(student)
        return client

    def test_a_post_without_the_token_is_refused(self, strict_client, course):
        paper = new_paper(course)
        response = strict_client.post(action_url(course, paper, "signup"))
        assert response.status_code == 403
        assert not paper.signups.exists()

    def test_the_boards_own_form_carries_the_token(self, strict_client, course, student):
        paper = new_paper(course)
        card = paper_card(strict_client.get(board_url(course)), paper)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card).group(1)

        response = strict_client.post(
            action_url(course, paper, "signup"), {"csrfmiddlewaretoken": token}
        )

        assert response.status_code == 302
        assert paper.signups.get().student == student
