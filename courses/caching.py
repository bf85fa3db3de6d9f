"""The public course pages, cached for anonymous visitors.

The course home, schedule, resources and calendar are the same for every
visitor who is not logged in, and they are what a class opens ten minutes
before the session. They are kept in Django's cache (local memory, or Redis
when REDIS_URL is set) and served by `PublicPageCacheMiddleware`, which sits
right after WhiteNoise: a hit costs what a static file costs plus one round
trip, without sessions, CSRF, authentication, URL resolution or templates.

Every change to the course or to anything shown on these pages is noticed
by the receivers below, and a stored page is served only while it is still
current, so an instructor's edit shows on the very next request, in every
server process:

- with local memory, each process has its own cache: every entry records the
  course's `updated_at` as it was read when the page was rendered (its stamp;
  every change touches that timestamp), and a hit reads the course's current
  `updated_at` from the database (one single-column query) and compares;
- with a cache the server processes share (Redis, or any backend but local
  memory), each course has a generation counter beside its pages, incremented
  when a change commits. A page records the generation read before it was
  rendered, and a hit reads page and counter in one round trip. A change that
  commits during a render increments the counter after the render began, so
  that page is never served; the order in which concurrent changes commit
  does not matter.

Entries also expire after PUBLIC_PAGE_SECONDS and at the course's midnight,
which bounds how late an announcement scheduled for later, or the next
session's highlight, can appear.
"""

from __future__ import annotations

import functools
import logging
import secrets
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    connection,
    connections,
    transaction,
)
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

PUBLIC_PAGE_SECONDS = 60
# How long a shared cache keeps a course's generation counter. A new counter
# starts at a random number, so no page stored under an old one is served.
GENERATION_SECONDS = 24 * 3600


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a published course's page as one `PublicPageCacheMiddleware` may
    keep; the middleware keeps it only for anonymous visitors without cookies (a
    visitor with a session or a message pending always gets a fresh page)."""

    @wraps(view)
    def wrapped(request: HttpRequest, access, *args, **kwargs) -> HttpResponse:
        course = access.course
        # Before the render: a page begun just before midnight is of the day it began.
        until = _midnight_after(course)
        response = view(request, access, *args, **kwargs)
        if course.is_published:
            response.public_page = (course.pk, _stamp(course.updated_at), until)
        return response

    return wrapped


class PublicPageCacheMiddleware:
    """Serve the pages `cache_public_page` marked from the cache, before the
    session, CSRF, authentication and the URL resolver run; store them on the
    way out, with the headers the inner middleware added."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _page_key(request) if _anonymous_get(request) else None
        found = None
        if key is not None:
            found = _unless_the_cache_fails(_lookup, key)
            if found is not None and found.hit is not None:
                return found.hit
        response = self.get_response(request)
        marked = getattr(response, "public_page", None)
        if (
            key is not None
            and marked is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            _unless_the_cache_fails(_store, key, response, found, *marked)
        return response


class _Lookup(NamedTuple):
    hit: HttpResponse | None
    # With a shared cache: the course the page was last stored for, and its
    # generation as read before this request renders anything.
    course_id: int | None = None
    generation: int | None = None


def _lookup(key: str) -> _Lookup:
    if not _shared():
        entry = cache.get(key)
        current = None if entry is None else course_stamp(entry[0])
        return _Lookup(_served(entry, current))
    course_id = _course_of_key.get(key)
    if course_id is None:
        # The first visit to this page this process has seen: which course it
        # is shows once it has been rendered, too late to read the generation
        # it was rendered at, so this one is not stored.
        entry = cache.get(key)
        if entry is None:
            return _Lookup(None)
        _learn(key, entry[0])
        return _Lookup(_served(entry, cache.get(_generation_key(entry[0]))))
    found = cache.get_many([key, _generation_key(course_id)])
    entry, generation = found.get(key), found.get(_generation_key(course_id))
    if entry is not None and entry[0] == course_id:
        hit = _served(entry, generation)
        if hit is not None:
            return _Lookup(hit)
    if generation is None:
        generation = _new_generation(course_id)
    return _Lookup(None, course_id, generation)


def _served(entry: tuple | None, current) -> HttpResponse | None:
    """The stored page, if it is still current and its course's day has not ended."""
    if entry is None:
        return None
    _, version, until, content, headers = entry
    if current is None or version != current or time.time() >= until:
        return None
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def _store(
    key: str,
    response: HttpResponse,
    found: _Lookup | None,
    course_id: int,
    stamp: float,
    until: float,
) -> None:
    version = stamp
    if _shared():
        _learn(key, course_id)
        if found is None or found.course_id != course_id or found.generation is None:
            return  # no generation was read for this course before the render
        version = found.generation
    entry = (course_id, version, until, response.content, list(response.items()))
    cache.set(key, entry, PUBLIC_PAGE_SECONDS)


def _unless_the_cache_fails(action: Callable, *args):
    """A cache server that is down makes pages slower, not broken: its errors
    are logged and the page is made afresh. Database errors go on (503)."""
    try:
        return action(*args)
    except (DatabaseError, InterfaceError):
        raise
    except Exception:
        logger.warning("The public page cache failed; serving without it.", exc_info=True)
        return None


def _anonymous_get(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _page_key(request: HttpRequest) -> str:
    # The host is part of the page (the calendar's event ids); a host Django
    # refuses never renders a page, so nothing is stored under one.
    return f"public-page:{request.META.get('HTTP_HOST', '')}:{request.path}"


def _generation_key(course_id: int) -> str:
    return f"public-generation:{course_id}"


def _new_generation(course_id: int) -> int:
    """The course's counter, started at a random number if there is none (the
    cache was emptied, or the counter expired): never a number a page stored
    under an earlier counter could carry."""
    key = _generation_key(course_id)
    cache.add(key, secrets.randbits(62), GENERATION_SECONDS)
    return cache.get(key)


def _next_generation(course_id: int) -> None:
    key = _generation_key(course_id)
    try:
        cache.incr(key)
    except ValueError:  # no counter: any page stored under the old one is older
        _new_generation(course_id)


def _shared() -> bool:
    """Whether every server process sees the same cache (local memory is per process)."""
    return not isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache)


# Which course each page key was last stored for, as this process saw it: a hit
# fetches the page and its course's generation in one round trip, and a miss
# has the generation to store the page under. Only a guess (a slug can move to
# another course), checked on every hit and every store.
_course_of_key: dict[str, int] = {}


def _learn(key: str, course_id: int) -> None:
    if _course_of_key.get(key) != course_id:
        if len(_course_of_key) >= 10_000:
            _course_of_key.clear()
        _course_of_key[key] = course_id


def course_stamp(course_id: int) -> float | None:
    """The course row's `updated_at` as seconds, read with one single-column
    query and no model.

    Django checks a kept connection with a query of its own before the first
    query of each request (CONN_HEALTH_CHECKS), which would double the cost of a
    hit; this query is its own check instead: if it fails on a kept connection
    (the database restarted since), the connection is closed and the query
    tried once more on a new one.
    """
    db = connections[DEFAULT_DB_ALIAS]  # looked up once: each lookup costs a microsecond
    kept = db.connection is not None and not db.in_atomic_block
    db.health_check_done = True
    try:
        row = _fetch(db, course_id)
    except (DatabaseError, InterfaceError):
        if not kept:
            raise
        db.close()
        row = _fetch(db, course_id)
    if row is None:
        return None
    value = row[0]
    if value.tzinfo is None:  # SQLite keeps UTC without a zone
        value = value.replace(tzinfo=UTC)
    return _stamp(value)


@functools.cache
def _stamp_sql(placeholder: str = "%s") -> str:
    from .models import Course

    meta = Course._meta
    quote = connection.ops.quote_name
    column = meta.get_field("updated_at").column
    return (
        f"SELECT {quote(column)} FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.pk.column)} = {placeholder}"
    )


# The PostgreSQL connections (the driver's) on which the stamp query is prepared.
_prepared_on: weakref.WeakSet = weakref.WeakSet()
STAMP_STATEMENT = "public_page_stamp"


def _fetch(db, course_id: int):
    if _prepared_statements(db):
        return _fetch_prepared(db, course_id)
    with db.cursor() as cursor:
        cursor.execute(_stamp_sql(), [course_id])
        return cursor.fetchone()


def _prepared_statements(db) -> bool:
    """Whether the stamp is read through a prepared statement: on PostgreSQL,
    except behind a transaction pooler (DISABLE_SERVER_SIDE_CURSORS, Django's
    setting for PgBouncer, whose connections do not keep prepared statements)
    and while queries are being logged or wrapped (DEBUG, the tests' query
    counts, instrumentation), which see only queries run through Django's cursor."""
    return (
        db.vendor == "postgresql"
        and not db.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
        and not db.queries_logged
        and not db.execute_wrappers
    )


def _fetch_prepared(db, course_id: int):
    """The stamp query through the driver's cursor, prepared once per
    connection: the server skips parsing and planning, and the client Django's
    cursor wrapper, about a third of what the query costs a hit (measured with
    bench/static_parity.py). Errors are Django's, as from any query."""
    db.ensure_connection()
    raw = db.connection
    with db.wrap_database_errors, raw.cursor() as cursor:
        if raw not in _prepared_on:
            # A pooler in session mode may hand a new connection a server
            # session that has the statement already.
            cursor.execute(
                "SELECT 1 FROM pg_prepared_statements WHERE name = %s", [STAMP_STATEMENT]
            )
            if cursor.fetchone() is None:
                cursor.execute(f"PREPARE {STAMP_STATEMENT}(bigint) AS {_stamp_sql('$1')}")
            _prepared_on.add(raw)
        cursor.execute(f"EXECUTE {STAMP_STATEMENT}(%s)", [course_id])
        return cursor.fetchone()


def _stamp(value: datetime) -> float:
    return value.timestamp()


def _midnight_after(course) -> float:
    """When the course's day ends: the schedule highlights the next session."""
    tomorrow = course.today() + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time(), tzinfo=course.tz).timestamp()


def course_touch(*course_ids: int | None) -> None:
    """Mark the courses' public pages as changed (one UPDATE for all of them)."""
    ids = [course_id for course_id in course_ids if course_id is not None]
    if ids:
        from .models import Course

        Course.objects.filter(pk__in=ids).update(updated_at=timezone.now())
        for course_id in ids:
            _changed_on_commit(course_id)


def _changed_on_commit(course_id: int) -> None:
    """Once the change is committed, a shared cache's generation for the course
    moves on: pages stored under the old one stop being served."""
    if _shared():
        # robust: a cache that fails here must not turn a committed save into an error.
        transaction.on_commit(lambda: _next_generation(course_id), robust=True)


def _course_saved(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        _changed_on_commit(instance.pk)


def _course_deleted(sender, instance, **kwargs) -> None:
    # The deleted course's pages are never served again, even for a new
    # course under the same slug.
    _changed_on_commit(instance.pk)


def _membership_changed(sender, instance, created=False, **kwargs) -> None:
    """The home page lists the instructors: a new instructor, any change of
    role, and any removal but a student's show on it."""
    if kwargs.get("raw"):
        return
    student = instance.role == instance.Role.STUDENT
    if student and (created or kwargs.get("signal") is post_delete):
        return  # joining or leaving as a student changes no public page
    course_touch(instance.course_id)


def _user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """An instructor's name is on the home page of every course they teach."""
    if kwargs.get("raw") or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return  # logging in saves the user too
    from .models import Membership

    course_touch(
        *Membership.objects.filter(
            user_id=instance.pk, role=Membership.Role.INSTRUCTOR
        ).values_list("course_id", flat=True)
    )


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
    from django.contrib.auth import get_user_model

    from grading.models import GradeComponent

    from .models import (
        Announcement,
        Course,
        Membership,
        PresentationSignup,
        Reading,
        Resource,
        Session,
        Theme,
        Topic,
    )

    post_save.connect(_course_saved, sender=Course, dispatch_uid="public-page-course")
    post_delete.connect(_course_deleted, sender=Course, dispatch_uid="public-page-course-del")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="public-page-member")
    post_delete.connect(
        _membership_changed, sender=Membership, dispatch_uid="public-page-member-del"
    )
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="public-page-user")
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
