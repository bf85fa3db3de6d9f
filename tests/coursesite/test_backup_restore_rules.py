"""A restored course holds the same rules as one written through the site: its
instructors get admin access by the membership rule, and an archive whose rows
break a poll or score rule is refused whole."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management.base import CommandError

from courses.models import Membership, Poll, PollChoice
from courses.services import polls
from courses.services.memberships import INSTRUCTORS_GROUP
from grading.models import Score
from grading.services import score_set
from tests.coursesite.test_backup import export, import_, table_counts, wipe
from tests.factories import (
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    MembershipFactory,
    UserFactory,
    new_student,
)

# flush cannot run inside the transaction an ordinary test is wrapped in.
pytestmark = pytest.mark.django_db(transaction=True)


def small_course():
    course = CourseFactory(slug="cis5000", code="CIS5000")
    instructor = UserFactory(username="prof")
    MembershipFactory(course=course, user=instructor, role=Membership.Role.INSTRUCTOR)
    ta = MembershipFactory(course=course, role=Membership.Role.TA).user
    alice = new_student(course, "alice")
    item = GradeItemFactory(component=GradeComponentFactory(course=course), points_possible=10)
    score_set(item=item, student=alice, points=Decimal("8"), by=ta)
    polls.poll_create(course=course, question="Ready?", kind="single", choices=["Yes", "No"])
    return course


def test_restored_instructors_get_admin_access_and_no_one_else(settings, tmp_path):
    small_course()
    archive = tmp_path / "cis5000.zip"
    export("cis5000", archive)
    wipe(settings, tmp_path)

    import_(archive)

    for membership in Membership.objects.select_related("user"):
        user = membership.user
        in_group = user.groups.filter(name=INSTRUCTORS_GROUP).exists()
        expected = membership.role == Membership.Role.INSTRUCTOR
        assert (user.is_staff, in_group) == (expected, expected), membership


@pytest.mark.parametrize("broken", ["poll-with-one-choice", "score-over-the-cap"])
def test_an_archive_with_rows_that_break_a_rule_is_refused_whole(settings, tmp_path, broken):
    """Rows written before a rule held (or by hand) do not come back through a
    restore; the message says which rows and why."""
    small_course()
    if broken == "poll-with-one-choice":
        PollChoice.objects.filter(text="No").delete()
        message = "A choice poll needs 2 to 12 choices"
    else:
        Score.objects.update(points=Decimal("25"))
        message = "At most 20 points"
    archive = tmp_path / "cis5000.zip"
    export("cis5000", archive)
    wipe(settings, tmp_path)
    empty = table_counts()

    with pytest.raises(CommandError, match=message):
        import_(archive)

    assert table_counts() == empty
    assert not Poll.objects.exists()
