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
from grading.services import participation as scoring


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
    """First the preview of every change; then, confirmed with the preview's
    fingerprint, all of them at once. Nothing is written without a preview."""
    item = get_object_or_404(
        GradeItem.objects.select_related("component"),
        pk=id_or_none(request.POST.get("item")),
        component__course=access.course,
    )
    fingerprint = request.POST.get("fingerprint")
    if fingerprint is not None:
        try:
            changed = scoring.participation_score(
                item=item, by=request.user, fingerprint=fingerprint
            )
        except scoring.PlanChanged as error:
            messages.error(request, str(error))  # and the new preview below
        except GradingError as error:
            messages.error(request, str(error))
            return redirect("grading:participation", slug=access.course.slug)
        else:
            messages.success(
                request,
                f"“{item.title}” scored from poll participation: {len(changed)} score(s) changed.",
            )
            return redirect("grading:participation", slug=access.course.slug)
    try:
        plan = scoring.participation_plan(item=item)
    except GradingError as error:
        messages.error(request, str(error))
        return redirect("grading:participation", slug=access.course.slug)
    context = {"access": access, "course": access.course, "item": item, "plan": plan}
    return render(request, "grading/participation/score_preview.html", context)
