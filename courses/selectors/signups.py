"""Reads of presentation sign-ups: who presents what, the board a student signs
up from, and the staff's roster of assignments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from courses.models import (
    Course,
    Membership,
    PresentationSignup,
    Reading,
    Session,
)


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
        Membership.objects.students_of(course)
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
