"""The sign-up board and its buttons, as students and staff use them in a browser."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import PresentationSignup
from tests.factories import (
    CourseFactory,
    ReadingFactory,
    SessionFactory,
    new_paper,
    new_student,
    seat,
)

pytestmark = pytest.mark.django_db
CONFIRMED = PresentationSignup.Status.CONFIRMED
WAITLISTED = PresentationSignup.Status.WAITLISTED
ACTIONS = ["signup", "waitlist", "withdraw"]

# Fixed instants, said back in the course's time zone (America/New_York).
LONG_AGO = dt.datetime(2025, 1, 2, 5, 0, tzinfo=dt.UTC)  # Thursday, January 2, 12:00 AM
CLOSED_AT = dt.datetime(2025, 1, 21, 5, 0, tzinfo=dt.UTC)  # Tuesday, January 21, 12:00 AM
FAR_AHEAD = dt.datetime(2099, 9, 1, 13, 0, tzinfo=dt.UTC)  # Tuesday, September 1, 9:00 AM


def close_sign_ups(course) -> None:
    course.signup_opens_at = LONG_AGO
    course.signup_closes_at = CLOSED_AT
    course.save()


def board_url(course) -> str:
    return reverse("courses:papers", kwargs={"slug": course.slug})


def action_url(course, reading, action: str) -> str:
    return reverse(
        f"courses:paper_{action}", kwargs={"slug": course.slug, "reading_id": reading.pk}
    )


def staff_url(course, name: str) -> str:
    return reverse(f"courses:{name}", kwargs={"slug": course.slug})


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def alerts(response) -> list[str]:
    """The messages shown at the top of the page, as the user reads them."""
    found = re.findall(r'<div class="alert [^"]*">(.*?)</div>', response.content.decode(), re.S)
    return [html.unescape(text.strip()) for text in found]


def paper_card(response, reading) -> str:
    match = re.search(
        rf'<li class="card mb-2 paper" id="paper-{reading.pk}">(.*?)</li>',
        response.content.decode(),
        re.S,
    )
    assert match, f"paper {reading.pk} is not on the board"
    return html.unescape(match.group(1))


def section(response, heading_id: str) -> str:
    match = re.search(
        rf'<section aria-labelledby="{heading_id}"[^>]*>(.*?)</section>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no section {heading_id}"
    return html.unescape(match.group(1))


def table_rows(fragment: str) -> list[list[str]]:
    """The body rows of a table, each cell as its text, line breaks as " / "."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", fragment.split("<tbody>", 1)[-1], re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c.replace("<br>", " / ")).strip() for c in cells])
    return rows


def button_targets(card: str) -> set[str]:
    return set(re.findall(r"/papers/\d+/(signup|waitlist|withdraw)/", card))


def assert_sent_to_log_in(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


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


class TestStaffPages:
    def test_it_lists_students_below_the_minimum(self, as_ta, course, student):
        full = new_paper(course)
        seat(full, student)
        waiting = new_student(course, "waiting", first_name="Wai", last_name="Ting")
        seat(full, waiting, WAITLISTED)
        new_student(course, "idle", first_name="Idle", last_name="Ida")

        below = section(as_ta.get(staff_url(course, "paper_assignments")), "below-heading")

        assert "Below the minimum (1)" in below
        assert "Wai Ting (waiting): presents 0, waiting for 1" in below
        assert "Idle Ida (idle): presents 0" in below
        assert "(alice)" not in below

    def test_it_says_so_when_everyone_has_the_minimum(self, as_ta, course, student):
        seat(new_paper(course), student)
        below = section(as_ta.get(staff_url(course, "paper_assignments")), "below-heading")
        assert "Every student presents at least 1 paper." in below

    def test_it_shows_who_is_on_which_paper(self, as_instructor, course):
        paper = new_paper(course, capacity=2, title="Scaling Laws", date=dt.date(2026, 3, 3))
        seat(paper, new_student(course, first_name="Grace", last_name="Hopper"))
        seat(paper, new_student(course, first_name="Alan", last_name="Kay"))
        seat(paper, new_student(course, first_name="Ada", last_name="Byron"), WAITLISTED)

        response = as_instructor.get(staff_url(course, "paper_assignments"))

        assert table_rows(section(response, "papers-heading")) == [
            ["Mar 3", "Scaling Laws", "2/2", "Grace Hopper, Alan Kay", "1. Ada Byron"],
        ]
        by_student = table_rows(section(response, "students-heading"))
        assert ["Grace Hopper", "Mar 3: Scaling Laws", "—"] in by_student
        assert ["Alan Kay", "Mar 3: Scaling Laws", "—"] in by_student
        assert ["Ada Byron", "—", "Scaling Laws"] in by_student


class TestCsv:
    def rows(self, response) -> list[list[str]]:
        body = response.content.decode("utf-8").removeprefix("\ufeff")
        return list(csv.reader(io.StringIO(body)))

    def test_it_has_a_header_and_one_row_per_signup(self, as_ta, course):
        paper = new_paper(course, capacity=1, title="Scaling Laws", date=dt.date(2026, 3, 3))
        grace = new_student(course, "grace", first_name="Grace", last_name="Hopper")
        ada = new_student(course, "ada", first_name="Ada", last_name="Byron")
        seat(paper, grace)
        seat(paper, ada, WAITLISTED)
        new_paper(course, title="Nobody's paper")

        response = as_ta.get(staff_url(course, "paper_assignments_csv"))

        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        session_title = paper.session.title
        assert self.rows(response) == [
            ["Date", "Session", "Paper", "Student", "Username", "Email", "Status"],
            [
                "2026-03-03",
                session_title,
                "Scaling Laws",
                "Grace Hopper",
                "grace",
                "grace@example.edu",
                "Presenting",
            ],
            [
                "2026-03-03",
                session_title,
                "Scaling Laws",
                "Ada Byron",
                "ada",
                "ada@example.edu",
                "On the waitlist",
            ],
        ]

    def test_it_starts_with_a_byte_order_mark_for_excel(self, as_ta, course):
        response = as_ta.get(staff_url(course, "paper_assignments_csv"))
        assert response.content.startswith(b"\xef\xbb\xbfDate,")

    def test_a_name_that_looks_like_a_formula_stays_text(self, as_instructor, course):
        formula = '=HYPERLINK("https://evil.example/","Click")'
        student = new_student(course, "eve", first_name=formula, last_name="Eve")
        seat(new_paper(course), student)

        response = as_instructor.get(staff_url(course, "paper_assignments_csv"))

        student_cells = [row[3] for row in self.rows(response)[1:]]
        assert student_cells == [f"'{formula} Eve"]


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
