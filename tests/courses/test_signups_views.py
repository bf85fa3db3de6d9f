"""Signing up on the board and its buttons, as students use them in a browser:
taking a seat, the refusals, and the waitlist."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core import mail
from django.test import Client

from courses.models import PresentationSignup
from tests.courses.signups_helpers import (
    ACTIONS,
    CONFIRMED,
    WAITLISTED,
    action_url,
    board_url,
    close_sign_ups,
    page_text,
    paper_card,
    section,
)
from tests.factories import (
    CourseFactory,
    ReadingFactory,
    SessionFactory,
    new_paper,
    new_student,
    seat,
)

pytestmark = pytest.mark.django_db

FAR_AHEAD = dt.datetime(2099, 9, 1, 13, 0, tzinfo=dt.UTC)  # Tuesday, September 1, 9:00 AM


def alerts(response) -> list[str]:
    """The messages shown at the top of the page, as the user reads them."""
    found = re.findall(r'<div class="alert [^"]*">(.*?)</div>', response.content.decode(), re.S)
    return [html.unescape(text.strip()) for text in found]


class TestSigningUp:
    def test_a_student_signs_up_and_is_told_the_day_they_present(self, as_student, course, student):
        paper = new_paper(course, title="Scaling Laws", date=dt.date(2026, 3, 3))

        response = as_student.post(action_url(course, paper, "signup"), follow=True)

        assert response.redirect_chain == [(f"/courses/{course.slug}/papers/", 302)]
        assert alerts(response) == ["You are presenting “Scaling Laws” on Tuesday, March 3."]
        assert paper.signups.get().student == student
        assert paper.signups.get().status == CONFIRMED

    def test_the_board_then_shows_the_paper_as_theirs_at_the_top(self, as_student, course):
        new_paper(course, title="Someone else's paper", date=dt.date(2026, 2, 24))
        paper = new_paper(course, title="Scaling Laws", date=dt.date(2026, 3, 3))

        response = as_student.post(action_url(course, paper, "signup"), follow=True)

        assert "You are presenting this paper." in paper_card(response, paper)
        mine = section(response, "mine-heading")
        assert "Tue, Mar 3: Scaling Laws" in re.sub(r"<[^>]+>", "", mine)
        assert "Someone else's paper" not in mine
        assert "You present 1 of at most 2." in mine
        text = page_text(response)
        assert text.index("Your presentations") < text.index(f'id="paper-{paper.pk}"')

    def test_a_student_who_has_not_signed_up_is_told_so(self, as_student, course):
        new_paper(course)
        mine = section(as_student.get(board_url(course)), "mine-heading")
        assert "You have not signed up for a paper yet." in mine
        assert "You present 0 of at most 2." in mine


class TestRefusals:
    def test_after_the_window_closed_nothing_is_stored(self, as_student, course):
        paper = new_paper(course)
        close_sign_ups(course)

        response = as_student.post(action_url(course, paper, "signup"), follow=True)

        assert alerts(response) == ["Sign-ups closed on Tuesday, January 21, 12:00 AM."]
        assert not paper.signups.exists()

    def test_before_the_window_opens_nothing_is_stored(self, as_student, course):
        paper = new_paper(course)
        course.signup_opens_at = FAR_AHEAD
        course.signup_closes_at = None
        course.save()

        response = as_student.post(action_url(course, paper, "signup"), follow=True)

        assert alerts(response) == ["Sign-ups open on Tuesday, September 1, 9:00 AM."]
        assert not paper.signups.exists()

    def test_a_full_paper_points_to_its_waitlist(self, as_student, course, student):
        paper = new_paper(course)
        seat(paper, new_student(course))

        response = as_student.post(action_url(course, paper, "signup"), follow=True)

        assert alerts(response) == ["This paper has no free seat left; you can join its waitlist."]
        assert not paper.signups.filter(student=student).exists()
        assert paper.signups.count() == 1

    def test_signing_up_twice_for_a_paper_is_refused(self, as_student, course, student):
        paper = new_paper(course, capacity=2, title="Scaling Laws")
        seat(paper, student)

        response = as_student.post(action_url(course, paper, "signup"), follow=True)

        assert alerts(response) == ["You are already presenting “Scaling Laws”."]
        assert paper.signups.count() == 1

    def test_a_student_at_the_maximum_cannot_take_another(self, as_student, course, student):
        seat(new_paper(course), student)
        seat(new_paper(course), student)
        third = new_paper(course)

        response = as_student.post(action_url(course, third, "signup"), follow=True)

        assert alerts(response) == [
            "You already present 2 papers, the most this course allows (2). "
            "Withdraw from one to take another."
        ]
        assert not third.signups.exists()
        assert PresentationSignup.objects.filter(student=student).count() == 2

    def test_withdrawing_after_the_window_closed_keeps_the_seat(self, as_student, course, student):
        paper = new_paper(course)
        seat(paper, student)
        close_sign_ups(course)

        response = as_student.post(action_url(course, paper, "withdraw"), follow=True)

        assert alerts(response) == [
            "Sign-ups closed on Tuesday, January 21, 12:00 AM. "
            "Ask your instructor to change your presentation."
        ]
        assert paper.signups.get().student == student
        assert "You are presenting this paper." in paper_card(response, paper)

    @pytest.mark.parametrize("action", ACTIONS)
    def test_a_paper_of_another_course_is_not_found(self, as_student, course, action):
        other_course = CourseFactory()
        elsewhere = new_paper(other_course)
        seat(elsewhere, new_student(other_course))

        response = as_student.post(action_url(course, elsewhere, action))

        assert response.status_code == 404
        assert elsewhere.signups.count() == 1

    @pytest.mark.parametrize("action", ACTIONS)
    def test_a_paper_not_open_for_presentations_is_not_found(self, as_student, course, action):
        reading = ReadingFactory(session=SessionFactory(course=course), presentable=False)

        response = as_student.post(action_url(course, reading, action))

        assert response.status_code == 404
        assert not reading.signups.exists()


class TestWaitlist:
    def test_a_student_joins_the_waitlist_of_a_full_paper(self, as_student, course, student):
        paper = new_paper(course, title="Scaling Laws")
        seat(paper, new_student(course))

        response = as_student.post(action_url(course, paper, "waitlist"), follow=True)

        assert alerts(response) == [
            "You are on the waitlist for “Scaling Laws”. If a seat frees up and you are "
            "still under the maximum, you will present it and get an email."
        ]
        assert paper.signups.get(student=student).status == WAITLISTED
        assert "You are #1 on the waitlist." in paper_card(response, paper)
        assert "Waitlist #1" in section(response, "mine-heading")

    def test_a_free_paper_cannot_be_waited_for(self, as_student, course):
        paper = new_paper(course)
        response = as_student.post(action_url(course, paper, "waitlist"), follow=True)
        assert alerts(response) == ["This paper has a free seat: sign up for it instead."]
        assert not paper.signups.exists()

    def test_a_withdrawal_promotes_the_first_waiting_student(
        self, as_student, course, student, django_capture_on_commit_callbacks
    ):
        paper = new_paper(course, title="Scaling Laws", date=dt.date(2026, 3, 3))
        first, second = new_student(course, "first"), new_student(course, "second")
        seat(paper, student)
        seat(paper, first, WAITLISTED)
        seat(paper, second, WAITLISTED)

        with django_capture_on_commit_callbacks(execute=True):
            response = as_student.post(action_url(course, paper, "withdraw"), follow=True)

        assert alerts(response) == ["You withdrew from “Scaling Laws”."]
        assert not paper.signups.filter(student=student).exists()
        assert paper.signups.get(student=first).status == CONFIRMED
        assert paper.signups.get(student=second).status == WAITLISTED
        assert [m.to for m in mail.outbox] == [[first.email]]

        as_first = Client()
        as_first.force_login(first)
        first_board = as_first.get(board_url(course))
        assert "You are presenting this paper." in paper_card(first_board, paper)
        assert "Tue, Mar 3" in section(first_board, "mine-heading")
        as_second = Client()
        as_second.force_login(second)
        assert "You are #1 on the waitlist." in paper_card(as_second.get(board_url(course)), paper)

    def test_leaving_the_waitlist_keeps_the_presenter(self, as_student, course, student):
        paper = new_paper(course)
        presenter = new_student(course)
        seat(paper, presenter)
        seat(paper, student, WAITLISTED)

        as_student.post(action_url(course, paper, "withdraw"), follow=True)

        assert list(paper.signups.values_list("student", "status")) == [(presenter.pk, CONFIRMED)]
