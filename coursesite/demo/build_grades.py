"""The CIS6200 demo course's gradebook: components, items, scores and hand-ins.

Scores and hand-ins are written through the same services as the site's pages,
and their values come from fixed seeds, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from courses.models import Course, Membership, PresentationSignup
from coursesite.demo.grades import (
    ASSIGNMENT_COMMENTS,
    GRADE_COMPONENT_RULES,
    GRADE_COMPONENTS,
    GRADE_ITEM_DUE_TIME,
    GRADE_ITEMS,
    GRADERS,
    LATE_HAND_INS,
    PRESENTATIONS_GRADED_BEFORE,
    RELEASED,
    RESPONSE_OPENINGS,
    RESPONSE_QUESTIONS,
    SCORE_EXCEPTIONS,
    SCORE_SEED,
    SCORE_STEPS,
    SUBMISSION_KINDS,
)
from coursesite.demo.people import PEOPLE
from coursesite.demo.sync import row_sync
from grading.models import GradeComponent, GradeItem, Score, Submission
from grading.services import ScoreChange, item_release, scores_set
from grading.services.submissions import submission_save


def seed_components(course: Course) -> None:
    for order, (name, weight, description) in enumerate(GRADE_COMPONENTS, start=1):
        row_sync(
            GradeComponent,
            {"course": course, "name": name},
            {
                "weight": Decimal(weight),
                "description": description,
                "order": order,
                "drop_lowest": 0,
                "weighting": "points",
                **GRADE_COMPONENT_RULES.get(name, {}),
            },
        )


def seed_grades(course: Course) -> None:
    """Every component's items, the scores graded so far, and which items students see.

    Scores are written through `scores_set`, as a TA's grid writes them, so each
    has its history naming the TA; releases go through `item_release` in the
    instructor's name. The points come from fixed seeds and unchanged cells are
    not written, so a second run changes nothing.
    """
    users = get_user_model().objects.in_bulk(field_name="username")
    roles = {username: role for username, _, _, role in PEOPLE}
    instructor = next(users[u] for u, role in roles.items() if role == Membership.Role.INSTRUCTOR)
    students = [users[u] for u, role in roles.items() if role == Membership.Role.STUDENT]
    early_presenters = set(
        PresentationSignup.objects.of_course(course)
        .confirmed()
        .filter(reading__session__date__lt=PRESENTATIONS_GRADED_BEFORE)
        .values_list("student__username", flat=True)
    )
    for component_name, items in GRADE_ITEMS:
        component = GradeComponent.objects.get(course=course, name=component_name)
        step = Decimal(SCORE_STEPS.get(component_name, "0.5"))
        grader = users[GRADERS[component_name]]
        for order, (title, points, due, status) in enumerate(items, start=1):
            due_at = due and dt.datetime.combine(due, GRADE_ITEM_DUE_TIME, tzinfo=course.tz)
            item = row_sync(
                GradeItem,
                {"component": component, "title": title},
                {
                    "points_possible": Decimal(points),
                    "due_at": due_at,
                    "order": order,
                    "session": _responded_session(course, component_name, due),
                    **SUBMISSION_KINDS.get(component_name, {}),
                },
            )
            if status:
                graded = students
                if component_name == "Paper Presentations":  # only the talks given so far
                    graded = [s for s in students if s.username in early_presenters]
                changes = [_demo_score(item, student, step) for student in graded]
                scores_set(changes=[c for c in changes if c], by=grader, reason="Demo data")
            item_release(item=item, released=status == RELEASED, by=instructor)


def _responded_session(course: Course, component_name: str, due: dt.date | None):
    """A reading response answers the readings of the first class after it is due."""
    if component_name != "Reading Responses" or due is None:
        return None
    return course.sessions.filter(date__gte=due).order_by("date", "start_time").first()


def seed_submissions(course: Course) -> None:
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
        draw = random.Random(f"{SCORE_SEED}:hand-in:{student.username}:{item.title}")
        late = LATE_HAND_INS.get((student.username, item.title))
        handed_in = (
            item.due_at + late
            if late
            else item.due_at - dt.timedelta(hours=draw.randint(1, 40), minutes=draw.randint(0, 59))
        )
        if item.component.name == "Reading Responses":
            readings = item.session.readings.all() if item.session else []
            title = readings[0].title if readings else "this week's readings"
            text = (
                f"**{title}.** {draw.choice(RESPONSE_OPENINGS)} the method trades "
                "memory for communication in a way that only pays off at scale.\n\n"
                f"- Question: {draw.choice(RESPONSE_QUESTIONS)}\n"
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
    exception = SCORE_EXCEPTIONS.get((student.username, item.title))
    if exception == "":
        return None
    if exception == "EX":
        return ScoreChange(item, student, None, excused=True)
    # String seeds hash the same way in every process, so every run draws the same.
    level = random.Random(f"{SCORE_SEED}:{student.username}").uniform(0.74, 0.98)
    draw = random.Random(f"{SCORE_SEED}:{student.username}:{item.title}")
    share = Decimal(f"{min(1.0, max(0.0, draw.gauss(level, 0.08))):.4f}")
    points = (item.points_possible * share / step).to_integral_value(ROUND_HALF_UP) * step
    comment = None
    if item.title in ASSIGNMENT_COMMENTS:
        strong, weak = ASSIGNMENT_COMMENTS[item.title]
        comment = draw.choice(strong if points >= item.points_possible * Decimal("0.9") else weak)
    return ScoreChange(item, student, points, comment=comment)
