"""Pages for rosters and accounts: the instructor's roster page, joining by
code, and a person's list of courses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from courses import throttles
from courses.access import CourseAccess, course_view
from courses.forms import JoinForm, RosterConfirmForm, RosterUploadForm
from courses.models import Membership
from courses.services import CourseError, rosters

INSTRUCTORS = [Membership.Role.INSTRUCTOR]


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_http_methods(["GET", "POST"])
@course_view(roles=INSTRUCTORS)
def roster(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    course = access.course
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    plan = confirm = None
    if request.method == "POST" and form.is_valid():
        try:
            text = rosters.roster_upload_text(form.cleaned_data["file"])
        except CourseError as error:
            form.add_error("file", str(error))
        else:
            plan = rosters.roster_plan(course=course, text=text)
            confirm = RosterConfirmForm(initial={"content": text, "fingerprint": plan.fingerprint})
    members = (
        Membership.objects.filter(course=course)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "user__username")
    )
    context = {
        "access": access,
        "course": course,
        "form": form,
        "plan": plan,
        "confirm": confirm,
        "members": members,
        "join_url": request.build_absolute_uri("/join/"),
    }
    return render(request, "courses/rosters/roster.html", context)


@require_POST
@course_view(roles=INSTRUCTORS)
def roster_import(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    form = RosterConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The roster was not imported: upload it again.")
        return redirect("courses:roster", slug=access.course.slug)
    try:
        plan = rosters.roster_import(
            course=access.course,
            text=form.cleaned_data["content"].replace("\r\n", "\n"),
            base_url=_base_url(request),
            fingerprint=form.cleaned_data["fingerprint"],
        )
    except CourseError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Roster imported: {len(plan.of('add'))} new account(s) invited, "
            f"{len(plan.of('enrol'))} existing account(s) added, "
            f"{len(plan.of('update'))} role(s) changed, {len(plan.of('unchanged'))} unchanged.",
        )
    return redirect("courses:roster", slug=access.course.slug)


@require_POST
@course_view(roles=INSTRUCTORS)
def join_code(request: HttpRequest, access: CourseAccess) -> HttpResponse:
    enabled = request.POST.get("action") != "disable"
    code = rosters.join_code_rotate(course=access.course, enabled=enabled)
    if code:
        messages.success(request, f"The join code is now {code}; the old one no longer works.")
    else:
        messages.success(request, "Joining by code is off.")
    return redirect("courses:roster", slug=access.course.slug)


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        guesser = str(request.user.pk)
        address = throttles.client_address(request)
        # Counted before the code is tried, so guesses sent at once are counted too.
        wait = throttles.JOIN_CODE_PER_USER.take(guesser)
        wait = throttles.JOIN_CODE_PER_CLIENT.take(address) or wait
        if wait:
            form.add_error(
                "code", f"Too many wrong join codes. Try again {throttles.wait_phrase(wait)}."
            )
            response = render(request, "courses/rosters/join.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
        try:
            course, joined = rosters.course_join(code=form.cleaned_data["code"], user=request.user)
        except CourseError as error:
            form.add_error("code", str(error))  # a wrong code stays counted
        else:
            throttles.JOIN_CODE_PER_USER.give_back(guesser)
            throttles.JOIN_CODE_PER_CLIENT.give_back(address)
            if joined:
                messages.success(request, f"Welcome to {course.code}: you are a student now.")
            else:
                messages.info(request, f"You are already in {course.code}.")
            return redirect(course.get_absolute_url())
    return render(request, "courses/rosters/join.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def my_courses(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("course")
        .order_by("-course__term", "course__code")
    )
    return render(request, "courses/rosters/my_courses.html", {"memberships": memberships})
