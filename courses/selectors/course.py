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
    Reading,
    Resource,
    Session,
    Theme,
)

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
