"""The course's iCalendar feed: one event per session, in the course's time zone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from courses.models import Course, Session


def session_event(session: Session, *, host: str, stamp: dt.datetime) -> Event:
    course = session.course
    event = Event()
    event.add("uid", f"session-{session.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at())
    event.add("dtend", session.ends_at())
    event.add("summary", f"{course.code}: {session.title}")
    if session.where:
        event.add("location", session.where)
    lines = [f"Theme: {session.theme.title}"] if session.theme else []
    for reading in session.readings.all():
        cite = f" ({reading.citation})" if reading.citation else ""
        lines.append(f"Reading: {reading.title}{cite}")
    if lines:
        event.add("description", "\n".join(lines))
    if session.cancelled:
        event.add("status", "CANCELLED")
    return event


def course_calendar(course: Course, sessions: list[Session], *, host: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Coursesite//Course calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{course.code} {course.term}")
    cal.add("x-wr-timezone", course.timezone)
    stamp = timezone.now()
    for session in sessions:
        cal.add_component(session_event(session, host=host, stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()
