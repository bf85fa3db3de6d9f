"""``manage.py seed_demo``: build the CIS6200 demo course with its people, schedule and grades.

The data lives in ``coursesite.demo.data`` and ``coursesite.demo.readings``; this
command only writes it to the database. It is safe to run again: rows are found
by their natural keys and saved only when a value differs, so a second run
creates nothing and leaves timestamps and history untouched.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction

from courses.models import (
    Announcement,
    Course,
    Membership,
    Poll,
    PresentationSignup,
    Reading,
    Resource,
    Session,
    Theme,
    Topic,
)
from courses.services import polls, signups
from courses.services.memberships import membership_set
from coursesite.demo import data
from coursesite.demo.readings import PAPERS
from grading.models import GradeComponent, GradeItem, Score, Submission
from grading.services import ScoreChange, item_release, scores_set
from grading.services.submissions import submission_save

DEFAULT_PASSWORD = "demo"
ModelT = TypeVar("ModelT", bound=models.Model)


def _sync(model: type[ModelT], lookup: Mapping[str, Any], values: Mapping[str, Any]) -> ModelT:
    """Find the row by ``lookup`` (creating it if missing) and make ``values`` current.

    ``update_or_create`` saves even when nothing changed, which would bump
    ``auto_now`` fields and add history rows on every run; this saves only when a
    value actually differs.
    """
    obj, created = model.objects.get_or_create(**lookup, defaults=dict(values))
    if created:
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj


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
    return _sync(Course, {"slug": data.COURSE_SLUG}, data.COURSE)


def _seed_components(course: Course) -> None:
    for order, (name, weight, description) in enumerate(data.GRADE_COMPONENTS, start=1):
        _sync(
            GradeComponent,
            {"course": course, "name": name},
            {
                "weight": Decimal(weight),
                "description": description,
                "order": order,
                "drop_lowest": 0,
                "weighting": "points",
                **data.GRADE_COMPONENT_RULES.get(name, {}),
            },
        )


def _seed_themes(course: Course) -> dict[int, Theme]:
    """Create the themes and their topics; return the themes by their number."""
    themes: dict[int, Theme] = {}
    for order, (title, topics) in enumerate(data.THEMES, start=1):
        theme = _sync(Theme, {"course": course, "order": order}, {"title": title})
        for topic_order, topic in enumerate(topics, start=1):
            _sync(Topic, {"theme": theme, "order": topic_order}, {"title": topic})
        themes[order] = theme
    return themes


def _seed_user(username: str, first: str, last: str, password: str, *, staff: bool) -> AbstractUser:
    """Create or update one user; the password is re-hashed only when it no longer matches."""
    values = {
        "first_name": first,
        "last_name": last,
        "email": f"{username}@{data.EMAIL_DOMAIN}",
        "is_staff": staff,
    }
    user: AbstractUser = _sync(get_user_model(), {"username": username}, values)
    # A user just created has no password yet; checking one costs a full hash.
    if not user.password or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _seed_people(course: Course, password: str) -> list[tuple[str, str, str]]:
    """Create every user and membership; return (username, role, full name) rows."""
    people = []
    for username, first, last, role in data.PEOPLE:
        is_instructor = role == Membership.Role.INSTRUCTOR
        user = _seed_user(username, first, last, password, staff=is_instructor)
        membership_set(course=course, user=user, role=role)
        people.append((username, role, f"{first} {last}"))
    return people


def _seed_sessions(course: Course, themes: dict[int, Theme]) -> None:
    """Create the class meetings on the Tuesday/Thursday calendar, each with its readings."""
    dates = _meeting_dates(
        data.FIRST_SESSION, data.MEETING_WEEKDAYS, data.NO_CLASS_DATES, len(data.SESSIONS)
    )
    for date, (title, theme, paper, capacity, further) in zip(dates, data.SESSIONS, strict=True):
        session = _sync(
            Session,
            {"course": course, "date": date, "start_time": data.SESSION_START},
            {
                "end_time": data.SESSION_END,
                "title": title,
                "theme": themes[theme] if theme else None,
                "notes": data.SESSION_NOTES.get(title, ""),
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
        _sync(
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
    opens = data.SIGNUP_OPENS_AT.replace(tzinfo=course.tz)
    if course.signup_opens_at != opens:
        course.signup_opens_at = opens
        course.save(update_fields=["signup_opens_at"])
    users = get_user_model().objects.in_bulk(field_name="username")
    papers = Reading.objects.filter(session__course=course, presentable=True)
    for paper, (presenters, waitlist) in zip(papers, data.SIGNUPS, strict=False):
        taken = set(paper.signups.values_list("student__username", flat=True))
        for username in presenters:
            if username not in taken:
                signups.signup_assign(reading=paper, student=users[username])
        for username in waitlist:
            if username not in taken:
                signups.waitlist_join(reading=paper, student=users[username])


def _seed_grades(course: Course) -> None:
    """Every component's items, the scores graded so far, and which items students see.

    Scores are written through `scores_set`, as a TA's grid writes them, so each
    has its history naming the TA; releases go through `item_release` in the
    instructor's name. The points come from fixed seeds and unchanged cells are
    not written, so a second run changes nothing.
    """
    users = get_user_model().objects.in_bulk(field_name="username")
    roles = {username: role for username, _, _, role in data.PEOPLE}
    instructor = next(users[u] for u, role in roles.items() if role == Membership.Role.INSTRUCTOR)
    students = [users[u] for u, role in roles.items() if role == Membership.Role.STUDENT]
    early_presenters = set(
        PresentationSignup.objects.of_course(course)
        .confirmed()
        .filter(reading__session__date__lt=data.PRESENTATIONS_GRADED_BEFORE)
        .values_list("student__username", flat=True)
    )
    for component_name, items in data.GRADE_ITEMS:
        component = GradeComponent.objects.get(course=course, name=component_name)
        step = Decimal(data.SCORE_STEPS.get(component_name, "0.5"))
        grader = users[data.GRADERS[component_name]]
        for order, (title, points, due, status) in enumerate(items, start=1):
            due_at = due and dt.datetime.combine(due, data.GRADE_ITEM_DUE_TIME, tzinfo=course.tz)
            item = _sync(
                GradeItem,
                {"component": component, "title": title},
                {
                    "points_possible": Decimal(points),
                    "due_at": due_at,
                    "order": order,
                    "session": _responded_session(course, component_name, due),
                    **data.SUBMISSION_KINDS.get(component_name, {}),
                },
            )
            if status:
                graded = students
                if component_name == "Paper Presentations":  # only the talks given so far
                    graded = [s for s in students if s.username in early_presenters]
                changes = [_demo_score(item, student, step) for student in graded]
                scores_set(changes=[c for c in changes if c], by=grader, reason="Demo data")
            item_release(item=item, released=status == data.RELEASED, by=instructor)


def _responded_session(course: Course, component_name: str, due: dt.date | None):
    """A reading response answers the readings of the first class after it is due."""
    if component_name != "Reading Responses" or due is None:
        return None
    return course.sessions.filter(date__gte=due).order_by("date", "start_time").first()


def _seed_submissions(course: Course) -> None:
    """A response for every graded reading response and a repository link for every
    graded assignment, on time but for a few, handed in through the same service
    as the site's form. Existing hand-ins are left alone, so a second run adds no
    version."""
    scores = (
        Score.objects.filter(item__component__course=course, points__isnull=False)
        .filter(item__component__name__in=["Reading Responses", "Assignments"])
        .select_related("item__component", "item__session", "student")
    )
    existing = set(
        Submission.objects.filter(item__component__course=course).values_list(
            "item_id", "student_id"
        )
    )
    for score in scores:
        item, student = score.item, score.student
        if (item.pk, student.pk) in existing or item.due_at is None:
            continue
        draw = random.Random(f"{data.SCORE_SEED}:hand-in:{student.username}:{item.title}")
        late = data.LATE_HAND_INS.get((student.username, item.title))
        handed_in = (
            item.due_at + late
            if late
            else item.due_at - dt.timedelta(hours=draw.randint(1, 40), minutes=draw.randint(0, 59))
        )
        if item.component.name == "Reading Responses":
            readings = item.session.readings.all() if item.session else []
            title = readings[0].title if readings else "this week's readings"
            text = (
                f"**{title}.** {draw.choice(data.RESPONSE_OPENINGS)} the method trades "
                "memory for communication in a way that only pays off at scale.\n\n"
                f"- Question: {draw.choice(data.RESPONSE_QUESTIONS)}\n"
                "- Connection: this echoes last week's discussion of throughput versus "
                "latency."
            )
            submission_save(item=item, student=student, text=text, now=handed_in)
        else:
            slug = item.title.split(":")[0].lower().replace(" ", "-")
            url = f"https://github.com/{student.username}/cis6200-{slug}"
            submission_save(item=item, student=student, url=url, now=handed_in)


def _demo_score(item: GradeItem, student: AbstractUser, step: Decimal) -> ScoreChange | None:
    """One student's demo score: near the student's usual level, in steps of ``step``,
    with a comment where the item has feedback; None leaves the cell empty."""
    exception = data.SCORE_EXCEPTIONS.get((student.username, item.title))
    if exception == "":
        return None
    if exception == "EX":
        return ScoreChange(item, student, None, excused=True)
    # String seeds hash the same way in every process, so every run draws the same.
    level = random.Random(f"{data.SCORE_SEED}:{student.username}").uniform(0.74, 0.98)
    draw = random.Random(f"{data.SCORE_SEED}:{student.username}:{item.title}")
    share = Decimal(f"{min(1.0, max(0.0, draw.gauss(level, 0.08))):.4f}")
    points = (item.points_possible * share / step).to_integral_value(ROUND_HALF_UP) * step
    comment = None
    if item.title in data.ASSIGNMENT_COMMENTS:
        strong, weak = data.ASSIGNMENT_COMMENTS[item.title]
        comment = draw.choice(strong if points >= item.points_possible * Decimal("0.9") else weak)
    return ScoreChange(item, student, points, comment=comment)


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
    students = [users[u] for u, _, _, role in data.PEOPLE if role == Membership.Role.STUDENT]
    sessions = {session.title: session for session in course.sessions.all()}
    for row in data.POLLS:
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
        who = random.Random(f"{data.POLL_SEED}:poll:{question}").sample(students, row["answers"])
        for n, student in enumerate(who):
            if student.pk in answered:
                continue
            if kind == Poll.Kind.TEXT:
                polls.poll_answer(poll=poll, student=student, text=choices[n % len(choices)])
                continue
            draw = random.Random(f"{data.POLL_SEED}:poll:{question}:{student.username}")
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
    for category, resources in data.RESOURCES.items():
        for order, resource in enumerate(resources, start=1):
            values = {"category": category, "order": order, **resource}
            _sync(Resource, {"course": course, "title": values.pop("title")}, values)


def _seed_announcements(course: Course) -> None:
    for announcement in data.ANNOUNCEMENTS:
        published_at = announcement["published_at"].replace(tzinfo=course.tz)
        _sync(
            Announcement,
            {"course": course, "title": announcement["title"]},
            {"body": announcement["body"], "published_at": published_at},
        )


class Command(BaseCommand):
    help = "Create or refresh the CIS6200 demo course: people, schedule, readings and grades."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password for every demo user (default: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        with transaction.atomic():
            course = _seed_course()
            _seed_components(course)
            themes = _seed_themes(course)
            people = _seed_people(course, password)
            _seed_sessions(course, themes)
            _seed_signups(course)
            _seed_grades(course)
            _seed_submissions(course)
            _seed_polls(course)
            _seed_resources(course)
            _seed_announcements(course)
        self._report(course, people, password)

    def _report(self, course: Course, people: list[tuple[str, str, str]], password: str) -> None:
        """Print where the course is and how to sign in, since that is what one needs next."""
        readings = Reading.objects.filter(session__course=course)
        out = self.stdout
        out.write(self.style.SUCCESS(f"Demo course ready: {course}"))
        out.write(f"  URL: {course.get_absolute_url()}")
        open_polls = course.polls.filter(state=Poll.State.OPEN).count()
        out.write(
            f"  {course.sessions.count()} sessions, {readings.count()} readings "
            f"({readings.filter(presentable=True).count()} to present), "
            f"{course.resources.count()} resources, "
            f"{course.announcements.count()} announcements, "
            f"{course.polls.count()} polls ({open_polls} open)"
        )
        items = GradeItem.objects.of_course(course)
        out.write(
            f"  {items.count()} grade items ({items.filter(released=True).count()} released), "
            f"{Score.objects.filter(item__component__course=course).count()} scores, "
            f"{Submission.objects.filter(item__component__course=course).count()} hand-ins"
        )
        out.write("")
        out.write("Logins:")
        out.write(f"  {'username':<12} {'password':<12} {'role':<12} name")
        for username, role, name in people:
            out.write(f"  {username:<12} {password:<12} {role:<12} {name}")
