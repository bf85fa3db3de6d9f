"""Instructors assign, move and withdraw presenters in the admin, under the sign-up rules."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import Membership, PresentationSignup
from courses.services.memberships import membership_set
from tests.courses.admin_helpers import form_errors
from tests.courses.signups_helpers import CONFIRMED, WAITLISTED
from tests.factories import (
    CourseFactory,
    MembershipFactory,
    new_paper,
    new_student,
    seat,
)

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/courses/presentationsignup/add/"
CHANGELIST_URL = "/admin/courses/presentationsignup/"


def change_url(signup) -> str:
    return f"/admin/courses/presentationsignup/{signup.pk}/change/"


def delete_url(signup) -> str:
    return f"/admin/courses/presentationsignup/{signup.pk}/delete/"


def alerts(response) -> list[str]:
    found = re.findall(
        r'<li class="(?:success|info|warning|error)">(.*?)</li>', response.content.decode(), re.S
    )
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]


class TestAssigning:
    def test_it_assigns_a_student_even_after_sign_ups_closed(
        self, admin_instructor, course, student
    ):
        course.signup_closes_at = timezone.now() - dt.timedelta(days=1)
        course.signup_opens_at = course.signup_closes_at - dt.timedelta(days=7)
        course.save()
        paper = new_paper(course)

        response = admin_instructor.post(
            ADD_URL, {"reading": paper.pk, "student": student.pk}, follow=True
        )

        assert response.redirect_chain[-1][0] == CHANGELIST_URL
        signup = PresentationSignup.objects.get()
        assert (signup.reading, signup.student, signup.status) == (paper, student, CONFIRMED)

    def test_the_success_message_names_the_new_presenter(self, admin_instructor, course, student):
        paper = new_paper(course, title="Scaling Laws")

        response = admin_instructor.post(
            ADD_URL, {"reading": paper.pk, "student": student.pk}, follow=True
        )

        assert alerts(response) == [
            "The presentation signup “alice · Scaling Laws (Presenting)” was added successfully."
        ]

    def test_a_full_paper_is_refused_and_nothing_is_created(
        self, admin_instructor, course, student
    ):
        paper = new_paper(course, title="Scaling Laws")
        seat(paper, new_student(course))

        response = admin_instructor.post(ADD_URL, {"reading": paper.pk, "student": student.pk})

        assert response.status_code == 200
        assert form_errors(response) == ["“Scaling Laws” has no free seat left."]
        assert paper.signups.count() == 1
        assert not PresentationSignup.objects.filter(student=student).exists()

    def test_a_student_at_the_maximum_is_refused_and_nothing_is_created(
        self, admin_instructor, course, student
    ):
        seat(new_paper(course), student)
        seat(new_paper(course), student)
        third = new_paper(course)

        response = admin_instructor.post(ADD_URL, {"reading": third.pk, "student": student.pk})

        assert form_errors(response) == [
            f"{student.get_full_name()} already presents 2 papers, the most this course "
            "allows (2). Withdraw from one to take another."
        ]
        assert not third.signups.exists()
        assert PresentationSignup.objects.filter(student=student).count() == 2

    @pytest.mark.parametrize("who", ["ta", "outsider"])
    def test_someone_who_is_not_a_student_of_the_course_is_refused(
        self, request, admin_instructor, course, who
    ):
        user = request.getfixturevalue(who)
        paper = new_paper(course)

        response = admin_instructor.post(ADD_URL, {"reading": paper.pk, "student": user.pk})

        assert form_errors(response) == [f"{user.username} is not a student of CIS6200."]
        assert not PresentationSignup.objects.exists()

    def test_a_paper_of_a_course_they_do_not_teach_cannot_be_chosen(
        self, admin_instructor, course, student
    ):
        other_course = CourseFactory()
        elsewhere = new_paper(other_course)
        MembershipFactory(course=other_course, user=student, role=Membership.Role.STUDENT)

        response = admin_instructor.post(ADD_URL, {"reading": elsewhere.pk, "student": student.pk})

        assert response.status_code == 200
        assert any("Select a valid choice" in error for error in form_errors(response))
        assert not PresentationSignup.objects.exists()


class TestMoving:
    def test_changing_the_paper_moves_the_seat_and_promotes_the_old_waitlist(
        self, admin_instructor, course, student
    ):
        old, new = new_paper(course, title="Old paper"), new_paper(course, title="New paper")
        signup = seat(old, student)
        waiting = new_student(course, "waiting")
        waiting_signup = seat(old, waiting, WAITLISTED)

        response = admin_instructor.post(change_url(signup), {"reading": new.pk}, follow=True)

        assert response.redirect_chain[-1][0] == CHANGELIST_URL
        moved = PresentationSignup.objects.get(pk=signup.pk)
        assert (moved.reading, moved.student, moved.status) == (new, student, CONFIRMED)
        assert PresentationSignup.objects.get(pk=waiting_signup.pk).status == CONFIRMED
        assert "Waiting moved up from the waitlist to present “Old paper”." in alerts(response)

    def test_moving_onto_a_full_paper_shows_why_and_changes_nothing(
        self, admin_instructor, course, student
    ):
        old, full = new_paper(course), new_paper(course, title="Full paper")
        seat(full, new_student(course))
        signup = seat(old, student)

        response = admin_instructor.post(change_url(signup), {"reading": full.pk})

        assert form_errors(response) == ["“Full paper” has no free seat left."]
        assert PresentationSignup.objects.get(pk=signup.pk).reading == old

    def test_a_student_at_the_maximum_can_still_be_moved(self, admin_instructor, course, student):
        first = seat(new_paper(course), student)
        seat(new_paper(course), student)
        free = new_paper(course)

        admin_instructor.post(change_url(first), {"reading": free.pk})

        assert PresentationSignup.objects.get(pk=first.pk).reading == free
        assert PresentationSignup.objects.filter(student=student).count() == 2

    def test_moving_a_waiting_student_reports_them_presenting(
        self, admin_instructor, course, student
    ):
        full, free = new_paper(course), new_paper(course, title="Free paper")
        seat(full, new_student(course))
        waiting = seat(full, student, WAITLISTED)

        response = admin_instructor.post(change_url(waiting), {"reading": free.pk}, follow=True)

        assert PresentationSignup.objects.get(pk=waiting.pk).status == CONFIRMED
        assert alerts(response) == [
            "The presentation signup “alice · Free paper (Presenting)” was changed successfully."
        ]

    def test_moving_to_a_paper_of_another_course_is_refused_without_claiming_success(
        self, admin_instructor, course, student
    ):
        other_course = CourseFactory(code="CIS7000")
        prof = get_user_model().objects.get(username="prof")
        membership_set(course=other_course, user=prof, role=Membership.Role.INSTRUCTOR)
        membership_set(course=other_course, user=student, role=Membership.Role.STUDENT)
        mine = new_paper(course)
        signup = seat(mine, student)
        elsewhere = new_paper(other_course)

        response = admin_instructor.post(change_url(signup), {"reading": elsewhere.pk}, follow=True)

        assert PresentationSignup.objects.get(pk=signup.pk).reading == mine
        shown = alerts(response) + form_errors(response)
        assert any("same course" in line for line in shown)
        assert not any("changed successfully" in line for line in shown)


class TestWithdrawing:
    def test_deleting_a_signup_promotes_the_first_waiting_student(
        self, admin_instructor, course, student
    ):
        paper = new_paper(course)
        signup = seat(paper, student)
        first, second = new_student(course, "first"), new_student(course, "second")
        seat(paper, first, WAITLISTED)
        seat(paper, second, WAITLISTED)

        response = admin_instructor.post(delete_url(signup), {"post": "yes"}, follow=True)

        assert response.redirect_chain[-1][0] == CHANGELIST_URL
        assert not paper.signups.filter(student=student).exists()
        assert paper.signups.get(student=first).status == CONFIRMED
        assert paper.signups.get(student=second).status == WAITLISTED

    def test_deleting_after_sign_ups_closed_still_works(self, admin_instructor, course, student):
        course.signup_closes_at = timezone.now() - dt.timedelta(days=1)
        course.signup_opens_at = course.signup_closes_at - dt.timedelta(days=7)
        course.save()
        signup = seat(new_paper(course), student)

        admin_instructor.post(delete_url(signup), {"post": "yes"})

        assert not PresentationSignup.objects.exists()

    def test_deleting_several_at_once_promotes_each_papers_waitlist(self, admin_instructor, course):
        papers = [new_paper(course), new_paper(course)]
        presenters = [seat(paper, new_student(course)) for paper in papers]
        waiting = [seat(paper, new_student(course), WAITLISTED) for paper in papers]

        admin_instructor.post(
            CHANGELIST_URL,
            {
                "action": "delete_selected",
                "_selected_action": [s.pk for s in presenters],
                "post": "yes",
            },
        )

        assert not PresentationSignup.objects.filter(pk__in=[s.pk for s in presenters]).exists()
        statuses = PresentationSignup.objects.filter(pk__in=[s.pk for s in waiting])
        assert list(statuses.values_list("status", flat=True)) == [CONFIRMED, CONFIRMED]


def test_an_instructor_sees_only_signups_of_courses_they_teach(admin_instructor, course):
    seat(new_paper(course), new_student(course, "ours", first_name="Our", last_name="Student"))
    other_course = CourseFactory()
    elsewhere = new_paper(other_course, title="Somebody else's paper")
    theirs = seat(
        elsewhere, new_student(other_course, "theirs", first_name="Their", last_name="Student")
    )

    response = admin_instructor.get(CHANGELIST_URL)

    text = html.unescape(response.content.decode())
    assert "ours" in text
    assert "theirs" not in text
    assert "Somebody else's paper" not in text
    assert admin_instructor.get(change_url(theirs)).status_code == 302


def test_the_course_filter_names_only_courses_they_teach(admin_instructor, course):
    seat(new_paper(course), new_student(course))
    hidden = CourseFactory(code="CIS9999", title="Unannounced Seminar", is_published=False)
    seat(new_paper(hidden), new_student(hidden))

    text = html.unescape(admin_instructor.get(CHANGELIST_URL).content.decode())

    assert "CIS6200" in text
    assert "CIS9999" not in text
    assert "Unannounced Seminar" not in text
