"""The public course pages, cached for anonymous visitors.

The course home, schedule, resources and calendar are the same for every
visitor who is not logged in, and they are what a class opens ten minutes
before the session. They are kept in Django's cache (local memory, or Redis
when REDIS_URL is set), keyed by the course's `updated_at`: every change to the
course or anything shown on these pages touches that timestamp (the receivers
below), and the course row is read on every request anyway, so an instructor's
edit shows on the very next request, in every server process, whatever the
cache backend. Entries also expire after PUBLIC_PAGE_SECONDS, which bounds how
late an announcement scheduled for later, or the next session's highlight,
can appear.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

PUBLIC_PAGE_SECONDS = 60


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a course view from the cache to anonymous visitors without cookies
    (a visitor with a session or a message pending gets a fresh page)."""

    @wraps(view)
    def wrapped(request: HttpRequest, access, *args, **kwargs) -> HttpResponse:
        if (
            request.method != "GET"
            or request.user.is_authenticated
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
            or request.GET
            or not access.course.is_published
        ):
            return view(request, access, *args, **kwargs)
        course = access.course
        key = (
            f"public-page:{course.pk}:{course.updated_at.timestamp()}:"
            f"{request.resolver_match.view_name}:{course.today().isoformat()}"
        )
        cached = cache.get(key)
        if cached is not None:
            body, headers = cached
            response = HttpResponse(body)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, access, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            kept = {
                name: response[name]
                for name in ("Content-Type", "Content-Disposition")
                if response.has_header(name)
            }
            cache.set(key, (response.content, kept), PUBLIC_PAGE_SECONDS)
        return response

    return wrapped


def course_touch(course_id: int | None) -> None:
    """Mark the course's public pages as changed."""
    if course_id is not None:
        from .models import Course

        Course.objects.filter(pk=course_id).update(updated_at=timezone.now())


def _course_id(instance) -> int | None:
    for path in ("course_id", "session.course_id", "theme.course_id", "reading.session.course_id"):
        value = instance
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures
    course_touch(_course_id(instance))


def connect() -> None:
    """Called from CoursesConfig.ready(): what the public pages show, changing."""
    from grading.models import GradeComponent

    from .models import Announcement, PresentationSignup, Reading, Resource, Session, Theme, Topic

    for model in (
        Announcement,
        GradeComponent,
        PresentationSignup,
        Reading,
        Resource,
        Session,
        Theme,
        Topic,
    ):
        post_save.connect(_changed, sender=model, dispatch_uid=f"public-page-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"public-page-del-{model.__name__}"
        )
