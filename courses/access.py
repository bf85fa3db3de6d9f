"""The one place that decides who may see a course page.

Every course view loads its course through these helpers, so the rule is the
same everywhere: an unpublished course, or a member-only page, answers 404 to
anyone outside the course (its existence is not revealed), 403 to a member
whose role is not allowed, and anonymous visitors of member pages are sent to
log in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from courses.models import Course, Membership


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

    if not course.is_published and not access.is_member:
        raise Http404("No such course.")
    if (members_only or roles is not None) and not access.is_member:
        raise Http404("No such course.")
    if roles is not None and not access.is_superuser and access.role not in set(roles):
        raise PermissionDenied("Your role in this course does not allow this page.")
    return access


def course_view(
    *, members_only: bool = False, roles: Iterable[str] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking `(request, access, ...)` for the URL's `slug`.

    Anonymous visitors of a member page are sent to log in before anything is
    looked up, so the answer does not depend on whether the course exists.
    """
    needs_login = members_only or roles is not None
    role_set = frozenset(roles) if roles is not None else None

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            if needs_login and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = course_access(request, slug, members_only=members_only, roles=role_set)
            # Dates and times on course pages are in the course's time zone.
            with timezone.override(access.course.tz):
                return view(request, access, *args, **kwargs)

        return wrapped

    return decorator


STAFF_ROLES = (Membership.Role.INSTRUCTOR, Membership.Role.TA)
