"""Reads shared by the course pages, with their related rows loaded up front."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from courses.models import (
    Announcement,
    Course,
    Membership,
    PresentationSignup,
    Reading,
    Resource,
    Session,
    Theme,
)
from grading.models import GradeComponent

ANNOUNCEMENTS_ON_HOME = 3


def course_instructors(*, course: Course) -> list[Membership]:
    return list(
        course.memberships.filter(role=Membership.Role.INSTRUCTOR)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    )


def course_home_context(*, course: Course) -> dict:
    """Everything the course home shows, in a fixed number of queries."""
    return {
        "instructors": course_instructors(course=course),
        "components": list(GradeComponent.objects.filter(course=course)),
        "themes": list(Theme.objects.filter(course=course).prefetch_related("topics")),
        "announcements": list(
            Announcement.objects.filter(course=course).visible()[:ANNOUNCEMENTS_ON_HOME]
        ),
    }


def session_list(*, course: Course) -> QuerySet[Session]:
    return (
        Session.objects.filter(course=course)
        .select_related("theme", "course")
        .prefetch_related(Prefetch("readings", queryset=Reading.objects.order_by("order", "id")))
    )


@dataclass
class ScheduleWeek:
    number: int
    monday: dt.date
    sessions: list[Session] = field(default_factory=list)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)


def schedule_weeks(
    sessions: list[Session], *, now: dt.datetime | None = None
) -> tuple[list[ScheduleWeek], Session | None]:
    """Group sessions into teaching weeks (numbered 1, 2, ... over weeks that
    have sessions, so a break does not leave a hole) and find the next session:
    the first one not cancelled that has not yet ended."""
    now = now or timezone.now()
    weeks: list[ScheduleWeek] = []
    next_session = None
    for session in sessions:
        monday = session.date - dt.timedelta(days=session.date.weekday())
        if not weeks or weeks[-1].monday != monday:
            weeks.append(ScheduleWeek(number=len(weeks) + 1, monday=monday))
        weeks[-1].sessions.append(session)
        if next_session is None and not session.cancelled and session.ends_at() >= now:
            next_session = session
    return weeks, next_session


def resource_list(*, course: Course) -> QuerySet[Resource]:
    return Resource.objects.filter(course=course).order_by("category", "order", "id")


def presenters_prefetch() -> Prefetch:
    """Confirmed presenters of each reading, as `reading.presenters`."""
    return Prefetch(
        "signups",
        queryset=PresentationSignup.objects.confirmed().select_related("student"),
        to_attr="presenters",
    )


def session_list_with_presenters(*, course: Course) -> QuerySet[Session]:
    readings = Reading.objects.order_by("order", "id").prefetch_related(presenters_prefetch())
    return (
        Session.objects.filter(course=course)
        .select_related("theme", "course")
        .prefetch_related(Prefetch("readings", queryset=readings))
    )


@dataclass
class PaperRow:
    """One presentable paper on the sign-up board, seen by one user."""

    reading: Reading
    presenters: list[PresentationSignup]
    waitlist: list[PresentationSignup]
    mine: PresentationSignup | None

    @property
    def seats_taken(self) -> int:
        return len(self.presenters)

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.reading.presenter_capacity

    @property
    def i_present(self) -> bool:
        return self.mine is not None and self.mine.status == PresentationSignup.Status.CONFIRMED

    @property
    def my_waitlist_position(self) -> int | None:
        for position, signup in enumerate(self.waitlist, start=1):
            if self.mine is not None and signup.pk == self.mine.pk:
                return position
        return None


def signup_board(*, course: Course, user) -> list[PaperRow]:
    """Every presentable paper of the course in schedule order, with its
    presenters and waitlist, in three queries whatever the number of papers."""
    readings = (
        Reading.objects.filter(session__course=course, presentable=True)
        .select_related("session")
        .prefetch_related(
            Prefetch(
                "signups",
                queryset=PresentationSignup.objects.select_related("student"),
                to_attr="all_signups",
            )
        )
    )
    rows = []
    for reading in readings:
        signups = reading.all_signups
        rows.append(
            PaperRow(
                reading=reading,
                presenters=[s for s in signups if s.status == PresentationSignup.Status.CONFIRMED],
                waitlist=[s for s in signups if s.status == PresentationSignup.Status.WAITLISTED],
                mine=next((s for s in signups if s.student_id == user.pk), None),
            )
        )
    return rows


@dataclass
class StudentAssignments:
    student: object
    presenting: list[PresentationSignup]
    waiting: list[PresentationSignup]


def signup_roster(*, course: Course) -> list[StudentAssignments]:
    """Each student of the course with the papers they present and wait for."""
    memberships = (
        course.memberships.filter(role=Membership.Role.STUDENT)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    signups = (
        PresentationSignup.objects.of_course(course)
        .select_related("reading__session")
        .order_by("reading__session__date", "reading__order", "created_at")
    )
    by_student: dict[int, StudentAssignments] = {
        m.user_id: StudentAssignments(m.user, [], []) for m in memberships
    }
    for signup in signups:
        entry = by_student.get(signup.student_id)
        if entry is None:  # no longer a student of the course
            continue
        if signup.status == PresentationSignup.Status.CONFIRMED:
            entry.presenting.append(signup)
        else:
            entry.waiting.append(signup)
    return list(by_student.values())
