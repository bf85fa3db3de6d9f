"""Presentation sign-ups: the paper board, a student's sign-up, waitlist and
withdraw actions, and the staff's list of who presents what."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from courses.access import STAFF_ROLES, CourseAccess, course_view
from courses.models import Course, Membership, Reading
from courses.selectors import signups as selectors
from courses.services import signups
from courses.spreadsheets import csv_download


@require_GET
@course_view(members_only=True)
def paper_board(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    course = access.course
    rows = selectors.signup_board(course=course, user=request.user)
    mine = [row for row in rows if row.mine is not None]
    context = {
        "access": access,
        "course": course,
        "rows": rows,
        "mine": mine,
        "presenting_count": sum(1 for row in mine if row.i_present),
        "window_problem": signups.window_problem(course),
        "ranked": course.signup_mode == Course.SignupMode.RANKED,
    }
    return render(request, "courses/signups/paper_board.html", context)


def _paper_action(
    request: HttpRequest, access: CourseAccess, reading_id: int, action: Callable[[Reading], str]
) -> HttpResponse:
    """Run a student's sign-up action on a paper of this course and go back to
    the board, saying what happened or why nothing did."""
    reading = get_object_or_404(
        Reading.objects.select_related("session"),
        pk=reading_id,
        session__course=access.course,
        presentable=True,
    )
    try:
        messages.success(request, action(reading))
    except signups.SignupError as error:
        messages.error(request, str(error))
    return redirect("courses:papers", slug=access.course.slug)


def _session_day(reading: Reading) -> str:
    return date_format(reading.session.date, "l, F j")


@require_POST
@course_view(roles=[Membership.Role.STUDENT])
def paper_signup(request: HttpRequest, access: CourseAccess, reading_id: int) -> HttpResponse:
    def sign_up(reading: Reading) -> str:
        signups.signup_create(reading=reading, student=request.user)
        return f"You are presenting “{reading.title}” on {_session_day(reading)}."

    return _paper_action(request, access, reading_id, sign_up)


@require_POST
@course_view(roles=[Membership.Role.STUDENT])
def paper_waitlist(request: HttpRequest, access: CourseAccess, reading_id: int) -> HttpResponse:
    def join(reading: Reading) -> str:
        signups.waitlist_join(reading=reading, student=request.user)
        return (
            f"You are on the waitlist for “{reading.title}”. If a seat frees up and you "
            "are still under the maximum, you will present it and get an email."
        )

    return _paper_action(request, access, reading_id, join)


@require_POST
@course_view(roles=[Membership.Role.STUDENT])
def paper_withdraw(request: HttpRequest, access: CourseAccess, reading_id: int) -> HttpResponse:
    def withdraw(reading: Reading) -> str:
        signups.signup_withdraw(reading=reading, student=request.user)
        return f"You withdrew from “{reading.title}”."

    return _paper_action(request, access, reading_id, withdraw)


@require_GET
@course_view(roles=STAFF_ROLES)
def paper_assignments(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    course = access.course
    roster = selectors.signup_roster(course=course)
    context = {
        "access": access,
        "course": course,
        "roster": roster,
        "below_minimum": [e for e in roster if len(e.presenting) < course.min_presentations],
        "rows": selectors.signup_board(course=course, user=request.user),
    }
    return render(request, "courses/signups/paper_assignments.html", context)


@require_GET
@course_view(roles=STAFF_ROLES)
def paper_assignments_csv(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    course = access.course
    response, writer = csv_download(f"{course.slug}-presentations.csv")
    writer.writerow(["Date", "Session", "Paper", "Student", "Username", "Email", "Status"])
    for row in selectors.signup_board(course=course, user=request.user):
        for signup in row.presenters + row.waitlist:
            student = signup.student
            writer.writerow(
                [
                    row.reading.session.date.isoformat(),
                    row.reading.session.title,
                    row.reading.title,
                    student.get_full_name(),
                    student.get_username(),
                    student.email,
                    signup.get_status_display(),
                ]
            )
    return response
