"""The one place that decides who may see a course page.

Every course view loads its course through these helpers, so the rule is the
same everywhere: an unpublished course, or a member-only page, answers 404 to
anyone outside the course (its existence is not revealed), 403 to a member
whose role is not allowed, and anonymous visitors of member pages are sent to
log in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import resolve, reverse
from django.utils import timezone

from courses.models import Course, Membership


@dataclass(frozen=True)
class CourseRule:
    """Who may open a course page: anyone (of a published course), its members,
    or members in some roles (superusers count as every role)."""

    members_only: bool = False
    roles: frozenset[str] | None = None

    @property
    def needs_login(self) -> bool:
        return self.members_only or self.roles is not None

    def refusal(self, access: CourseAccess) -> Exception | None:
        """Why `access` may not open the page (404 to outsiders, 403 to a member
        in another role), or None."""
        if not access.course.is_published and not access.is_member:
            return Http404("No such course.")
        if self.needs_login and not access.is_member:
            return Http404("No such course.")
        if self.roles is not None and not access.is_superuser and access.role not in self.roles:
            return PermissionDenied("Your role in this course does not allow this page.")
        return None


@functools.cache
def page_rule(url_name: str) -> CourseRule:
    """The rule of the course page named `url_name` ("courses:roster"), read from
    its view, so a link is shown by the same rule that lets the page open."""
    view = resolve(reverse(url_name, kwargs={"slug": "any"})).func
    return view.course_rule


@dataclass(frozen=True)
class CourseAccess:
    course: Course
    membership: Membership | None
    is_superuser: bool = False

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def is_member(self) -> bool:
        return self.membership is not None or self.is_superuser

    @property
    def is_staff(self) -> bool:
        """Instructor or TA of this course (superusers count as instructors)."""
        return self.is_superuser or (self.membership is not None and self.membership.is_staff_role)

    @property
    def is_student(self) -> bool:
        return self.membership is not None and self.membership.role == Membership.Role.STUDENT

    def may_open(self, url_name: str) -> bool:
        """Whether this person may open the course page named `url_name`."""
        return page_rule(url_name).refusal(self) is None


def course_access(
    request: HttpRequest,
    slug: str,
    *,
    members_only: bool = False,
    roles: Iterable[str] | None = None,
) -> CourseAccess:
    """Load the course named in the URL and check the current user against it."""
    user = request.user
    try:
        course = Course.objects.get(slug=slug)
    except Course.DoesNotExist as exc:
        raise Http404("No such course.") from exc

    membership = None
    if user.is_authenticated:
        membership = (
            Membership.objects.filter(course=course, user=user).select_related("user").first()
        )
    access = CourseAccess(course, membership, is_superuser=bool(user.is_superuser))
    rule = CourseRule(members_only, frozenset(roles) if roles is not None else None)
    refusal = rule.refusal(access)
    if refusal is not None:
        raise refusal
    return access


def course_view(
    *, members_only: bool = False, roles: Iterable[str] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking `(request, access, ...)` for the URL's `slug`.

    Anonymous visitors of a member page are sent to log in before anything is
    looked up, so the answer does not depend on whether the course exists.
    """
    rule = CourseRule(members_only, frozenset(roles) if roles is not None else None)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            if rule.needs_login and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = course_access(request, slug, members_only=members_only, roles=rule.roles)
            # Dates and times on course pages are in the course's time zone.
            with timezone.override(access.course.tz):
                return view(request, access, *args, **kwargs)

        wrapped.course_rule = rule  # read by `page_rule`, for links to the page
        return wrapped

    return decorator


STAFF_ROLES = (Membership.Role.INSTRUCTOR, Membership.Role.TA)
