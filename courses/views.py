from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors
from .access import CourseAccess, course_view
from .calendar import course_calendar
from .models import Course


@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.visible_to(request.user)
    return render(request, "courses/course_list.html", {"courses": courses})


@require_GET
@course_view()
def course_home(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    context = {"access": access, "course": access.course}
    context.update(selectors.course_home_context(course=access.course))
    return render(request, "courses/course_home.html", context)


@require_GET
@course_view()
def schedule(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    sessions = list(selectors.session_list(course=access.course))
    weeks, next_session = selectors.schedule_weeks(sessions)
    context = {
        "access": access,
        "course": access.course,
        "weeks": weeks,
        "next_session": next_session,
    }
    return render(request, "courses/schedule.html", context)


@require_GET
@course_view()
def resources(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    context = {
        "access": access,
        "course": access.course,
        "resources": selectors.resource_list(course=access.course),
    }
    return render(request, "courses/resources.html", context)


@require_GET
@course_view()
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
