from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.access import STAFF_ROLES, CourseAccess, course_view
from courses.models import Membership
from courses.selectors.polls import participation
from courses.spreadsheets import csv_download
from coursesite.converters import id_or_none
from grading import services
from grading.domain.explanation import explain
from grading.forms import ImportConfirmForm, ImportUploadForm, ScoreFormSet
from grading.models import GradeImport, GradeItem, Score
from grading.selectors import gradebook as selectors
from grading.services.csv_import import grade_import_upload
from grading.services.scores import score_token as stored_token

User = get_user_model()


def course_item(access: CourseAccess, item_id: int) -> GradeItem:
    """An item of the URL's course, or 404 (an item of another course does not exist here)."""
    return get_object_or_404(
        GradeItem.objects.select_related("component"),
        pk=item_id,
        component__course=access.course,
    )


def _staff_only_or_404(access: CourseAccess) -> None:
    # Pages about one student's grades answer 404, not 403, to everyone but the
    # course's staff: a student guessing ids learns nothing, not even that the
    # page exists.
    if not access.is_staff:
        raise Http404("No such page.")


@require_GET
@course_view(roles=STAFF_ROLES)
def gradebook(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    book = selectors.gradebook(course=access.course)
    record = participation(access.course, [grades.student for grades in book.students])
    context = {"access": access, "course": access.course, "book": book}
    context.update(selectors.gradebook_table(book, record))
    return render(request, "grading/gradebook/gradebook.html", context)


@require_http_methods(["GET", "POST"])
@course_view(roles=STAFF_ROLES)
def item_scores(request: HttpRequest, access: CourseAccess, item_id: int) -> HttpResponse:
    item = course_item(access, item_id)
    students = selectors.course_students(access.course)
    scores = {s.student_id: s for s in Score.objects.filter(item=item, student__in=students)}
    if request.method == "POST":
        formset = ScoreFormSet(request.POST, item=item, students=len(students), prefix="scores")
        if formset.is_valid():
            saved, formset = _scores_save(request, item, formset, students)
            if saved:
                return redirect("grading:item_scores", slug=access.course.slug, item_id=item.pk)
        else:
            messages.error(request, "Nothing was saved: correct the marked cells and save again.")
    else:
        formset = ScoreFormSet(
            initial=_score_rows(students, scores),
            item=item,
            students=len(students),
            prefix="scores",
        )

    by_id = {student.pk: student for student in students}
    rows = []
    for form in formset.forms:
        student_id = id_or_none(form["student"].value())
        student = by_id.get(student_id)
        name = (student.get_full_name() or student.get_username()) if student else "Unknown"
        rows.append((student, name, form, scores.get(student_id)))
    context = {
        "access": access,
        "course": access.course,
        "item": item,
        "formset": formset,
        "rows": rows,
        "graded": sum(1 for s in scores.values() if s.points is not None or s.excused),
        "student_count": len(students),
    }
    return render(request, "grading/gradebook/item_scores.html", context)


def _score_rows(students, scores: dict[int, Score]) -> list[dict]:
    rows = []
    for student in students:
        score = scores.get(student.pk)
        rows.append(
            {
                "student": student.pk,
                "was": stored_token(score),
                "points": selectors.points_text(score.points) if score else "",
                "excused": score.excused if score else False,
                "comment": score.comment if score else "",
            }
        )
    return rows


def _scores_save(request, item, formset, students):
    """Save the rows the grader edited, all or none. The score service refuses
    rows that someone else changed since the page was drawn, and students no
    longer in the course; those rows are shown again with the current value,
    and saving again confirms the grader's value."""
    edited = [(index, form.cleaned_data) for index, form in enumerate(formset.forms) if form.edited]
    listed = {student.pk: student for student in students}
    changes, rows, unknown = [], {}, []
    for index, data in edited:
        student = listed.get(data["student"])
        if student is None:
            unknown.append(index)
            continue
        rows[student.pk] = index
        changes.append(
            services.ScoreChange(
                item,
                student,
                data["new_points"],
                data["new_excused"],
                data["comment"],
                expected=data["was"],
            )
        )
    # A row naming none of the students the page lists (one who left, or an id
    # typed in) is refused like a student the score service finds gone.
    conflict = services.ScoreConflict("A row names no student of the course.") if unknown else None
    if conflict is None:
        try:
            changed = services.scores_set(changes=changes, by=request.user)
        except services.ScoreConflict as error:
            conflict = error
        except services.GradingError as error:
            messages.error(request, f"Nothing was saved: {error}")
            return False, formset
    if conflict is not None:
        return False, _conflicts_shown(request, item, students, rows, unknown, conflict)
    if changed:
        messages.success(request, f"Saved {len(changed)} score(s) for “{item.title}”.")
    else:
        messages.info(request, "Nothing to save: no score was changed.")
    return True, formset


def _conflicts_shown(request, item, students, rows, unknown, conflict):
    """The grader's rows again, each refused one marked: a score changed
    meanwhile shows its current value (saving again keeps the grader's), a
    student no longer in the course says so."""
    data = request.POST.copy()
    stale = {rows[student_id]: score for (_, student_id), score in conflict.stale.items()}
    for index, score in stale.items():
        data[f"scores-{index}-was"] = stored_token(score)
    formset = ScoreFormSet(data, item=item, students=len(students), prefix="scores")
    formset.is_valid()
    for index, score in stale.items():
        now = selectors.mark_text(score) or "empty"
        formset.forms[index].add_error(
            "points",
            f"Someone else changed this score while you were editing (now {now}). "
            "Check it; saving again keeps what you entered.",
        )
    for index in unknown + [rows[student_id] for student_id in conflict.gone]:
        formset.forms[index].add_error(None, "This student is no longer in the course.")
    messages.error(request, "Nothing was saved: some scores changed meanwhile; see below.")
    return formset


@require_POST
@course_view(roles=STAFF_ROLES)
def item_release(request: HttpRequest, access: CourseAccess, item_id: int) -> HttpResponse:
    item = course_item(access, item_id)
    release = request.POST.get("released") == "1"
    services.item_release(item=item, released=release, by=request.user)
    if release:
        messages.success(request, f"“{item.title}” is released: students see their scores.")
    else:
        messages.success(request, f"“{item.title}” is hidden from students again.")
    return redirect("grading:item_scores", slug=access.course.slug, item_id=item.pk)


@require_GET
@course_view(members_only=True)
def score_history(request: HttpRequest, access: CourseAccess, score_id: int) -> HttpResponse:
    _staff_only_or_404(access)
    score = get_object_or_404(
        Score.objects.select_related("item__component", "student"),
        pk=score_id,
        item__component__course=access.course,
    )
    records = list(score.history.select_related("history_user").order_by("history_date"))
    entries = []
    previous = None
    for record in records:
        entries.append(
            {
                "record": record,
                "before": selectors.mark_text(previous) if previous else "",
                "after": selectors.mark_text(record),
                "comment_changed": previous is not None and previous.comment != record.comment,
            }
        )
        previous = record
    entries.reverse()
    context = {"access": access, "course": access.course, "score": score, "entries": entries}
    return render(request, "grading/gradebook/score_history.html", context)


@require_GET
@course_view(members_only=True)
def student_grades(request: HttpRequest, access: CourseAccess, student_id: int) -> HttpResponse:
    _staff_only_or_404(access)
    student = get_object_or_404(
        User,
        pk=student_id,
        memberships__in=Membership.objects.students_of(access.course),
    )
    as_student = request.GET.get("view") == "student"
    return _grades_page(request, access, student, student_view=as_student)


@require_GET
@course_view(roles=[Membership.Role.STUDENT])
def my_grades(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    return _grades_page(request, access, request.user, student_view=True)


def _grades_page(request, access: CourseAccess, student, *, student_view: bool) -> HttpResponse:
    items, grades, scale = selectors.student_grades(
        course=access.course, student=student, student_view=student_view
    )
    record = participation(access.course, [student]).get(student.pk)
    context = {
        "access": access,
        "course": access.course,
        "student": student,
        "polls": record if record and record.held else None,
        "polls_after": selectors.participation_index(
            [c.component for c in grades.current.components]
        ),
        "student_view": student_view,
        "grades": grades,
        "current": explain(grades.current, grades.scores, items, scale),
        "projected": explain(grades.projected, grades.scores, items, scale),
        "is_self": student.pk == request.user.pk,
    }
    return render(request, "grading/gradebook/student_grades.html", context)


@require_GET
@course_view(roles=STAFF_ROLES)
def gradebook_export(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    course = access.course
    book = selectors.gradebook(course=course)
    response, writer = csv_download(f"{course.slug}-grades.csv")
    for row in selectors.gradebook_csv_rows(book):
        writer.writerow(row)
    return response


@require_http_methods(["GET", "POST"])
@course_view(roles=STAFF_ROLES)
def gradebook_import(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            grade_import = grade_import_upload(
                course=access.course, upload=form.cleaned_data["file"], by=request.user
            )
        except services.GradingError as error:
            form.add_error("file", str(error))
        else:
            return redirect(
                "grading:gradebook_import_preview",
                slug=access.course.slug,
                import_id=grade_import.pk,
            )
    context = {
        "access": access,
        "course": access.course,
        "form": form,
        "recent": GradeImport.objects.filter(course=access.course).select_related("uploaded_by")[
            :5
        ],
    }
    return render(request, "grading/gradebook/import.html", context)


@require_http_methods(["GET", "POST"])
@course_view(roles=STAFF_ROLES)
def gradebook_import_preview(
    request: HttpRequest, access: CourseAccess, import_id: int
) -> HttpResponse:
    grade_import = get_object_or_404(GradeImport, pk=import_id, course=access.course)
    if request.method == "POST":
        form = ImportConfirmForm(request.POST)
        if form.is_valid():
            try:
                count = services.gradebook_import(
                    grade_import=grade_import,
                    by=request.user,
                    fingerprint=form.cleaned_data["fingerprint"],
                )
            except services.GradingError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, f"Imported {grade_import.filename}: {count} score(s) changed."
                )
                return redirect("grading:gradebook", slug=access.course.slug)
        return redirect(request.path)
    plan = services.import_plan(course=access.course, text=grade_import.content)
    context = {
        "access": access,
        "course": access.course,
        "grade_import": grade_import,
        "plan": plan,
        "form": ImportConfirmForm(initial={"fingerprint": plan.fingerprint}),
        "upload_url": reverse("grading:gradebook_import", args=[access.course.slug]),
    }
    return render(request, "grading/gradebook/import_preview.html", context)
