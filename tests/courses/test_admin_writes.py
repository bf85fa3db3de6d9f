"""The admin is just another caller: a membership made, changed or deleted in the
admin (its own page, the course page's inline, the list action) goes through the
membership services, and admin access follows."""

from __future__ import annotations

import pytest

from courses.models import Membership
from courses.services.memberships import INSTRUCTORS_GROUP, membership_set
from tests.courses.admin_helpers import course_page, form_errors, inline_row
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def has_admin_access(user) -> bool:
    user.refresh_from_db()
    in_group = user.groups.filter(name=INSTRUCTORS_GROUP).exists()
    assert user.is_staff == in_group or user.is_superuser, "staff flag and group disagree"
    return user.is_staff and in_group


# --- memberships ------------------------------------------------------------------------------


ADD_MEMBERSHIP = "/admin/courses/membership/add/"


def membership_url(membership, action: str = "change") -> str:
    return f"/admin/courses/membership/{membership.pk}/{action}/"


def test_making_someone_an_instructor_in_the_membership_admin_gives_admin_access(
    admin_client, course
):
    newcomer = UserFactory(username="newcomer")
    response = admin_client.post(
        ADD_MEMBERSHIP, {"course": course.pk, "user": newcomer.pk, "role": "instructor"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(course=course, user=newcomer).role == "instructor"
    assert has_admin_access(newcomer)
    assert newcomer.has_perm("courses.change_session")


def test_demoting_an_instructor_in_the_membership_admin_takes_admin_access_away(
    admin_client, course
):
    colleague = UserFactory(username="colleague")
    membership = membership_set(course=course, user=colleague, role="instructor")
    assert has_admin_access(colleague)

    response = admin_client.post(membership_url(membership), {"role": "ta"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "ta"
    assert not has_admin_access(colleague)


def test_someone_still_teaching_another_course_keeps_admin_access_when_demoted_here(
    admin_client, course
):
    colleague = UserFactory(username="colleague")
    membership = membership_set(course=course, user=colleague, role="instructor")
    membership_set(course=CourseFactory(slug="theirs"), user=colleague, role="instructor")

    admin_client.post(membership_url(membership), {"role": "student"})

    assert has_admin_access(colleague)


def test_deleting_an_instructors_membership_in_the_admin_takes_admin_access_away(
    admin_client, course
):
    colleague = UserFactory(username="colleague")
    membership = membership_set(course=course, user=colleague, role="instructor")

    response = admin_client.post(membership_url(membership, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not has_admin_access(colleague)


def test_deleting_instructors_with_the_list_action_takes_admin_access_away(admin_client, course):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    chosen = [membership_set(course=course, user=u, role="instructor").pk for u in (first, second)]

    response = admin_client.post(
        "/admin/courses/membership/",
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk__in=chosen).exists()
    assert not has_admin_access(first)
    assert not has_admin_access(second)


def test_a_superuser_demoted_from_instructor_keeps_the_staff_flag(admin_client, course):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    membership = membership_set(course=course, user=root, role="instructor")
    admin_client.post(membership_url(membership), {"role": "student"})
    root.refresh_from_db()
    assert root.is_staff
    assert not root.groups.filter(name=INSTRUCTORS_GROUP).exists()


def test_a_membership_keeps_its_person_and_course(admin_client, course, student, second_course):
    membership = Membership.objects.get(course=course, user=student)
    someone = UserFactory(username="someone")
    admin_client.post(
        membership_url(membership),
        {"course": second_course.pk, "user": someone.pk, "role": "ta"},
    )
    membership.refresh_from_db()
    assert (membership.course, membership.user, membership.role) == (course, student, "ta")


def test_making_someone_an_instructor_on_the_course_page_gives_admin_access(admin_client, course):
    newcomer = UserFactory(username="newcomer")
    path, data = course_page(admin_client, course)
    index = int(data["memberships-TOTAL_FORMS"])
    inline_row(data, "memberships", index, user=str(newcomer.pk), role="instructor")

    response = admin_client.post(path, data)

    assert response.status_code == 302, form_errors(response)
    assert Membership.objects.get(course=course, user=newcomer).role == "instructor"
    assert has_admin_access(newcomer)


def test_demoting_or_removing_an_instructor_on_the_course_page_takes_admin_access_away(
    admin_client, course
):
    demoted, removed = UserFactory(username="demoted"), UserFactory(username="removed")
    for user in (demoted, removed):
        membership_set(course=course, user=user, role="instructor")
    path, data = course_page(admin_client, course)
    rows = {
        data[key]: key.rsplit("-", 1)[0]
        for key in data
        if key.startswith("memberships-") and key.endswith("-user")
    }
    data[f"{rows[str(demoted.pk)]}-role"] = "student"
    data[f"{rows[str(removed.pk)]}-DELETE"] = "on"

    response = admin_client.post(path, data)

    assert response.status_code == 302, form_errors(response)
    assert Membership.objects.get(course=course, user=demoted).role == "student"
    assert not Membership.objects.filter(course=course, user=removed).exists()
    assert not has_admin_access(demoted)
    assert not has_admin_access(removed)


def test_the_course_page_refuses_to_hand_a_membership_to_another_person(
    admin_client, course, student
):
    someone = UserFactory(username="someone")
    path, data = course_page(admin_client, course)
    row = next(k for k, v in data.items() if k.endswith("-user") and v == str(student.pk))
    data[row] = str(someone.pk)

    response = admin_client.post(path, data)

    assert response.status_code == 200
    assert (
        "A membership stays with its person: delete it and add one for the other person "
        "instead." in form_errors(response)
    )
    assert Membership.objects.filter(course=course, user=student).exists()
    assert not Membership.objects.filter(user=someone).exists()
