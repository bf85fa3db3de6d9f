"""Pages for ranked preferences: a student's ranking, and the instructor's
assignment runs (preview, adjust, publish)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from courses.access import CourseAccess, course_view
from courses.models import AssignmentRun, Membership, Reading, Session
from courses.services import CourseError, ranking
from coursesite.converters import id_or_none

INSTRUCTORS = [Membership.Role.INSTRUCTOR]


@require_http_methods(["GET", "POST"])
@course_view(roles=[Membership.Role.STUDENT])
def paper_rank(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    course = access.course
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "blackouts":
                ranked, _ = ranking.preferences_of(course, request.user)
                sessions = [id_or_none(v) for v in request.POST.getlist("blackout")]
                if None in sessions:
                    raise CourseError("That is not a session of this course.")
                ranking.preferences_set(
                    course=course,
                    student=request.user,
                    reading_ids=[r.pk for r in ranked],
                    blackout_session_ids=sessions,
                )
                messages.success(request, "Saved the sessions you cannot present in.")
            else:
                reading_id = id_or_none(request.POST.get("reading"))
                if reading_id is None:
                    raise CourseError("Choose a paper.")
                ranking.preference_change(
                    course=course, student=request.user, reading_id=reading_id, action=action
                )
                messages.success(request, "Your ranking is saved.")
        except CourseError as error:
            messages.error(request, str(error))
        anchor = f"#paper-{request.POST.get('reading')}" if request.POST.get("reading") else ""
        return redirect(request.path + anchor)

    ranked, blackout = ranking.preferences_of(course, request.user)
    ranked_ids = {r.pk for r in ranked}
    papers = list(
        Reading.objects.filter(session__course=course, presentable=True)
        .exclude(session__cancelled=True)
        .select_related("session")
        .order_by("session__date", "session__start_time", "order")
    )
    sessions = list(
        Session.objects.filter(course=course, readings__presentable=True, cancelled=False)
        .distinct()
        .order_by("date", "start_time")
    )
    context = {
        "access": access,
        "course": course,
        "ranked": ranked,
        "unranked": [p for p in papers if p.pk not in ranked_ids],
        "sessions": sessions,
        "blackout": blackout,
        "problem": ranking.ranking_problem(course),
        "assigned": list(
            request.user.presentation_signups.filter(reading__session__course=course)
            .select_related("reading__session")
            .filter(status="confirmed")
        ),
    }
    return render(request, "courses/ranking/paper_rank.html", context)


@require_http_methods(["GET", "POST"])
@course_view(roles=INSTRUCTORS)
def assignment_home(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    course = access.course
    if request.method == "POST":
        raw_seed = request.POST.get("seed", "").strip()
        try:
            seed = id_or_none(raw_seed) if raw_seed else None
            if raw_seed and seed is None:
                raise CourseError("The seed is a whole number, for example 7.")
            run = ranking.assignment_run(course=course, by=request.user, seed=seed)
        except CourseError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Solved in {run.solve_seconds:.1f} s. Check it, then publish."
            )
            return redirect("courses:assignment_run", slug=course.slug, run_id=run.pk)
        return redirect("courses:assignment", slug=course.slug)
    students, _, _ = ranking.assignment_inputs(course)
    names = {
        m.user_id: m.user for m in Membership.objects.students_of(course).select_related("user")
    }
    context = {
        "access": access,
        "course": course,
        "below": [names[s.id] for s in students if len(s.ranking) < course.rank_min],
        "student_count": len(students),
        "runs": AssignmentRun.objects.filter(course=course)[:10],
        "window_problem": ranking.ranking_problem(course),
    }
    return render(request, "courses/ranking/assignment.html", context)


def _summary(rows, names, readings, unranked_rank: int) -> dict:
    by_student: dict[int, list] = {}
    for student_id, reading_id, rank in rows:
        by_student.setdefault(student_id, []).append((readings.get(reading_id), rank))
    ranks = [rank if rank is not None else unranked_rank for _, _, rank in rows]
    histogram = Counter(rank for _, _, rank in rows)
    labels = sorted(k for k in histogram if k is not None)
    return {
        "students": sorted(
            ((names[sid], papers) for sid, papers in by_student.items() if sid in names),
            key=lambda item: (item[0].last_name, item[0].first_name, item[0].username),
        ),
        "histogram": [(rank, histogram[rank]) for rank in labels]
        + ([("not ranked", histogram[None])] if histogram[None] else []),
        "mean": f"{sum(ranks) / len(ranks):.2f}" if ranks else "—",
        "worst": max(ranks) if ranks else "—",
        "unranked": histogram[None],
        "missing": [names[sid] for sid in names if sid not in by_student],
    }


@require_http_methods(["GET", "POST"])
@course_view(roles=INSTRUCTORS)
def assignment_run(request: HttpRequest, access: CourseAccess, run_id: int) -> HttpResponse:
    course = access.course
    run = get_object_or_404(AssignmentRun, pk=run_id, course=course)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                count = ranking.assignment_publish(run=run)
                messages.success(request, f"Published: {count} presentation(s) on the board.")
                return redirect("courses:papers", slug=course.slug)
            student_id = id_or_none(request.POST.get("student"))
            if student_id is None:
                raise CourseError("Choose a student.")
            ranking.assignment_adjust(
                run=run,
                student_id=student_id,
                remove=id_or_none(request.POST.get("remove")),
                add=id_or_none(request.POST.get("add")),
            )
            messages.success(request, "Changed. The preview below is up to date.")
        except CourseError as error:
            messages.error(request, str(error))
        return redirect("courses:assignment_run", slug=course.slug, run_id=run.pk)

    names = {
        m.user_id: m.user for m in Membership.objects.students_of(course).select_related("user")
    }
    readings = Reading.objects.select_related("session").in_bulk(
        [row[1] for row in run.result.get("placements", [])]
        + [row[1] for row in run.first_come.get("placements", [])]
    )
    unranked_rank = course.rank_max + 1
    context = {
        "access": access,
        "course": course,
        "run": run,
        "optimal": _summary(run.result.get("placements", []), names, readings, unranked_rank),
        "first_come": _summary(
            run.first_come.get("placements", []), names, readings, unranked_rank
        ),
        "first_come_short": [names[s] for s in run.first_come.get("short", []) if s in names],
        "papers": Reading.objects.filter(session__course=course, presentable=True)
        .select_related("session")
        .order_by("session__date", "order"),
        "names": sorted(names.values(), key=lambda u: (u.last_name, u.first_name)),
    }
    return render(request, "courses/ranking/assignment_run.html", context)
