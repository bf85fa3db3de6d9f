"""Pages for handing in work, grading it, and reading a session's responses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from courses.access import STAFF_ROLES, CourseAccess, course_view
from courses.models import Membership, PresentationSignup, Session
from coursesite.converters import id_or_none
from grading import services
from grading.domain.lateness import late_by_text, late_deduction
from grading.domain.text import points_text
from grading.forms import SubmissionForm, SubmissionGradeForm
from grading.models import GradeItem, Submission
from grading.selectors.work import (
    QUEUE_FILTERS,
    item_queue,
    late_policy,
    queue_filter,
    student_work,
)
from grading.services.submissions import (
    item_deadline,
    submission_problem,
    submission_save,
    submission_score_set,
)
from grading.views.gradebook import course_item as _item

User = get_user_model()


@require_GET
@course_view(roles=[Membership.Role.STUDENT])
def my_work(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    rows = student_work(course=access.course, student=request.user)
    context = {"access": access, "course": access.course, "rows": rows}
    return render(request, "grading/submissions/work_list.html", context)


@require_http_methods(["GET", "POST"])
@course_view(roles=[Membership.Role.STUDENT])
def work_submit(request: HttpRequest, access: CourseAccess, item_id: int) -> HttpResponse:
    item = _item(access, item_id)
    if not item.takes_submissions:
        raise Http404("This item does not take submissions.")
    submission = Submission.objects.filter(item=item, student=request.user).first()
    has_file = bool(submission and submission.file)
    preview = None
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, item=item, has_file=has_file)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = data.get("text", "")
                if data.get("file"):
                    messages.info(request, "Choose the file again when you hand in.")
            else:
                try:
                    submission_save(
                        item=item,
                        student=request.user,
                        text=data.get("text", ""),
                        url=data.get("url", ""),
                        file=data.get("file") or None,
                        keep_file=not data.get("remove_file"),
                    )
                except services.GradingError as error:
                    messages.error(request, f"Not handed in: {error}")
                else:
                    messages.success(request, f"Handed in “{item.title}”.")
                    return redirect("grading:work_submit", slug=access.course.slug, item_id=item.pk)
    else:
        initial = {"text": submission.text, "url": submission.url} if submission else {}
        form = SubmissionForm(initial=initial, item=item, has_file=has_file)

    row = next(iter(student_work(course=access.course, student=request.user, item=item)), None)
    context = {
        "access": access,
        "course": access.course,
        "item": item,
        "form": form,
        "submission": submission,
        "row": row,
        "preview": preview,
        "problem": submission_problem(item, timezone.now()),
        "deadline": item_deadline(item),
        "late_text": late_by_text(row.lateness) if row else "",
    }
    return render(request, "grading/submissions/work_submit.html", context)


@require_GET
@course_view(members_only=True)
def submission_file(request: HttpRequest, access: CourseAccess, submission_id: int) -> HttpResponse:
    """A handed-in file, to its author and the course's staff only (404 to anyone
    else: the id reveals nothing). Staff may ask for an earlier version."""
    submission = get_object_or_404(
        Submission, pk=submission_id, item__component__course=access.course
    )
    if not access.is_staff and submission.student_id != request.user.pk:
        raise Http404("No such file.")
    name = submission.file.name
    version = request.GET.get("version")
    if version:
        if not access.is_staff:
            raise Http404("No such file.")
        history_id = id_or_none(version)
        record = (
            submission.history.filter(history_id=history_id).first()
            if history_id is not None
            else None
        )
        if record is None:
            raise Http404("No such version.")
        name = record.file  # history keeps the stored name
    if not name:
        raise Http404("No file was handed in.")
    storage = submission.file.storage
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    # Always a download, never shown inline: an uploaded file is not our page.
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type="application/octet-stream",
    )


@require_GET
@course_view(roles=STAFF_ROLES)
def item_submissions(request: HttpRequest, access: CourseAccess, item_id: int) -> HttpResponse:
    item = _item(access, item_id)
    show = request.GET.get("show", "all")
    if show not in QUEUE_FILTERS:
        show = "all"
    rows = item_queue(item=item, show=show)
    context = {
        "access": access,
        "course": access.course,
        "item": item,
        "rows": rows,
        "show": show,
        "filters": QUEUE_FILTERS,
    }
    return render(request, "grading/submissions/item_submissions.html", context)


@require_http_methods(["GET", "POST"])
@course_view(roles=STAFF_ROLES)
def submission_grade(
    request: HttpRequest, access: CourseAccess, item_id: int, student_id: int
) -> HttpResponse:
    item = _item(access, item_id)
    show = request.GET.get("show", "all")
    if show not in QUEUE_FILTERS:
        show = "all"
    rows = item_queue(item=item, show="all")
    row = next((r for r in rows if r.student.pk == student_id), None)
    if row is None:
        raise Http404("No such student in this course.")
    listed = queue_filter(rows, show)
    position = next((n for n, r in enumerate(listed) if r.student.pk == student_id), None)
    if position is None:  # e.g. just graded, so no longer "not graded": go on from the top
        previous_row, next_row = None, (listed[0] if listed else None)
    else:
        previous_row = listed[position - 1] if position else None
        next_row = listed[position + 1] if position + 1 < len(listed) else None

    policy = late_policy(item)
    penalized_days = row.lateness.penalized
    if request.method == "POST":
        form = SubmissionGradeForm(request.POST, item=item)
        if form.is_valid():
            data = form.cleaned_data
            excused = data["new_excused"]
            try:
                _, points = submission_score_set(
                    item=item,
                    student=row.student,
                    points=data["new_points"],
                    excused=excused,
                    comment=data.get("comment", ""),
                    late_penalty=bool(data.get("apply_late_penalty")),
                    by=request.user,
                )
            except services.GradingError as error:
                messages.error(request, f"Not saved: {error}")
            else:
                name = row.student.get_full_name() or row.student.get_username()
                saved = "EX" if excused else points_text(points) or "empty"
                messages.success(request, f"Saved {name}: {saved}.")
                target = next_row or row
                url = reverse(
                    "grading:submission_grade",
                    args=[access.course.slug, item.pk, target.student.pk],
                )
                return redirect(f"{url}?show={show}")
    else:
        score = row.score
        form = SubmissionGradeForm(
            initial={
                "points": "EX"
                if score and score.excused
                else points_text(score.points)
                if score
                else "",
                "comment": score.comment if score else "",
                # Only for a first grade: a stored score already has what the
                # grader decided about lateness, and must not lose it twice.
                "apply_late_penalty": bool(
                    penalized_days and policy.percent_per_day and not row.graded
                ),
            },
            item=item,
        )
    versions = []
    if row.submission:
        for record in row.submission.history.order_by("-history_date")[1:]:
            record.file_name = record.file.rsplit("/", 1)[-1] if record.file else ""
            versions.append(record)
    full = item.points_possible
    context = {
        "access": access,
        "course": access.course,
        "item": item,
        "row": row,
        "form": form,
        "versions": versions,
        "show": show,
        "previous_row": previous_row,
        "next_row": next_row,
        "position": None if position is None else position + 1,
        "count": len(listed),
        "late_text": late_by_text(row.lateness),
        "policy": policy,
        "example_deduction": late_deduction(full, full, penalized_days, policy),
    }
    return render(request, "grading/submissions/submission_grade.html", context)


@require_GET
@course_view(members_only=True)
def session_responses(request: HttpRequest, access: CourseAccess, session_id: int) -> HttpResponse:
    """The reading responses for one session, for its presenters to prepare from
    and for the staff. Names are shown to presenters only if the course allows."""
    session = get_object_or_404(Session, pk=session_id, course=access.course)
    presents = PresentationSignup.objects.filter(
        reading__session=session,
        student=request.user,
        status=PresentationSignup.Status.CONFIRMED,
    ).exists()
    if not (access.is_staff or presents):
        raise PermissionDenied("Only this session's presenters and the staff read its responses.")
    items = list(GradeItem.objects.filter(session=session, component__course=access.course))
    submissions = (
        Submission.objects.filter(item__in=items)
        .select_related("student", "item")
        .order_by("item__order", "submitted_at")
    )
    context = {
        "access": access,
        "course": access.course,
        "session": session,
        "items": items,
        "submissions": list(submissions),
        "show_names": access.is_staff or access.course.share_response_names,
    }
    return render(request, "grading/submissions/session_responses.html", context)
