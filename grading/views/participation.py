"""Poll participation as a grade: the record of who answered the course's
polls, per session, and scoring a gradebook item from it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from courses.access import STAFF_ROLES, CourseAccess, course_view
from courses.models import Session
from courses.selectors import polls as poll_results
from coursesite.converters import id_or_none
from grading.models import GradeItem
from grading.services import GradingError
from grading.services.participation import participation_score as participation_score_set


@require_GET
@course_view(roles=STAFF_ROLES)
def participation(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    course = access.course
    rows = sorted(
        poll_results.participation(course).values(),
        key=lambda r: (r.student.last_name, r.student.first_name, r.student.username),
    )
    sessions = list(
        Session.objects.filter(course=course, polls__state__in=["open", "closed"])
        .distinct()
        .order_by("date", "start_time")
    )
    items = (
        GradeItem.objects.of_course(course)
        .select_related("component")
        .filter(component__is_participation=True)
    )
    context = {
        "access": access,
        "course": course,
        "rows": [(row, [row.by_session.get(s.pk, (0, 0)) for s in sessions]) for row in rows],
        "sessions": sessions,
        "items": items or GradeItem.objects.of_course(course).select_related("component"),
    }
    return render(request, "grading/participation/participation.html", context)


@require_POST
@course_view(roles=STAFF_ROLES)
def participation_score(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    item = get_object_or_404(
        GradeItem, pk=id_or_none(request.POST.get("item")), component__course=access.course
    )
    try:
        changed = participation_score_set(item=item, by=request.user)
    except GradingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"“{item.title}” scored from poll participation: {len(changed)} score(s) changed.",
        )
    return redirect("grading:participation", slug=access.course.slug)
