"""The sign-up board as it shows papers, seats, presenters and the window, the
schedule's presenters, and the board's query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.courses.signups_helpers import (
    WAITLISTED,
    board_url,
    button_targets,
    close_sign_ups,
    page_text,
    paper_card,
    staff_url,
)
from tests.factories import new_paper, new_student, seat

pytestmark = pytest.mark.django_db


class TestBoard:
    def test_a_free_paper_offers_sign_up(self, as_student, course):
        paper = new_paper(course)
        card = paper_card(as_student.get(board_url(course)), paper)
        assert button_targets(card) == {"signup"}
        assert "Sign up" in card

    def test_a_full_paper_offers_the_waitlist(self, as_student, course):
        paper = new_paper(course)
        seat(paper, new_student(course))
        card = paper_card(as_student.get(board_url(course)), paper)
        assert button_targets(card) == {"waitlist"}
        assert "Join waitlist" in card

    def test_the_students_own_paper_offers_withdraw(self, as_student, course, student):
        paper = new_paper(course, capacity=2)
        seat(paper, student)
        card = paper_card(as_student.get(board_url(course)), paper)
        assert button_targets(card) == {"withdraw"}
        assert "You are presenting this paper." in card

    def test_a_waiting_student_sees_their_place_and_can_withdraw(self, as_student, course, student):
        paper = new_paper(course)
        seat(paper, new_student(course))
        seat(paper, new_student(course), WAITLISTED)
        seat(paper, student, WAITLISTED)
        card = paper_card(as_student.get(board_url(course)), paper)
        assert "You are #2 on the waitlist." in card
        assert button_targets(card) == {"withdraw"}

    def test_a_closed_window_offers_no_button(self, as_student, course, student):
        free, mine = new_paper(course), new_paper(course)
        seat(mine, student)
        close_sign_ups(course)

        response = as_student.get(board_url(course))

        assert "Sign-ups are closed." in paper_card(response, free)
        assert button_targets(paper_card(response, free)) == set()
        assert button_targets(paper_card(response, mine)) == set()
        assert "Sign-ups closed on Tuesday, January 21, 12:00 AM." in page_text(response)

    def test_it_shows_seats_presenters_and_the_waitlist(self, as_student, course):
        paper = new_paper(course, capacity=2)
        seat(paper, new_student(course, first_name="Grace", last_name="Hopper"))
        for _ in range(3):
            seat(paper, new_student(course), WAITLISTED)
        untaken = new_paper(course)

        response = as_student.get(board_url(course))

        card = paper_card(response, paper)
        assert "1 of 2 seats taken" in card
        assert "Presenting: Grace Hopper." in card
        assert "Waitlist: 3." in card
        assert "0 of 1 seat taken" in paper_card(response, untaken)
        assert "Waitlist" not in paper_card(response, untaken)

    def test_a_presenter_without_a_full_name_is_shown_by_username(self, as_student, course):
        paper = new_paper(course, capacity=2)
        seat(paper, new_student(course, "nameless", first_name="", last_name=""))
        assert "Presenting: nameless." in paper_card(as_student.get(board_url(course)), paper)


class TestSchedule:
    def test_members_see_who_presents(self, as_student, course):
        paper = new_paper(course, capacity=2)
        seat(paper, new_student(course, first_name="Grace", last_name="Hopper"))
        seat(paper, new_student(course, first_name="Alan", last_name="Kay"))
        response = as_student.get(staff_url(course, "schedule"))
        assert "Presented by Grace Hopper, Alan Kay" in page_text(response)

    @pytest.mark.parametrize("visitor", ["client", "as_outsider"])
    def test_visitors_do_not_see_who_presents(self, request, course, visitor):
        paper = new_paper(course, title="Scaling Laws")
        seat(paper, new_student(course, first_name="Grace", last_name="Hopper"))
        response = request.getfixturevalue(visitor).get(staff_url(course, "schedule"))
        text = page_text(response)
        assert "Scaling Laws" in text
        assert "Presented by" not in text
        assert "Grace Hopper" not in text


def test_the_board_query_count_does_not_grow_with_papers(as_student, course, student):
    classmates = [new_student(course) for _ in range(4)]

    def add_papers(count: int) -> None:
        for i in range(count):
            paper = new_paper(course, capacity=2)
            seat(paper, classmates[i % 4])
            seat(paper, classmates[(i + 1) % 4])
            seat(paper, classmates[(i + 2) % 4], WAITLISTED)
            if i == 0:
                seat(paper, student, WAITLISTED)

    def board_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = as_student.get(board_url(course))
        assert response.status_code == 200
        return len(queries.captured_queries)

    add_papers(5)
    few = board_queries()
    add_papers(35)
    many = board_queries()

    assert course.sessions.filter(readings__presentable=True).count() == 40
    assert few == many
