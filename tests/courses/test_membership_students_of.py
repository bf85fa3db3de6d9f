"""One definition of "a student of this course", used by every rule: the
sign-ups, polls, rankings, scores and hand-ins all ask
`Membership.objects.students_of(course)`."""

from __future__ import annotations

import pytest

from courses.models import Membership
from tests.two_courses import TwoCourses

pytestmark = pytest.mark.django_db


def usernames(memberships) -> set[str]:
    return {m.user.username for m in memberships.select_related("user")}


def test_the_students_of_a_course_are_its_students_and_no_one_else(two_courses: TwoCourses):
    t = two_courses
    # Bob is A's TA and Carol A's instructor; both take B.
    assert usernames(Membership.objects.students_of(t.a)) == {"alice", "erin"}
    assert usernames(Membership.objects.students_of(t.b)) == {"alice", "bob", "carol", "frank"}


def test_a_course_or_its_id_names_the_same_students(two_courses: TwoCourses):
    t = two_courses
    assert usernames(Membership.objects.students_of(t.a.pk)) == {"alice", "erin"}
    assert Membership.objects.is_student(t.b.pk, t.carol)
    assert not Membership.objects.is_student(t.a, t.carol)
    assert not Membership.objects.is_student(t.a, t.frank)
