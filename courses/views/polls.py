"""Pages for in-class polls: the class's list, answering, the presenter view
with live counts, the CSV of answers, and the participation record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from courses.access import STAFF_ROLES, CourseAccess, course_access, course_view
from courses.forms import PollForm
from courses.models import Membership, Poll, PollAnswer
from courses.selectors import polls as poll_results
from courses.services import polls
from courses.spreadsheets import csv_download
from coursesite.converters import id_or_none


def _poll(access: CourseAccess, poll_id: int) -> Poll:
    poll = get_object_or_404(
        Poll.objects.select_related("session").prefetch_related("choices"),
        pk=poll_id,
        course=access.course,
    )
    if poll.state == Poll.State.DRAFT and not access.is_staff:
        raise Http404("No such poll.")  # drafts are the staff's until opened
    return poll


@require_GET
@course_view(members_only=True)
def poll_list(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    course = access.course
    visible = Poll.objects.filter(course=course).select_related("session")
    if not access.is_staff:
        visible = visible.held()
    visible = visible.prefetch_related(
        "choices",
        Prefetch(
            "answers",
            queryset=PollAnswer.objects.filter(student=request.user).prefetch_related("choices"),
            to_attr="mine",
        ),
    )
    polls_ = list(visible)
    today = course.today()
    open_now = [p for p in polls_ if p.is_open]
    # Today's session's open polls come first: that is what the class is asked now.
    open_now.sort(key=lambda p: (not (p.session and p.session.date == today), -p.pk))
    context = {
        "access": access,
        "course": course,
        "open_polls": open_now,
        "other_polls": [p for p in polls_ if not p.is_open],
        "form": PollForm(course=course) if access.is_staff else None,
    }
    return render(request, "courses/polls/poll_list.html", context)


@require_POST
@course_view(roles=STAFF_ROLES)
def poll_create(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    form = PollForm(request.POST, course=access.course)
    if form.is_valid():
        data = form.cleaned_data
        try:
            poll = polls.poll_create(
                course=access.course,
                question=data["question"],
                kind=data["kind"],
                choices=data["choices"].splitlines(),
                session=data["session"],
                anonymous=data["anonymous"],
                results=data["results"],
            )
        except polls.PollError as error:
            messages.error(request, f"Not created: {error}")
        else:
            messages.success(request, "Poll created as a draft: open it when the class is ready.")
            return redirect("courses:poll", slug=access.course.slug, poll_id=poll.pk)
    else:
        messages.error(
            request, "Not created: " + " ".join(e for es in form.errors.values() for e in es)
        )
    return redirect("courses:polls", slug=access.course.slug)


@require_GET
@course_view(members_only=True)
def poll_detail(request: HttpRequest, access: CourseAccess, poll_id: int) -> HttpResponse:
    poll = _poll(access, poll_id)
    mine = None
    if access.is_student:
        mine = (
            PollAnswer.objects.filter(poll=poll, student=request.user)
            .prefetch_related("choices")
            .first()
        )
    show_results = access.is_staff or poll.results_visible_to_students()
    context = {
        "access": access,
        "course": access.course,
        "poll": poll,
        "mine": mine,
        "my_choice_ids": {c.pk for c in mine.choices.all()} if mine else set(),
        "results": poll_results.poll_results(poll) if show_results else None,
        "short_url": request.build_absolute_uri(reverse("poll_short", args=[poll.pk])),
    }
    return render(request, "courses/polls/poll_detail.html", context)


@require_POST
@course_view(roles=[Membership.Role.STUDENT])
def poll_answer(request: HttpRequest, access: CourseAccess, poll_id: int) -> HttpResponse:
    poll = _poll(access, poll_id)
    choice_ids = [id_or_none(value) for value in request.POST.getlist("choice")]
    if None in choice_ids:
        messages.error(request, "Choose one of this poll's answers.")
        return redirect("courses:poll", slug=access.course.slug, poll_id=poll.pk)
    try:
        polls.poll_answer(
            poll=poll,
            student=request.user,
            choice_ids=choice_ids,
            text=request.POST.get("text", ""),
        )
    except polls.PollError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Answer recorded. You can change it while the poll is open.")
    return redirect("courses:poll", slug=access.course.slug, poll_id=poll.pk)


@require_POST
@course_view(roles=STAFF_ROLES)
def poll_state(request: HttpRequest, access: CourseAccess, poll_id: int) -> HttpResponse:
    poll = _poll(access, poll_id)
    state = request.POST.get("state", "")
    if state not in (Poll.State.OPEN, Poll.State.CLOSED):
        messages.error(request, "Choose to open or to close the poll.")
    else:
        try:
            poll = polls.poll_state_set(poll=poll, state=state)
        except polls.PollError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The poll is {poll.get_state_display().lower()}.")
    return redirect("courses:poll", slug=access.course.slug, poll_id=poll.pk)


@never_cache
@require_GET
@course_view(members_only=True)
def poll_results_json(request: HttpRequest, access: CourseAccess, poll_id: int) -> HttpResponse:
    """The live counts the presenter view polls every few seconds."""
    poll = _poll(access, poll_id)
    if not (access.is_staff or poll.results_visible_to_students()):
        return JsonResponse(
            {"error": "The results of this poll are not shown to students."}, status=403
        )
    return JsonResponse(poll_results.poll_results(poll).as_json())


@require_GET
@course_view(roles=STAFF_ROLES)
def poll_answers_csv(request: HttpRequest, access: CourseAccess, poll_id: int) -> HttpResponse:
    poll = _poll(access, poll_id)
    response, writer = csv_download(f"{access.course.slug}-poll-{poll.pk}.csv")
    answers = (
        PollAnswer.objects.filter(poll=poll)
        .select_related("student")
        .prefetch_related("choices")
        .order_by("answered_at")
    )
    if poll.anonymous:
        # Anonymous means anonymous, for the staff too: no name, username or time
        # order that could be matched to who was in the room.
        writer.writerow(["Answer"])
        rows = sorted((_answer_text(answer) for answer in answers), key=poll_results.text_order)
        for text in rows:
            writer.writerow([text])
        return response
    writer.writerow(["Student", "Username", "Answer", "Answered at"])
    for answer in answers:
        student = answer.student
        writer.writerow(
            [
                student.get_full_name(),
                student.get_username(),
                _answer_text(answer),
                answer.answered_at.isoformat(timespec="seconds"),
            ]
        )
    return response


def _answer_text(answer: PollAnswer) -> str:
    if answer.text:
        return answer.text
    return "; ".join(choice.text for choice in answer.choices.all())


@login_required
@require_GET
def poll_short(request: HttpRequest, poll_id: int) -> HttpResponse:
    """/p/<id>: short enough to type on a phone from the projector. To anyone
    who may not see the poll (not a member of its course, or a student and the
    poll a draft) it is 404, as an id that does not exist: the address names
    no course it does not take you into."""
    slug = Poll.objects.filter(pk=poll_id).values_list("course__slug", flat=True).first()
    try:
        if slug is None:
            raise Http404
        poll = _poll(course_access(request, slug, members_only=True), poll_id)
    except Http404 as exc:
        raise Http404("No such poll.") from exc
    return redirect("courses:poll", slug=slug, poll_id=poll.pk)
