"""Ranked paper preferences and the instructor's optimal assignment.

While sign-ups are open, a course in ranked mode collects each student's
ranking (at least `rank_min`, at most `rank_max` papers) and blackout
sessions (`preferences_set`). After they close, the instructor runs the exact
assignment of `courses.domain.assignment` (`assignment_run`), looks at the preview,
may adjust it by hand under the same rules (`assignment_adjust`), and
publishes it: the confirmed sign-ups are created through the sign-up service,
all in one transaction (`assignment_publish`).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from courses.domain import assignment
from courses.models import (
    AssignmentRun,
    Blackout,
    Course,
    Membership,
    PaperPreference,
    Reading,
    Session,
)
from courses.services import CourseError, signups

MAX_SEED = 2**31  # stored in a positive integer column on every database


def ranking_problem(course: Course, *, now=None) -> str | None:
    """Why students cannot rank papers now, or None."""
    if course.signup_mode != Course.SignupMode.RANKED:
        return "This course uses first-come sign-ups, not rankings."
    return signups.window_problem(course, now=now)


def preferences_of(course: Course, student: AbstractBaseUser) -> tuple[list[Reading], set[int]]:
    """A student's ranked papers, best first, and their blackout session ids.
    Only papers still offered in this course count: one made unpresentable, or
    moved to a session of another course, leaves the ranking, so that it never
    blocks the student's next change (`preferences_set` accepts only this
    course's papers)."""
    ranked = [
        p.reading
        for p in PaperPreference.objects.filter(
            course=course,
            student=student,
            reading__presentable=True,
            reading__session__course=course,
        )
        .select_related("reading__session")
        .order_by("rank")
    ]
    blackout = set(
        Blackout.objects.filter(course=course, student=student).values_list("session_id", flat=True)
    )
    return ranked, blackout


@transaction.atomic
def preferences_set(
    *,
    course: Course,
    student: AbstractBaseUser,
    reading_ids: Sequence[int],
    blackout_session_ids: Iterable[int] | None = None,
) -> None:
    """Replace a student's ranking (best first) and, when given, their blackout
    sessions: only a student of the course, only while rankings are open, only
    presentable papers of the course, each once, at most `rank_max` of them.
    (At least `rank_min` is asked of them, shown on the page and to the
    instructor, not refused: a ranking is built one paper at a time.)"""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if problem := ranking_problem(course):
        raise CourseError(problem)
    if not Membership.objects.is_student(course, student):
        raise CourseError("Only students of this course rank its papers.")
    ids = list(reading_ids)
    if len(set(ids)) != len(ids):
        raise CourseError("A paper can be ranked only once.")
    held = PaperPreference.objects.filter(course=course, student=student).count()
    # Growing past the limit is refused; a ranking already over it (the instructor
    # lowered the limit) can still be reordered and shortened.
    if len(ids) > course.rank_max and len(ids) > held:
        raise CourseError(f"Rank at most {course.rank_max} papers.")
    papers = Reading.objects.filter(pk__in=ids, session__course=course, presentable=True)
    if papers.count() != len(ids):
        raise CourseError("That is not a paper to present in this course.")
    PaperPreference.objects.filter(course=course, student=student).delete()
    PaperPreference.objects.bulk_create(
        PaperPreference(course=course, student=student, reading_id=pk, rank=n)
        for n, pk in enumerate(ids, start=1)
    )
    if blackout_session_ids is not None:
        sessions = set(blackout_session_ids)
        valid = set(
            Session.objects.filter(course=course, pk__in=sessions).values_list("pk", flat=True)
        )
        if valid != sessions:
            raise CourseError("That is not a session of this course.")
        Blackout.objects.filter(course=course, student=student).delete()
        Blackout.objects.bulk_create(
            Blackout(course=course, student=student, session_id=pk) for pk in sorted(sessions)
        )


def preference_change(
    *, course: Course, student: AbstractBaseUser, reading_id: int, action: str
) -> None:
    """One step of the ranking page (which works without JavaScript): add a
    paper at the end, remove it, or move it up or down one place."""
    ranked, _ = preferences_of(course, student)
    ids = [reading.pk for reading in ranked]
    if action == "add":
        if reading_id not in ids:
            ids.append(reading_id)
    elif action == "remove":
        ids = [pk for pk in ids if pk != reading_id]
    elif action in ("up", "down") and reading_id in ids:
        at = ids.index(reading_id)
        to = at - 1 if action == "up" else at + 1
        if 0 <= to < len(ids):
            ids[at], ids[to] = ids[to], ids[at]
    else:
        raise CourseError("Choose to add, remove, or move a paper.")
    preferences_set(course=course, student=student, reading_ids=ids)


def assignment_inputs(
    course: Course,
) -> tuple[list[assignment.Student], list[assignment.Paper], assignment.Rules]:
    """The course as the solver sees it: every student, every presentable paper."""
    papers = [
        assignment.Paper(
            id=reading.pk,
            session_id=reading.session_id,
            day=reading.session.date,
            capacity=reading.presenter_capacity,
        )
        for reading in Reading.objects.filter(session__course=course, presentable=True)
        .exclude(session__cancelled=True)
        .select_related("session")
        .order_by("session__date", "order", "pk")
    ]
    rankings: dict[int, list[int]] = {}
    for student_id, reading_id in (
        PaperPreference.objects.filter(course=course)
        .order_by("student_id", "rank")
        .values_list("student_id", "reading_id")
    ):
        rankings.setdefault(student_id, []).append(reading_id)
    blackouts: dict[int, set[int]] = {}
    for student_id, session_id in Blackout.objects.filter(course=course).values_list(
        "student_id", "session_id"
    ):
        blackouts.setdefault(student_id, set()).add(session_id)
    known = {paper.id for paper in papers}
    students = [
        assignment.Student(
            id=student_id,
            # Papers no longer offered drop out; a ranking longer than the course
            # now allows (the instructor lowered it) keeps its first choices.
            ranking=tuple(pk for pk in rankings.get(student_id, []) if pk in known)[
                : course.rank_max
            ],
            blackout=frozenset(blackouts.get(student_id, set())),
        )
        for student_id in Membership.objects.students_of(course)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    ]
    rules = assignment.Rules(
        min_per_student=course.min_presentations,
        max_per_student=course.max_presentations,
        max_rank=course.rank_max,
        min_days_apart=course.min_days_between_presentations,
    )
    return students, papers, rules


def _in_words(problems: Iterable[str], course: Course) -> str:
    """The solver names students and papers by id; say their names and titles."""
    names = {
        m.user_id: m.user.get_full_name() or m.user.get_username()
        for m in Membership.objects.filter(course=course).select_related("user")
    }
    titles = dict(Reading.objects.filter(session__course=course).values_list("pk", "title"))

    def title(number: str) -> str:
        found = titles.get(int(number))
        return f"“{found}”" if found else f"paper {number}"

    text = " ".join(problems)
    text = re.sub(r"\b[Ss]tudent (\d+)", lambda m: names.get(int(m[1]), m[0]), text)
    text = re.sub(r"\bpapers (\d+) and (\d+)", lambda m: f"{title(m[1])} and {title(m[2])}", text)
    return re.sub(r"\b[Pp]aper (\d+)", lambda m: title(m[1]), text)


def _placements_json(solution: assignment.Solution) -> list[list]:
    return [[p.student_id, p.paper_id, p.rank] for p in solution.placements]


def assignment_run(
    *, course: Course, by: AbstractBaseUser, seed: int | None = None, now=None
) -> AssignmentRun:
    """Solve the assignment for the course as it is now and keep it as a draft
    to preview: only in ranked mode, once the window has closed."""
    now = now or timezone.now()
    if course.signup_mode != Course.SignupMode.RANKED:
        raise CourseError("This course uses first-come sign-ups; there is nothing to assign.")
    if course.signup_closes_at is None or now < course.signup_closes_at:
        raise CourseError("Run the assignment once sign-ups have closed, so every ranking is in.")
    seed = random.SystemRandom().randrange(1, MAX_SEED) if seed is None else seed
    if not 1 <= seed < MAX_SEED:
        raise CourseError(f"The seed is a whole number from 1 to {MAX_SEED - 1}.")
    students, papers, rules = assignment_inputs(course)
    if not students:
        raise CourseError("The course has no students yet.")
    started = time.perf_counter()
    try:
        solution = assignment.solve(students, papers, rules, seed=seed)
    except assignment.Infeasible as infeasible:
        raise CourseError(
            f"No assignment is possible: {_in_words(infeasible.reasons, course)}"
        ) from infeasible
    except assignment.SolveTimeout as timeout:
        raise CourseError(
            "The solver ran out of time; try again, or run `manage.py assign_papers` from a "
            "terminal for a large course."
        ) from timeout
    except ValueError as error:
        raise CourseError(f"The course's papers or rankings cannot be assigned: {error}") from error
    seconds = time.perf_counter() - started
    baseline = assignment.first_come(students, papers, rules, seed=seed)
    return AssignmentRun.objects.create(
        course=course,
        created_by=by,
        seed=seed,
        solve_seconds=round(seconds, 3),
        result={"placements": _placements_json(solution), "adjusted": False},
        first_come={
            "placements": _placements_json(baseline),
            "short": assignment.short_students(baseline, students, rules),
        },
    )


@transaction.atomic
def assignment_adjust(
    *, run: AssignmentRun, student_id: int, remove: int | None = None, add: int | None = None
) -> AssignmentRun:
    """Change one student's papers in a draft by hand; the result must still keep
    every rule (seats, minimum and maximum, sessions, spacing, blackouts)."""
    run = AssignmentRun.objects.select_for_update().get(pk=run.pk)
    if run.published_at:
        raise CourseError("This assignment is published; change sign-ups in the admin now.")
    students, papers, rules = assignment_inputs(run.course)
    by_id = {s.id: s for s in students}
    if student_id not in by_id:
        raise CourseError("That student is not in this course.")
    rows = [
        row for row in run.result["placements"] if not (row[0] == student_id and row[1] == remove)
    ]
    if add is not None:
        ranking = by_id[student_id].ranking
        rank = ranking.index(add) + 1 if add in ranking else None
        rows.append([student_id, add, rank])
    placements = [assignment.Placement(s, p, r) for s, p, r in rows]
    problems = assignment.violations(students, papers, rules, placements)
    if problems:
        raise CourseError("Not changed: " + _in_words(problems, run.course))
    run.result = {"placements": sorted(rows), "adjusted": True}
    run.save(update_fields=["result"])
    return run


@transaction.atomic
def assignment_publish(*, run: AssignmentRun) -> int:
    """Create the confirmed sign-ups of a draft, all or none, through the sign-up
    service (seats, maximum and duplicates checked again). Returns how many."""
    run = AssignmentRun.objects.select_for_update().select_related("course").get(pk=run.pk)
    if run.published_at:
        raise CourseError("This assignment is already published.")
    students, papers, rules = assignment_inputs(run.course)
    placements = [assignment.Placement(s, p, r) for s, p, r in run.result["placements"]]
    problems = assignment.violations(students, papers, rules, placements)
    if problems:
        raise CourseError("Not published: " + _in_words(problems, run.course))
    readings = Reading.objects.select_related("session").in_bulk([p.paper_id for p in placements])
    users = {
        m.user_id: m.user
        for m in Membership.objects.filter(course=run.course).select_related("user")
    }
    try:
        for placement in placements:
            signups.signup_assign(
                reading=readings[placement.paper_id], student=users[placement.student_id]
            )
    except signups.SignupError as error:
        raise CourseError(f"Not published: {error}") from error
    run.published_at = timezone.now()
    run.save(update_fields=["published_at"])
    return len(placements)
