"""Build the CIS6200 demo course with its people, schedule, grades and polls.

The data lives in ``coursesite.demo.course``, ``.people``, ``.grades``, ``.polls``
and ``.readings``; this module only writes it to the database. It is safe to run
again: rows are found by their natural keys and saved only when a value differs,
so a second run creates nothing and leaves timestamps and history untouched.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from courses.models import (
    Announcement,
    Course,
    Membership,
    Poll,
    Reading,
    Resource,
    Session,
    Theme,
    Topic,
)
from courses.services import polls, signups
from courses.services.memberships import membership_set
from coursesite.demo.build_grades import seed_components, seed_grades, seed_submissions
from coursesite.demo.course import (
    ANNOUNCEMENTS,
    COURSE,
    COURSE_SLUG,
    FIRST_SESSION,
    MEETING_WEEKDAYS,
    NO_CLASS_DATES,
    RESOURCES,
    SESSION_END,
    SESSION_NOTES,
    SESSION_START,
    SESSIONS,
    THEMES,
)
from coursesite.demo.people import EMAIL_DOMAIN, PEOPLE, SIGNUP_OPENS_AT, SIGNUPS
from coursesite.demo.polls import POLL_SEED, POLLS
from coursesite.demo.readings import PAPERS
from coursesite.demo.sync import row_sync

#: (username, role, full name) of each demo login, in the order of ``PEOPLE``.
Login = tuple[str, str, str]


def demo_build(*, password: str) -> tuple[Course, list[Login]]:
    """Create or refresh the demo course in one transaction; every user gets ``password``."""
    with transaction.atomic():
        course = _seed_course()
        seed_components(course)
        themes = _seed_themes(course)
        people = _seed_people(course, password)
        _seed_sessions(course, themes)
        _seed_signups(course)
        seed_grades(course)
        seed_submissions(course)
        _seed_polls(course)
        _seed_resources(course)
        _seed_announcements(course)
    return course, people


def _meeting_dates(
    first: dt.date, weekdays: tuple[int, ...], skipped: tuple[dt.date, ...], count: int
) -> Iterator[dt.date]:
    """Yield ``count`` class days from ``first`` on, on ``weekdays``, skipping holidays."""
    day = first
    while count:
        if day.weekday() in weekdays and day not in skipped:
            yield day
            count -= 1
        day += dt.timedelta(days=1)


def _seed_course() -> Course:
    return row_sync(Course, {"slug": COURSE_SLUG}, COURSE)


def _seed_themes(course: Course) -> dict[int, Theme]:
    """Create the themes and their topics; return the themes by their number."""
    themes: dict[int, Theme] = {}
    for order, (title, topics) in enumerate(THEMES, start=1):
        theme = row_sync(Theme, {"course": course, "order": order}, {"title": title})
        for topic_order, topic in enumerate(topics, start=1):
            row_sync(Topic, {"theme": theme, "order": topic_order}, {"title": topic})
        themes[order] = theme
    return themes


def _seed_user(username: str, first: str, last: str, password: str, *, staff: bool) -> AbstractUser:
    """Create or update one user; the password is re-hashed only when it no longer matches."""
    values = {
        "first_name": first,
        "last_name": last,
        "email": f"{username}@{EMAIL_DOMAIN}",
        "is_staff": staff,
    }
    user: AbstractUser = row_sync(get_user_model(), {"username": username}, values)
    # A user just created has no password yet; checking one costs a full hash.
    if not user.password or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _seed_people(course: Course, password: str) -> list[Login]:
    """Create every user and membership; return (username, role, full name) rows."""
    people = []
    for username, first, last, role in PEOPLE:
        is_instructor = role == Membership.Role.INSTRUCTOR
        user = _seed_user(username, first, last, password, staff=is_instructor)
        membership_set(course=course, user=user, role=role)
        people.append((username, role, f"{first} {last}"))
    return people


def _seed_sessions(course: Course, themes: dict[int, Theme]) -> None:
    """Create the class meetings on the Tuesday/Thursday calendar, each with its readings."""
    dates = _meeting_dates(FIRST_SESSION, MEETING_WEEKDAYS, NO_CLASS_DATES, len(SESSIONS))
    for date, (title, theme, paper, capacity, further) in zip(dates, SESSIONS, strict=True):
        session = row_sync(
            Session,
            {"course": course, "date": date, "start_time": SESSION_START},
            {
                "end_time": SESSION_END,
                "title": title,
                "theme": themes[theme] if theme else None,
                "notes": SESSION_NOTES.get(title, ""),
            },
        )
        _seed_readings(session, paper, capacity, further)


def _seed_readings(
    session: Session, paper: str | None, capacity: int, further: tuple[str, ...]
) -> None:
    """The paper students present comes first and is required; the rest are optional."""
    readings = [(paper, True)] if paper else []
    readings += [(key, False) for key in further]
    for order, (key, presentable) in enumerate(readings, start=1):
        citation = dict(PAPERS[key])
        title = citation.pop("title")
        row_sync(
            Reading,
            {"session": session, "title": title},
            {
                **citation,
                "order": order,
                "kind": Reading.Kind.REQUIRED if presentable else Reading.Kind.OPTIONAL,
                "presentable": presentable,
                "presenter_capacity": capacity if presentable else 1,
            },
        )


def _seed_signups(course: Course) -> None:
    """Some papers taken, one full with a waitlist; written through the sign-up
    services so the demo obeys the same rules as the board."""
    opens = SIGNUP_OPENS_AT.replace(tzinfo=course.tz)
    if course.signup_opens_at != opens:
        course.signup_opens_at = opens
        course.save(update_fields=["signup_opens_at"])
    users = get_user_model().objects.in_bulk(field_name="username")
    papers = Reading.objects.filter(session__course=course, presentable=True)
    for paper, (presenters, waitlist) in zip(papers, SIGNUPS, strict=False):
        taken = set(paper.signups.values_list("student__username", flat=True))
        for username in presenters:
            if username not in taken:
                signups.signup_assign(reading=paper, student=users[username])
        for username in waitlist:
            if username not in taken:
                signups.waitlist_join(reading=paper, student=users[username])


def _seed_polls(course: Course) -> None:
    """The polls asked in class: closed ones in past sessions, answered by most
    students, and one open in the last session with a few answers so far.

    Each is created, opened, answered and closed through the poll services, as
    in class; who answers and what is drawn from fixed seeds. A poll already in
    its final state is left alone, so a second run adds no poll, choice or
    answer and moves no timestamp; one found open or closed otherwise is brought
    back to it, answering only for students who have not answered.
    """
    users = get_user_model().objects.in_bulk(field_name="username")
    students = [users[u] for u, _, _, role in PEOPLE if role == Membership.Role.STUDENT]
    sessions = {session.title: session for session in course.sessions.all()}
    for row in POLLS:
        question, kind, choices = row["question"], row["kind"], row["choices"]
        poll = Poll.objects.filter(course=course, question=question).first()
        if poll is not None and poll.state == row["state"]:
            continue
        if poll is None:
            poll = polls.poll_create(
                course=course,
                question=question,
                kind=kind,
                choices=[] if kind == Poll.Kind.TEXT else [text for text, _ in choices],
                session=sessions[row["session"]],
                anonymous=row["anonymous"],
                results=row["results"],
            )
        poll = polls.poll_state_set(poll=poll, state=Poll.State.OPEN)
        answered = set(poll.answers.values_list("student_id", flat=True))
        choice_ids = {choice.text: choice.pk for choice in poll.choices.all()}
        who = random.Random(f"{POLL_SEED}:poll:{question}").sample(students, row["answers"])
        for n, student in enumerate(who):
            if student.pk in answered:
                continue
            if kind == Poll.Kind.TEXT:
                polls.poll_answer(poll=poll, student=student, text=choices[n % len(choices)])
                continue
            draw = random.Random(f"{POLL_SEED}:poll:{question}:{student.username}")
            if kind == Poll.Kind.SINGLE:
                texts, weights = zip(*choices, strict=True)
                picked = draw.choices(texts, weights)
            else:
                picked = [text for text, percent in choices if draw.randrange(100) < percent]
                picked = picked or [max(choices, key=lambda choice: choice[1])[0]]
            polls.poll_answer(
                poll=poll, student=student, choice_ids=[choice_ids[t] for t in picked]
            )
        polls.poll_state_set(poll=poll, state=row["state"])


def _seed_resources(course: Course) -> None:
    for category, resources in RESOURCES.items():
        for order, resource in enumerate(resources, start=1):
            values = {"category": category, "order": order, **resource}
            row_sync(Resource, {"course": course, "title": values.pop("title")}, values)


def _seed_announcements(course: Course) -> None:
    for announcement in ANNOUNCEMENTS:
        published_at = announcement["published_at"].replace(tzinfo=course.tz)
        row_sync(
            Announcement,
            {"course": course, "title": announcement["title"]},
            {"body": announcement["body"], "published_at": published_at},
        )
