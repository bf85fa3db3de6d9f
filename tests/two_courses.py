"""Two published courses that share their people, for the rule that everything
stays in its course.

| person | CIS6200 (course A)  | CIS7000 (course B) |
|--------|---------------------|--------------------|
| alice  | student             | student            |
| bob    | TA                  | student            |
| carol  | instructor          | student            |
| dan    |                     | instructor         |
| erin   | student             |                    |
| frank  |                     | student            |

The courses differ wherever a rule reads a course setting: A lets a student
present 2 papers and gives 1 late day, B 1 paper and 3 late days; their
sign-up windows, time zones and letter scales differ too (B's A starts at 90,
the default's at 94). Each has a "Response 1" item of the same title and
points, so an item matched by title alone would find the wrong one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Membership, Reading
from grading.models import GradeComponent, GradeItem, LetterCutoff
from tests.factories import (
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    MembershipFactory,
    ReadingFactory,
    SessionFactory,
    UserFactory,
)

__all__ = ["TwoCourses", "two_courses"]

STUDENT = Membership.Role.STUDENT
TA = Membership.Role.TA
INSTRUCTOR = Membership.Role.INSTRUCTOR

B_LETTERS = [("A", 90), ("B", 80), ("C", 70), ("F", 0)]


@dataclass
class TwoCourses:
    a: Course
    b: Course
    alice: object
    bob: object
    carol: object
    dan: object
    erin: object
    frank: object
    a_papers: list[Reading]
    b_papers: list[Reading]
    a_responses: GradeComponent
    b_responses: GradeComponent
    a_item: GradeItem  # "Response 1" of A
    b_item: GradeItem  # "Response 1" of B
    b_report: GradeItem  # "Final report" of B

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def url(self, name: str, course: Course, *args) -> str:
        return reverse(name, args=[course.slug, *args])

    def member_role(self, course: Course, user) -> str | None:
        membership = Membership.objects.filter(course=course, user=user).first()
        return membership.role if membership else None


def _person(username: str, first: str, last: str):
    return UserFactory(
        username=username, first_name=first, last_name=last, email=f"{username}@example.edu"
    )


def _papers(course: Course, prefix: str, count: int, first_day: dt.date) -> list[Reading]:
    papers = []
    for n in range(count):
        session = SessionFactory(
            course=course, date=first_day + dt.timedelta(days=7 * n), title=f"{prefix} week {n + 1}"
        )
        papers.append(
            ReadingFactory(
                session=session,
                presentable=True,
                presenter_capacity=1,
                title=f"{prefix} paper {n + 1}",
            )
        )
    return papers


@pytest.fixture
def two_courses(db) -> TwoCourses:
    now = timezone.now()
    a = CourseFactory(
        slug="dl-scale",
        code="CIS6200",
        title="Deep Learning at Scale",
        timezone="America/New_York",
        signup_opens_at=now - dt.timedelta(days=1),
        signup_closes_at=now + dt.timedelta(days=7),
        min_presentations=1,
        max_presentations=2,
        late_days=1,
    )
    b = CourseFactory(
        slug="nlp-seminar",
        code="CIS7000",
        title="Language Models Seminar",
        timezone="Europe/London",
        signup_opens_at=now - dt.timedelta(days=3),
        signup_closes_at=now + dt.timedelta(days=14),
        min_presentations=1,
        max_presentations=1,
        late_days=3,
    )
    alice = _person("alice", "Alice", "Archer")
    bob = _person("bob", "Bob", "Brown")
    carol = _person("carol", "Carol", "Chen")
    dan = _person("dan", "Dan", "Diaz")
    erin = _person("erin", "Erin", "Evans")
    frank = _person("frank", "Frank", "Fox")
    for course, user, role in [
        (a, carol, INSTRUCTOR),
        (a, bob, TA),
        (a, alice, STUDENT),
        (a, erin, STUDENT),
        (b, dan, INSTRUCTOR),
        (b, alice, STUDENT),
        (b, bob, STUDENT),
        (b, carol, STUDENT),
        (b, frank, STUDENT),
    ]:
        MembershipFactory(course=course, user=user, role=role)
    for letter, minimum in B_LETTERS:
        LetterCutoff.objects.create(course=b, letter=letter, minimum=Decimal(minimum))

    due = now - dt.timedelta(days=10)
    a_responses = GradeComponentFactory(course=a, name="Reading Responses", weight=Decimal("80"))
    GradeComponentFactory(
        course=a, name="Participation", weight=Decimal("20"), is_participation=True
    )
    b_responses = GradeComponentFactory(course=b, name="Reading Responses", weight=Decimal("70"))
    b_project = GradeComponentFactory(course=b, name="Final Project", weight=Decimal("30"))
    a_item = GradeItemFactory(
        component=a_responses,
        title="Response 1",
        points_possible=Decimal("10"),
        due_at=due,
        accepts_text=True,
        released=True,
    )
    b_item = GradeItemFactory(
        component=b_responses,
        title="Response 1",
        points_possible=Decimal("10"),
        due_at=due,
        accepts_text=True,
        released=True,
    )
    b_report = GradeItemFactory(
        component=b_project,
        title="Final report",
        points_possible=Decimal("100"),
        due_at=due,
        accepts_text=True,
        released=True,
    )
    return TwoCourses(
        a=a,
        b=b,
        alice=alice,
        bob=bob,
        carol=carol,
        dan=dan,
        erin=erin,
        frank=frank,
        a_papers=_papers(a, "A", 3, dt.date(2026, 2, 3)),
        b_papers=_papers(b, "B", 3, dt.date(2026, 2, 4)),
        a_responses=a_responses,
        b_responses=b_responses,
        a_item=a_item,
        b_item=b_item,
        b_report=b_report,
    )
