from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from courses.access import CourseAccess, course_view
from courses.selectors import course as selectors
from courses.selectors.calendar import course_calendar
from courses.selectors.signups import session_list_with_presenters
from coursesite.caching import cache_public_page


@require_safe
@course_view()
@cache_public_page
def course_home(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    context = {"access": access, "course": access.course}
    context.update(selectors.course_home_context(course=access.course))
    return render(request, "courses/course/home.html", context)


@require_safe
@course_view()
@cache_public_page
def schedule(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    if access.is_member:
        sessions = list(session_list_with_presenters(course=access.course))
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
    return render(request, "courses/course/schedule.html", context)


@require_safe
@course_view()
@cache_public_page
def resources(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    context = {
        "access": access,
        "course": access.course,
        "resources": selectors.resource_list(course=access.course),
    }
    return render(request, "courses/course/resources.html", context)


@require_safe
@course_view()
@cache_public_page
def calendar_feed(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    sessions = list(selectors.session_list(course=access.course))
    body = course_calendar(access.course, sessions, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{access.course.slug}.ics"'
    return response
