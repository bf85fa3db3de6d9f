"""The sign-up rules, through the services every page and the admin use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from courses.models import PresentationSignup
from courses.services.signups import (
    SignupError,
    signup_assign,
    signup_create,
    signup_move,
    signup_withdraw,
    waitlist_join,
)
from tests.courses.signups_helpers import CONFIRMED, WAITLISTED
from tests.factories import ReadingFactory, SessionFactory, new_paper, new_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(course):
    return ReadingFactory(session=SessionFactory(course=course), presentable=True)


def test_a_student_takes_a_free_seat(course, paper, student):
    signup = signup_create(reading=paper, student=student)
    assert signup.status == CONFIRMED
    assert list(paper.signups.values_list("student__username", flat=True)) == ["alice"]


def test_student_cannot_take_the_last_seat_twice(course, paper, student):
    signup_create(reading=paper, student=student)
    with pytest.raises(SignupError, match="You are already presenting"):
        signup_create(reading=paper, student=student)
    assert paper.signups.count() == 1


def test_a_full_paper_offers_the_waitlist(course, paper, student):
    signup_create(reading=paper, student=new_student(course))
    with pytest.raises(SignupError, match="no free seat left; you can join its waitlist") as err:
        signup_create(reading=paper, student=student)
    assert err.value.can_waitlist
    assert paper.signups.count() == 1


def test_a_paper_with_two_seats_takes_two_presenters(course, student):
    paper = new_paper(course, capacity=2)
    signup_create(reading=paper, student=student)
    signup_create(reading=paper, student=new_student(course))
    with pytest.raises(SignupError, match="no free seat"):
        signup_create(reading=paper, student=new_student(course))
    assert paper.signups.confirmed().count() == 2


def test_a_student_cannot_go_over_the_maximum(course, student):
    course.max_presentations = 2
    course.save()
    signup_create(reading=new_paper(course), student=student)
    signup_create(reading=new_paper(course), student=student)
    third = new_paper(course)
    with pytest.raises(SignupError, match=r"already present 2 papers, the most this course allows"):
        signup_create(reading=third, student=student)
    assert not third.signups.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (None, None, "have not opened yet"),
        (dt.timedelta(days=1), dt.timedelta(days=2), "Sign-ups open on"),
        (dt.timedelta(days=-2), dt.timedelta(days=-1), "Sign-ups closed on"),
    ],
)
def test_sign_ups_outside_the_window_are_refused(course, paper, student, opens, closes, message):
    now = timezone.now()
    course.signup_opens_at = now + opens if opens is not None else None
    course.signup_closes_at = now + closes if closes is not None else None
    course.save()
    with pytest.raises(SignupError, match=message):
        signup_create(reading=paper, student=student)
    assert not paper.signups.exists()


def test_the_closing_date_is_said_in_the_course_time_zone(course, paper, student):
    course.signup_opens_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    course.signup_closes_at = dt.datetime(2026, 1, 20, 5, 0, tzinfo=dt.UTC)  # midnight in NY
    course.save()
    with pytest.raises(SignupError, match="Sign-ups closed on Tuesday, January 20, 12:00 AM"):
        signup_create(reading=paper, student=student)


def test_only_students_of_the_course_can_sign_up(course, paper, ta, outsider):
    for user in (ta, outsider):
        with pytest.raises(SignupError, match="Only students of this course"):
            signup_create(reading=paper, student=user)
    assert not paper.signups.exists()


def test_a_paper_not_open_for_presentations_is_refused(course, student):
    reading = ReadingFactory(session=SessionFactory(course=course), presentable=False)
    with pytest.raises(SignupError, match="not open for presentations"):
        signup_create(reading=reading, student=student)


class TestWaitlist:
    def test_students_wait_in_the_order_they_joined(self, course, paper):
        signup_create(reading=paper, student=new_student(course))
        first, second = new_student(course), new_student(course)
        waitlist_join(reading=paper, student=first)
        waitlist_join(reading=paper, student=second)
        assert [s.student for s in paper.signups.waitlisted()] == [first, second]

    def test_a_free_seat_is_taken_not_waited_for(self, course, paper, student):
        with pytest.raises(SignupError, match="has a free seat: sign up for it instead"):
            waitlist_join(reading=paper, student=student)

    def test_a_presenter_cannot_also_wait_on_their_paper(self, course, paper, student):
        signup_create(reading=paper, student=student)
        with pytest.raises(SignupError, match="already presenting"):
            waitlist_join(reading=paper, student=student)

    def test_joining_twice_is_refused(self, course, paper, student):
        signup_create(reading=paper, student=new_student(course))
        waitlist_join(reading=paper, student=student)
        with pytest.raises(SignupError, match="already on the waitlist"):
            waitlist_join(reading=paper, student=student)

    def test_a_student_at_the_maximum_cannot_wait(self, course, paper, student):
        course.max_presentations = 1
        course.save()
        signup_create(reading=new_paper(course), student=student)
        signup_create(reading=paper, student=new_student(course))
        with pytest.raises(SignupError, match="the most this course allows"):
            waitlist_join(reading=paper, student=student)

    def test_a_withdrawal_promotes_the_first_waiting_student(self, course, paper, student):
        presenter, first, second = new_student(course), new_student(course), new_student(course)
        signup_create(reading=paper, student=presenter)
        waitlist_join(reading=paper, student=first)
        waitlist_join(reading=paper, student=second)

        result = signup_withdraw(reading=paper, student=presenter)

        assert result.promoted.student == first
        assert paper.signups.get(student=first).status == CONFIRMED
        assert paper.signups.get(student=second).status == WAITLISTED
        assert not paper.signups.filter(student=presenter).exists()

    def test_the_promoted_student_gets_an_email(
        self, course, paper, student, django_capture_on_commit_callbacks
    ):
        presenter = new_student(course)
        signup_create(reading=paper, student=presenter)
        waitlist_join(reading=paper, student=student)
        with django_capture_on_commit_callbacks(execute=True):
            signup_withdraw(reading=paper, student=presenter)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [student.email]
        assert f"You are presenting “{paper.title}”" in mail.outbox[0].subject

    def test_promotion_skips_a_waiting_student_who_reached_the_maximum(self, course, paper):
        course.max_presentations = 1
        course.save()
        presenter, busy, free = new_student(course), new_student(course), new_student(course)
        signup_create(reading=paper, student=presenter)
        waitlist_join(reading=paper, student=busy)
        waitlist_join(reading=paper, student=free)
        signup_create(reading=new_paper(course), student=busy)  # now at the maximum

        result = signup_withdraw(reading=paper, student=presenter)

        assert result.promoted.student == free
        assert paper.signups.get(student=busy).status == WAITLISTED

    def test_leaving_the_waitlist_promotes_nobody(self, course, paper, student):
        signup_create(reading=paper, student=new_student(course))
        waitlist_join(reading=paper, student=student)
        assert signup_withdraw(reading=paper, student=student).promoted is None
        assert paper.signups.count() == 1


def test_withdrawing_after_sign_ups_close_is_refused(course, paper, student):
    signup_create(reading=paper, student=student)
    course.signup_closes_at = timezone.now() - dt.timedelta(minutes=1)
    course.save()
    with pytest.raises(SignupError, match=r"Sign-ups closed on .* Ask your instructor"):
        signup_withdraw(reading=paper, student=student)
    assert paper.signups.filter(student=student).exists()


def test_withdrawing_from_a_paper_one_is_not_on_is_refused(course, paper, student):
    with pytest.raises(SignupError, match="You are not signed up"):
        signup_withdraw(reading=paper, student=student)


class TestStaff:
    def test_staff_assign_after_sign_ups_closed(self, course, paper, student):
        course.signup_closes_at = timezone.now() - dt.timedelta(days=1)
        course.save()
        assert signup_assign(reading=paper, student=student).status == CONFIRMED

    def test_staff_cannot_oversell_a_seat(self, course, paper, student):
        signup_create(reading=paper, student=new_student(course))
        with pytest.raises(SignupError, match="has no free seat left"):
            signup_assign(reading=paper, student=student)

    def test_staff_cannot_go_over_the_maximum(self, course, student):
        course.max_presentations = 1
        course.save()
        signup_assign(reading=new_paper(course), student=student)
        limit = r"already presents 1 paper, the most this course allows \(1\)"
        with pytest.raises(SignupError, match=limit):
            signup_assign(reading=new_paper(course), student=student)

    def test_moving_frees_the_old_seat_for_its_waitlist(self, course, paper, student):
        target = new_paper(course)
        waiting = new_student(course)
        signup = signup_create(reading=paper, student=student)
        waitlist_join(reading=paper, student=waiting)

        moved, result = signup_move(signup=signup, to_reading=target)

        assert moved.reading == target
        assert moved.status == CONFIRMED
        assert result.promoted.student == waiting
        assert list(paper.signups.confirmed().values_list("student", flat=True)) == [waiting.pk]

    def test_a_student_at_the_maximum_can_still_be_moved(self, course, paper, student):
        course.max_presentations = 1
        course.save()
        signup = signup_create(reading=paper, student=student)
        moved, _ = signup_move(signup=signup, to_reading=new_paper(course))
        assert PresentationSignup.objects.filter(student=student).get() == moved

    def test_moving_onto_a_full_paper_changes_nothing(self, course, paper, student):
        full = new_paper(course)
        signup_create(reading=full, student=new_student(course))
        signup = signup_create(reading=paper, student=student)
        with pytest.raises(SignupError, match="has no free seat left"):
            signup_move(signup=signup, to_reading=full)
        assert PresentationSignup.objects.get(pk=signup.pk).reading == paper


def test_a_student_passed_over_at_the_maximum_gets_the_seat_once_under_it(course):
    course.max_presentations = 1
    course.save()
    paper, other = new_paper(course), new_paper(course)
    presenter, waiting = new_student(course), new_student(course)
    signup_create(reading=paper, student=presenter)
    signup_create(reading=other, student=waiting)
    course.max_presentations = 2
    course.save()
    waitlist_join(reading=paper, student=waiting)
    course.max_presentations = 1
    course.save()
    # The seat frees while `waiting` is at the maximum: they are passed over.
    assert signup_withdraw(reading=paper, student=presenter).promoted is None

    signup_withdraw(reading=other, student=waiting)

    assert paper.signups.get(student=waiting).status == CONFIRMED
