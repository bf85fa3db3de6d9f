"""Rosters and join codes stay in their course (tests/two_courses.py): an
account is found wherever it was made, but a roster compares with and changes
the memberships of its own course only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from courses.models import Membership
from courses.services import CourseError, rosters

pytestmark = pytest.mark.django_db

STUDENT = Membership.Role.STUDENT
TA = Membership.Role.TA
INSTRUCTOR = Membership.Role.INSTRUCTOR
BASE_URL = "https://courses.example.edu/"


def roles(course) -> dict[str, str]:
    return dict(Membership.objects.filter(course=course).values_list("user__username", "role"))


def roster(*rows: str) -> str:
    return "\n".join(["Name,Email,Role", *rows]) + "\n"


def test_a_roster_of_a_reads_each_persons_role_in_a(two_courses):
    t = two_courses
    text = roster(
        "Frank Fox,frank@example.edu,student",
        "Bob Brown,bob@example.edu,student",
        "Alice Archer,alice@example.edu,student",
        "Dan Diaz,dan@example.edu,ta",
    )

    plan = rosters.roster_plan(course=t.a, text=text)

    assert plan.ok, plan.problems
    assert [(row.email, row.action, row.was) for row in plan.rows] == [
        ("frank@example.edu", "enrol", ""),  # a student of B, new to A
        ("bob@example.edu", "update", "Teaching assistant"),  # A's role, not B's
        ("alice@example.edu", "unchanged", ""),
        ("dan@example.edu", "enrol", ""),  # B's instructor, new to A
    ]
    assert all(row.user is not None for row in plan.rows)


def test_importing_into_a_changes_a_and_leaves_every_membership_of_b(two_courses):
    t = two_courses
    b_before = roles(t.b)
    text = roster(
        "Frank Fox,frank@example.edu,ta",
        "Alice Archer,alice@example.edu,ta",
        "Carol Chen,carol@example.edu,instructor",
    )

    plan = rosters.roster_import(course=t.a, text=text, base_url=BASE_URL)

    assert [(row.email, row.action) for row in plan.rows] == [
        ("frank@example.edu", "enrol"),
        ("alice@example.edu", "update"),
        ("carol@example.edu", "unchanged"),
    ]
    assert roles(t.a) == {
        "alice": TA,
        "bob": TA,
        "carol": INSTRUCTOR,
        "erin": STUDENT,
        "frank": TA,
    }
    assert roles(t.b) == b_before


def test_a_roster_of_b_makes_no_accounts_for_people_a_already_has(two_courses, mailoutbox):
    t = two_courses
    users = get_user_model().objects.count()

    rosters.roster_import(
        course=t.b, text=roster("Erin Evans,ERIN@example.edu,student"), base_url=BASE_URL
    )

    assert get_user_model().objects.count() == users
    assert roles(t.b)["erin"] == STUDENT
    assert roles(t.a)["erin"] == STUDENT
    assert mailoutbox == []


def test_bs_roster_pages_are_403_to_as_instructor_and_change_nothing(two_courses):
    t = two_courses
    client = t.client(t.carol)  # instructs A, a student of B
    b_before = roles(t.b)

    assert client.get(t.url("courses:roster", t.b)).status_code == 403
    response = client.post(
        t.url("courses:roster_import", t.b),
        {"content": roster("Erin Evans,erin@example.edu,instructor"), "fingerprint": "x"},
    )
    assert response.status_code == 403
    assert client.post(t.url("courses:join_code", t.b)).status_code == 403
    assert roles(t.b) == b_before
    t.b.refresh_from_db()
    assert t.b.join_code == ""


def test_as_roster_page_lists_as_members_only(two_courses):
    t = two_courses
    response = t.client(t.carol).get(t.url("courses:roster", t.a))

    assert {m.user.username for m in response.context["members"]} == {
        "alice",
        "bob",
        "carol",
        "erin",
    }
    assert "Frank" not in response.content.decode()


def test_a_join_code_adds_to_its_own_course_only(two_courses):
    t = two_courses
    code = rosters.join_code_rotate(course=t.b)

    course, joined = rosters.course_join(code=code, user=t.erin)

    assert (course, joined) == (t.b, True)
    assert roles(t.b)["erin"] == STUDENT
    assert rosters.course_join(code=code, user=t.bob) == (t.b, False)
    assert roles(t.a)["bob"] == TA
    with pytest.raises(CourseError, match="No course has this join code"):
        rosters.course_join(code="ABCD-EFGH", user=t.frank)
    assert "frank" not in roles(t.a)
