"""Presentation sign-ups and waitlists stay in their course: a student's
papers, maximum, window and waitlist places in one course never decide
anything in the other (tests/two_courses.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import PresentationSignup
from courses.services.signups import (
    SignupError,
    signup_create,
    signup_move,
    signup_withdraw,
    waitlist_join,
)
from tests.courses.signups_helpers import CONFIRMED, WAITLISTED
from tests.factories import PresentationSignupFactory

pytestmark = pytest.mark.django_db


def status_of(reading, student) -> str | None:
    signup = reading.signups.filter(student=student).first()
    return signup.status if signup else None


def presenting(course, student) -> int:
    return PresentationSignup.objects.of_course(course).confirmed().filter(student=student).count()


@pytest.fixture
def alice_passed_over_in_b(two_courses):
    """Alice waits for B's second paper while at B's maximum of 1: its seat came
    free, and she was passed over for it, as B's rule says."""
    t = two_courses
    first, second = t.b_papers[0], t.b_papers[1]
    signup_create(reading=second, student=t.frank)
    waitlist_join(reading=second, student=t.alice)
    signup_create(reading=first, student=t.alice)
    signup_withdraw(reading=second, student=t.frank)
    assert status_of(second, t.alice) == WAITLISTED
    assert second.signups.confirmed().count() == 0
    return second


def test_withdrawing_in_a_leaves_alices_b_waitlist_place_and_b_under_its_maximum(
    two_courses, alice_passed_over_in_b
):
    t = two_courses
    signup_create(reading=t.a_papers[0], student=t.alice)

    signup_withdraw(reading=t.a_papers[0], student=t.alice)

    assert status_of(alice_passed_over_in_b, t.alice) == WAITLISTED
    assert presenting(t.b, t.alice) == t.b.max_presentations == 1
    assert presenting(t.a, t.alice) == 0


def test_withdrawing_on_as_page_leaves_bs_board_as_it_was(two_courses, alice_passed_over_in_b):
    t = two_courses
    signup_create(reading=t.a_papers[0], student=t.alice)
    client = t.client(t.alice)

    response = client.post(t.url("courses:paper_withdraw", t.a, t.a_papers[0].pk), follow=True)

    assert "You withdrew from “A paper 1”." in response.content.decode()
    board = client.get(t.url("courses:papers", t.b)).content.decode()
    assert "Waitlist #1</span>: B paper 2" in board
    assert "You present 1 of at most 1." in board


def test_a_withdrawal_still_promotes_the_student_on_her_own_courses_waitlist(
    two_courses, alice_passed_over_in_b
):
    t = two_courses
    held, waited = t.a_papers[2], t.a_papers[1]
    signup_create(reading=waited, student=t.erin)
    waitlist_join(reading=waited, student=t.alice)
    signup_create(reading=t.a_papers[0], student=t.alice)
    signup_create(reading=held, student=t.alice)
    signup_withdraw(reading=waited, student=t.erin)
    assert status_of(waited, t.alice) == WAITLISTED  # at A's maximum of 2

    signup_withdraw(reading=held, student=t.alice)

    assert status_of(waited, t.alice) == CONFIRMED
    assert status_of(alice_passed_over_in_b, t.alice) == WAITLISTED
    assert presenting(t.a, t.alice) == 2
    assert presenting(t.b, t.alice) == 1


def test_presentations_in_b_do_not_count_against_as_maximum(two_courses):
    t = two_courses
    signup_create(reading=t.b_papers[0], student=t.alice)  # B's maximum reached

    signup_create(reading=t.a_papers[0], student=t.alice)
    signup_create(reading=t.a_papers[1], student=t.alice)

    assert presenting(t.a, t.alice) == 2
    board = t.client(t.alice).get(t.url("courses:papers", t.a)).content.decode()
    assert "You present 2 of at most 2." in board


def test_b_holds_its_own_smaller_maximum_whatever_a_allows(two_courses):
    t = two_courses
    signup_create(reading=t.b_papers[0], student=t.alice)

    with pytest.raises(SignupError, match=r"already present 1 paper, the most this course allows"):
        signup_create(reading=t.b_papers[1], student=t.alice)
    with pytest.raises(SignupError, match="the most this course allows"):
        waitlist_join(reading=t.b_papers[1], student=t.alice)
    assert presenting(t.b, t.alice) == 1


def test_a_ta_of_a_presents_in_b_where_he_is_a_student_but_not_in_a(two_courses):
    t = two_courses
    with pytest.raises(SignupError, match=r"Only students of this course can present papers\."):
        signup_create(reading=t.a_papers[0], student=t.bob)

    signup_create(reading=t.b_papers[0], student=t.bob)

    assert not t.a_papers[0].signups.exists()
    assert status_of(t.b_papers[0], t.bob) == CONFIRMED


def test_a_ta_of_a_gets_403_for_as_sign_up_page_and_takes_a_seat_through_bs(two_courses):
    t = two_courses
    client = t.client(t.bob)

    assert client.post(t.url("courses:paper_signup", t.a, t.a_papers[0].pk)).status_code == 403
    response = client.post(t.url("courses:paper_signup", t.b, t.b_papers[0].pk))

    assert response.status_code == 302
    assert not t.a_papers[0].signups.exists()
    assert status_of(t.b_papers[0], t.bob) == CONFIRMED


def test_as_instructor_is_only_a_student_in_b(two_courses):
    t = two_courses
    with pytest.raises(SignupError, match="Only students"):
        signup_create(reading=t.a_papers[0], student=t.carol)
    assert signup_create(reading=t.b_papers[0], student=t.carol).status == CONFIRMED


@pytest.mark.parametrize("action", ["paper_signup", "paper_waitlist", "paper_withdraw"])
def test_a_paper_of_b_through_as_address_is_404_and_changes_nothing(two_courses, action):
    t = two_courses
    signup_create(reading=t.b_papers[0], student=t.frank)
    client = t.client(t.alice)

    response = client.post(t.url(f"courses:{action}", t.a, t.b_papers[0].pk))

    assert response.status_code == 404
    assert list(t.b_papers[0].signups.values_list("student__username", "status")) == [
        ("frank", CONFIRMED)
    ]


def test_as_closed_window_leaves_bs_open(two_courses):
    t = two_courses
    t.a.signup_opens_at = timezone.now() - dt.timedelta(days=5)
    t.a.signup_closes_at = timezone.now() - dt.timedelta(hours=1)
    t.a.save()

    with pytest.raises(SignupError, match="Sign-ups closed on"):
        signup_create(reading=t.a_papers[0], student=t.alice)
    assert signup_create(reading=t.b_papers[0], student=t.alice).status == CONFIRMED


def test_a_waitlist_place_kept_from_before_a_student_became_ta_is_passed_over(two_courses):
    t = two_courses
    paper = t.a_papers[0]
    signup_create(reading=paper, student=t.erin)
    # Bob waited for this paper when he was still one of A's students.
    PresentationSignupFactory(
        reading=paper,
        student=t.bob,
        status=WAITLISTED,
        created_at=timezone.now() - dt.timedelta(days=2),
    )
    waitlist_join(reading=paper, student=t.alice)

    result = signup_withdraw(reading=paper, student=t.erin)

    assert result.promoted is not None
    assert result.promoted.student == t.alice
    assert status_of(paper, t.alice) == CONFIRMED
    assert status_of(paper, t.bob) == WAITLISTED


def test_staff_cannot_move_a_presenter_of_b_to_a_paper_of_a(two_courses):
    t = two_courses
    signup = signup_create(reading=t.b_papers[0], student=t.alice)

    with pytest.raises(SignupError, match="only move to a paper of the same course"):
        signup_move(signup=signup, to_reading=t.a_papers[0])

    assert status_of(t.b_papers[0], t.alice) == CONFIRMED
    assert not t.a_papers[0].signups.exists()


def test_as_assignments_page_lists_as_students_and_only_as_papers(two_courses):
    t = two_courses
    signup_create(reading=t.b_papers[0], student=t.alice)
    signup_create(reading=t.a_papers[1], student=t.erin)

    page = t.client(t.carol).get(t.url("courses:paper_assignments", t.a)).content.decode()

    assert "A paper 2" in page
    assert "B paper" not in page
    assert "Frank" not in page
    assert t.client(t.carol).get(t.url("courses:paper_assignments", t.b)).status_code == 403
