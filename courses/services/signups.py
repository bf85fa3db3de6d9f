"""Presentation sign-ups: the one write path for who presents which paper.

Every function here is one transaction that first locks the course row
(`select_for_update`), so for one course the checks and the write of one
sign-up happen while no other sign-up write can run. That one lock covers all
the rules at once: seats on a paper, a student's maximum across papers, the
waitlist order and the promotion after a withdrawal; PostgreSQL queues the
requests on the row lock, SQLite on its write lock (`BEGIN IMMEDIATE`). A
sign-up takes a few milliseconds, so queueing a course's sign-ups costs
nothing a person notices, and there is no lock order to get wrong. The unique
constraint on (reading, student) backs the duplicate rule in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from courses.models import Course, Membership, PresentationSignup, Reading

Status = PresentationSignup.Status


class SignupError(Exception):
    """A sign-up rule said no; the message is written for the student."""

    def __init__(self, message: str, *, can_waitlist: bool = False) -> None:
        super().__init__(message)
        self.can_waitlist = can_waitlist


@dataclass(frozen=True)
class WithdrawResult:
    promoted: PresentationSignup | None


def local_datetime(value: dt.datetime, course: Course) -> str:
    return date_format(value.astimezone(course.tz), "l, F j, g:i A")


def board_problem(course: Course, *, now: dt.datetime | None = None) -> str | None:
    """Why a student cannot take a seat on the board now, or None."""
    if course.signup_mode == Course.SignupMode.RANKED:
        return (
            "Papers in this course are assigned from everyone's rankings: rank the papers "
            "you would like to present instead."
        )
    return window_problem(course, now=now)


def window_problem(course: Course, *, now: dt.datetime | None = None) -> str | None:
    """Why sign-ups are not open now, or None when they are."""
    now = now or timezone.now()
    if course.signup_opens_at is None:
        return "Sign-ups for presentations have not opened yet."
    if now < course.signup_opens_at:
        return f"Sign-ups open on {local_datetime(course.signup_opens_at, course)}."
    if course.signup_closes_at is not None and now >= course.signup_closes_at:
        return f"Sign-ups closed on {local_datetime(course.signup_closes_at, course)}."
    return None


def _lock_course(reading: Reading) -> tuple[Course, Reading]:
    course = Course.objects.select_for_update().get(pk=reading.session.course_id)
    # Re-read the paper inside the lock: its capacity may have been edited.
    reading = Reading.objects.select_related("session").get(pk=reading.pk)
    return course, reading


def _require_student(course: Course, student: AbstractUser) -> None:
    if not Membership.objects.is_student(course, student):
        raise SignupError("Only students of this course can present papers.")


def _require_presentable(reading: Reading) -> None:
    if not reading.presentable:
        raise SignupError("This paper is not open for presentations.")


def _confirmed_count(course: Course, student: AbstractUser) -> int:
    return PresentationSignup.objects.of_course(course).confirmed().filter(student=student).count()


def _seats_taken(reading: Reading) -> int:
    return reading.signups.confirmed().count()


def confirm_problem(
    *,
    course: Course,
    reading: Reading,
    student: AbstractUser,
    moving_from: Reading | None = None,
    as_staff: bool = False,
) -> SignupError | None:
    """Why `student` cannot take a seat on `reading` now (ignoring the window).

    `moving_from` is a paper the student gives up in the same step, which
    frees one of their presentations. Messages speak to the student, or about
    the student when staff act for them.
    """
    name = student.get_full_name() or student.get_username()
    who, has = (name, "presents") if as_staff else ("You", "present")
    existing = reading.signups.filter(student=student).first()
    if existing and existing.status == Status.CONFIRMED:
        verb = "is" if as_staff else "are"
        return SignupError(f"{who} {verb} already presenting “{reading.title}”.")
    held = _confirmed_count(course, student) - (1 if moving_from else 0)
    if held >= course.max_presentations:
        return SignupError(
            f"{who} already {has} {held} paper{'s' if held != 1 else ''}, the most this "
            f"course allows ({course.max_presentations}). Withdraw from one to take another."
        )
    if _seats_taken(reading) >= reading.presenter_capacity:
        if as_staff:
            return SignupError(f"“{reading.title}” has no free seat left.")
        return SignupError(
            "This paper has no free seat left; you can join its waitlist.",
            can_waitlist=existing is None,
        )
    return None


def _notify_promoted(signup: PresentationSignup) -> None:
    student = signup.student
    if not student.email:
        return
    reading = signup.reading
    send_mail(
        subject=f"You are presenting “{reading.title}”",
        message=(
            f"A seat opened up and you were moved from the waitlist: you are presenting "
            f"“{reading.title}” on {date_format(reading.session.date, 'l, F j')}.\n"
        ),
        from_email=None,
        recipient_list=[student.email],
        fail_silently=True,
    )


def _promote_from_waitlist(course: Course, reading: Reading) -> PresentationSignup | None:
    """Give a freed seat to the first waiting student who is still a student of
    the course and under its maximum (a place kept by someone who has since
    become its TA, or left it, is passed over)."""
    if _seats_taken(reading) >= reading.presenter_capacity:
        return None
    for waiting in reading.signups.waitlisted().select_related("student"):
        if not Membership.objects.is_student(course, waiting.student):
            continue
        if _confirmed_count(course, waiting.student) < course.max_presentations:
            waiting.status = Status.CONFIRMED
            waiting.save(update_fields=["status"])
            transaction.on_commit(lambda s=waiting: _notify_promoted(s))
            return waiting
    return None


def _save_new(signup: PresentationSignup) -> PresentationSignup:
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError as exc:
        # The course lock makes this unreachable for writes through this module;
        # the constraint still answers for anything else.
        raise SignupError("You are already on this paper.") from exc
    return signup


@transaction.atomic
def signup_create(*, reading: Reading, student: AbstractUser) -> PresentationSignup:
    """Take a seat on a paper: the window is open, the paper has a free seat,
    the student is a student of the course, holds fewer than the maximum and
    is not already presenting it. A student on the paper's waitlist who finds
    a free seat is moved up."""
    course, reading = _lock_course(reading)
    _require_student(course, student)
    _require_presentable(reading)
    if problem := board_problem(course):
        raise SignupError(problem)
    if problem := confirm_problem(course=course, reading=reading, student=student):
        raise problem
    existing = reading.signups.filter(student=student).first()
    if existing:  # waitlisted, and now a seat is free
        existing.status = Status.CONFIRMED
        existing.save(update_fields=["status"])
        return existing
    return _save_new(PresentationSignup(reading=reading, student=student, status=Status.CONFIRMED))


@transaction.atomic
def waitlist_join(*, reading: Reading, student: AbstractUser) -> PresentationSignup:
    """Wait for a seat on a full paper, in order of joining. Only a student who
    could still take another presentation may wait."""
    course, reading = _lock_course(reading)
    _require_student(course, student)
    _require_presentable(reading)
    if problem := board_problem(course):
        raise SignupError(problem)
    existing = reading.signups.filter(student=student).first()
    if existing and existing.status == Status.WAITLISTED:
        raise SignupError(f"You are already on the waitlist for “{reading.title}”.")
    problem = confirm_problem(course=course, reading=reading, student=student)
    if problem is None:
        raise SignupError("This paper has a free seat: sign up for it instead.")
    if not problem.can_waitlist:
        raise problem
    return _save_new(PresentationSignup(reading=reading, student=student, status=Status.WAITLISTED))


@transaction.atomic
def signup_withdraw(
    *, reading: Reading, student: AbstractUser, by_staff: bool = False
) -> WithdrawResult:
    """Give up a seat (or a waitlist place) while sign-ups are open; staff may
    withdraw anyone at any time. A freed seat goes to the first waiting
    student who is still under the maximum, in the same transaction."""
    course, reading = _lock_course(reading)
    signup = reading.signups.filter(student=student).first()
    if signup is None:
        raise SignupError(f"You are not signed up for “{reading.title}”.")
    if not by_staff and (problem := window_problem(course)):
        raise SignupError(f"{problem} Ask your instructor to change your presentation.")
    was_confirmed = signup.status == Status.CONFIRMED
    signup.delete()
    promoted = _promote_from_waitlist(course, reading) if was_confirmed else None
    if was_confirmed:
        # Now under this course's maximum, the student may be first in line for
        # a free seat of this course they were passed over for while they were
        # at it. Their places in other courses' waitlists answer to those
        # courses' maximums and locks, and a withdrawal here changes neither.
        waiting_on = Reading.objects.filter(
            session__course=course,
            signups__student=student,
            signups__status=Status.WAITLISTED,
        )
        for other in waiting_on.select_related("session"):
            _promote_from_waitlist(course, other)
    return WithdrawResult(promoted=promoted)


@transaction.atomic
def signup_assign(*, reading: Reading, student: AbstractUser) -> PresentationSignup:
    """Staff put a student on a paper, open window or not, under the same
    seat, maximum and duplicate rules."""
    course, reading = _lock_course(reading)
    _require_student(course, student)
    _require_presentable(reading)
    if problem := confirm_problem(course=course, reading=reading, student=student, as_staff=True):
        raise SignupError(str(problem))
    existing = reading.signups.filter(student=student).first()
    if existing:
        existing.status = Status.CONFIRMED
        existing.save(update_fields=["status"])
        return existing
    return _save_new(PresentationSignup(reading=reading, student=student, status=Status.CONFIRMED))


@transaction.atomic
def signup_move(
    *, signup: PresentationSignup, to_reading: Reading
) -> tuple[PresentationSignup, WithdrawResult]:
    """Staff move a presenter to another paper of the same course in one step:
    the new paper must have a seat, and the old seat goes to its waitlist."""
    course, to_reading = _lock_course(to_reading)
    signup = PresentationSignup.objects.select_related("reading__session").get(pk=signup.pk)
    from_reading = signup.reading
    if from_reading.session.course_id != course.pk:
        raise SignupError("A presenter can only move to a paper of the same course.")
    if from_reading.pk == to_reading.pk:
        raise SignupError("The student is already on that paper.")
    _require_presentable(to_reading)
    moving_from = from_reading if signup.status == Status.CONFIRMED else None
    problem = confirm_problem(
        course=course,
        reading=to_reading,
        student=signup.student,
        moving_from=moving_from,
        as_staff=True,
    )
    if problem:
        raise SignupError(str(problem))
    # A waitlist place on the new paper is replaced by the moved seat.
    to_reading.signups.filter(student=signup.student).delete()
    signup.reading = to_reading
    signup.status = Status.CONFIRMED
    signup.save(update_fields=["reading", "status"])
    promoted = _promote_from_waitlist(course, from_reading) if moving_from else None
    return signup, WithdrawResult(promoted=promoted)


def reading_problems(
    *, reading: Reading, presentable: bool, capacity: int | None
) -> dict[str, str]:
    """What is wrong with giving a saved paper these settings, by field: never
    fewer seats than presenters, never closed to presentations while anyone is
    signed up for it (presenting or waiting)."""
    problems = {}
    if reading.pk is None:
        return problems
    signed_up = PresentationSignup.objects.filter(reading_id=reading.pk)
    if not presentable and (count := signed_up.count()):
        problems["presentable"] = (
            f"{count} student{'s are' if count != 1 else ' is'} signed up for this paper "
            "(presenting or waiting); move or withdraw them before closing it to presentations."
        )
    if capacity is not None and capacity < (presenting := signed_up.confirmed().count()):
        problems["presenter_capacity"] = (
            f"{presenting} students present this paper; move or withdraw presenters "
            "before taking seats away."
        )
    return problems


@transaction.atomic
def reading_save(*, reading: Reading) -> list[PresentationSignup]:
    """Save a paper as staff edit it, under the course lock, so no sign-up can
    slip in between the check and the save (`reading_problems`). Seats it gains
    go at once to the first waiting students still under the maximum, in order,
    and each gets an email."""
    course = Course.objects.select_for_update().get(pk=reading.session.course_id)
    problems = reading_problems(
        reading=reading, presentable=reading.presentable, capacity=reading.presenter_capacity
    )
    if problems:
        raise SignupError(" ".join(problems.values()))
    reading.save()
    promoted = []
    while (signup := _promote_from_waitlist(course, reading)) is not None:
        promoted.append(signup)
    return promoted
