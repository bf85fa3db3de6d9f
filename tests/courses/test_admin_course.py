"""The admin is where instructors edit their course, and only their course."""

from __future__ import annotations

from decimal import Decimal

import pytest

from courses.models import Course, Membership
from courses.services.memberships import membership_set
from tests.factories import CourseFactory, GradeComponentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_instructor_sees_only_the_courses_they_teach(admin_instructor, course):
    CourseFactory(title="Someone Else's Seminar")
    page = admin_instructor.get("/admin/courses/course/").content.decode()
    assert course.title in page
    assert "Someone Else" not in page


def test_an_instructor_cannot_open_another_course_in_the_admin(admin_instructor):
    other = CourseFactory(title="Someone Else's Seminar")
    response = admin_instructor.get(f"/admin/courses/course/{other.pk}/change/", follow=True)
    assert "Someone Else" not in response.content.decode().split("<main", 1)[-1]
    assert "doesn’t exist" in response.content.decode()


def test_a_student_cannot_reach_the_admin(as_student):
    response = as_student.get("/admin/courses/course/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_course_page_warns_when_weights_do_not_add_up(admin_instructor, course):
    GradeComponentFactory(course=course, weight=Decimal("60"))
    GradeComponentFactory(course=course, weight=Decimal("30"))
    page = admin_instructor.get(f"/admin/courses/course/{course.pk}/change/").content.decode()
    assert "add up to 90%, not 100%" in page


def test_the_course_page_says_so_when_weights_add_up(admin_instructor, course):
    GradeComponentFactory(course=course, weight=Decimal("60"))
    GradeComponentFactory(course=course, weight=Decimal("40"))
    page = admin_instructor.get(f"/admin/courses/course/{course.pk}/change/").content.decode()
    assert "The weights add up to 100%." in page


def test_saving_weights_that_do_not_add_up_warns_but_saves(admin_instructor, course):
    data = {
        "code": course.code,
        "title": "Renamed seminar",
        "slug": course.slug,
        "term": course.term,
        "institution": course.institution,
        "is_published": "on",
        "overview": "",
        "prerequisites": "",
        "meeting_times": "",
        "location": "",
        "office_hours": "",
        "timezone": "America/New_York",
        "signup_opens_at_0": "",
        "signup_opens_at_1": "",
        "signup_closes_at_0": "",
        "signup_closes_at_1": "",
        "min_presentations": "1",
        "max_presentations": "2",
        "late_days": "0",
        "signup_mode": "first_come",
        "rank_min": "3",
        "rank_max": "8",
        "min_days_between_presentations": "0",
        "components-TOTAL_FORMS": "1",
        "components-INITIAL_FORMS": "0",
        "components-0-order": "1",
        "components-0-name": "Everything",
        "components-0-weight": "80",
        "components-0-description": "",
        "components-0-drop_lowest": "0",
        "components-0-weighting": "points",
        "components-0-grace_minutes": "0",
        "components-0-late_percent_per_day": "0",
        "components-0-late_floor_percent": "0",
    }
    for prefix in (
        "themes",
        "letter_cutoffs",
        "sessions",
        "resources",
        "announcements",
        "memberships",
    ):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    # The membership inline already holds the instructor.
    data["memberships-TOTAL_FORMS"] = data["memberships-INITIAL_FORMS"] = "1"
    instructor_membership = course.memberships.get()
    data["memberships-0-id"] = str(instructor_membership.pk)
    data["memberships-0-course"] = str(course.pk)
    data["memberships-0-user"] = str(instructor_membership.user_id)
    data["memberships-0-role"] = "instructor"

    response = admin_instructor.post(
        f"/admin/courses/course/{course.pk}/change/", data, follow=True
    )

    assert "add up to 80%, not 100%" in response.content.decode()
    assert Course.objects.get(pk=course.pk).title == "Renamed seminar"
    assert course.components.get().weight == Decimal("80")


def test_membership_set_makes_instructors_admin_users(course):
    user = UserFactory()
    membership_set(course=course, user=user, role=Membership.Role.INSTRUCTOR)
    user.refresh_from_db()
    assert user.is_staff
    assert user.has_perm("courses.change_session")
    assert user.has_perm("grading.change_gradecomponent")
    assert not user.has_perm("auth.change_user")
