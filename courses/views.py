from __future__ import annotations

import sys
from collections.abc import Callable

from django.contrib import messages
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from coursesite.caching import cache_public_page

from . import selectors, signups
from .access import STAFF_ROLES, CourseAccess, course_view
from .calendar import course_calendar
from .models import Course, Membership, Reading
from .spreadsheets import csv_download


@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.visible_to(request.user)
    return render(request, "courses/course_list.html", {"courses": courses})


@require_safe
@course_view()
@cache_public_page
def course_home(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    context = {"access": access, "course": access.course}
    context.update(selectors.course_home_context(course=access.course))
    return render(request, "courses/course_home.html", context)


@require_safe
@course_view()
@cache_public_page
def schedule(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    if access.is_member:
        sessions = list(selectors.session_list_with_presenters(course=access.course))
    else:
        # Who presents is shown to the course's members only, not to the public.
        sessions = list(selectors.session_list(course=access.course))
    weeks, next_session = selectors.schedule_weeks(sessions)
    context = {
        "access": access,
        "course": access.course,
        "weeks": weeks,
        "next_session": next_session,
    }
    return render(request, "courses/schedule.html", context)


@require_safe
@course_view()
@cache_public_page
def resources(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    context = {
        "access": access,
        "course": access.course,
        "resources": selectors.resource_list(course=access.course),
    }
    return render(request, "courses/resources.html", context)


@require_safe
@course_view()
@cache_public_page
def calendar_feed(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    sessions = list(selectors.session_list(course=access.course))
    body = course_calendar(access.course, sessions, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{access.course.slug}.ics"'
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


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
    return render(request, "courses/paper_board.html", context)


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
    return render(request, "courses/paper_assignments.html", context)


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


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; while the database is unreachable (a restart, a failover),
    a 503 that says to try again, instead of an error page."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
    return render(request, "500.html", status=500)
