"""Every URL of the site, for every kind of visitor, with hostile input: never a 5xx.

The sweep walks the URL configuration (the admin's URLs included), so a URL
added tomorrow is swept too, and one with a path parameter the sweep has never
seen fails until `world` says what to put in it. Each URL is asked for:

- with real ids of a small course, by an anonymous visitor, a student, a TA,
  an instructor and a superuser, with GET and with POST;
- with absurd values in its path (0, past 2**63, text, %00, RTL marks);
- by each visitor it answers (not with a login redirect, 403 or 404), with
  hostile query strings: every parameter the site reads or the page links to,
  set to NUL, non-numbers, huge numbers, long strings, RTL marks, arrays;
- with hostile POST bodies: every field of every form on its page set to the
  same values, with hostile uploads in its file fields; and hostile headers.

A test client that does not raise turns an exception into the 500 a browser
would get; a failure lists every request that got one, with its cause. Set
HOSTILE_SWEEP_LOG to a file name to collect them all in one list.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as LoginSession
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from courses.models import AssignmentRun, Course, Membership, PresentationSignup
from courses.services import polls
from courses.services.memberships import membership_set
from grading.models import GradeImport, GradeItem, Score, Submission
from grading.services import score_set
from tests.factories import (
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    MembershipFactory,
    ReadingFactory,
    SessionFactory,
    UserFactory,
)
from tests.fuzz import HOSTILE, HOSTILE_NAMES, LONG, ROLES, UPLOADS, PageInputs, Sweep

pytestmark = pytest.mark.django_db

# --- the URL configuration, walked ----------------------------------------------------------

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_GROUP = re.compile(r"\([^)]*\)")


def _template(pattern) -> str:
    """The pattern as a path with {name} where each parameter goes."""
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "_route"):
        return _ROUTE_PARAM.sub(lambda m: "{" + m["name"] + "}", text)
    text = _NAMED_GROUP.sub(lambda m: "{" + m["name"] + "}", text.lstrip("^").rstrip("$"))
    count = iter(range(10))
    return _GROUP.sub(lambda m: f"{{arg{next(count)}}}", text)


def every_url() -> list[tuple[str, str]]:
    """(template, route) of every URL pattern, e.g. ("/courses/{slug}/work/{item_id}/",
    "courses/<slug:slug>/work/<id:item_id>/")."""
    found = []

    def walk(entries, template: str, route: str) -> None:
        for entry in entries:
            # Joined as Django joins the routes it reports (a regex's ^ dropped).
            here = template + _template(entry)
            full = route + str(entry.pattern).removeprefix("^") if route else str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, here, full)
            elif isinstance(entry, URLPattern):
                found.append(("/" + here, full))

    walk(get_resolver().url_patterns, "", "")
    return list(dict.fromkeys(found))  # the login URL is listed twice


URLS = every_url()
_ROUTE_OF = dict(URLS)


# --- a small course with one of everything, built once for the module -----------------------


def build_world() -> tuple[dict, dict]:
    now = timezone.now()
    course = CourseFactory(
        slug="cis6200",
        signup_opens_at=now - dt.timedelta(days=1),
        signup_closes_at=now + dt.timedelta(days=7),
    )
    people = {
        "student": UserFactory(username="sweep-alice"),
        "ta": UserFactory(username="sweep-tess"),
        "instructor": UserFactory(username="sweep-prof"),
        "superuser": UserFactory(username="sweep-root", is_superuser=True, is_staff=True),
    }
    MembershipFactory(course=course, role=Membership.Role.STUDENT, user=people["student"])
    MembershipFactory(course=course, role=Membership.Role.TA, user=people["ta"])
    membership_set(course=course, user=people["instructor"], role=Membership.Role.INSTRUCTOR)
    session = SessionFactory(course=course, date=now.date() + dt.timedelta(days=3))
    paper = ReadingFactory(session=session, presentable=True, presenter_capacity=2)
    student = people["student"]
    PresentationSignup.objects.create(
        reading=paper, student=student, status=PresentationSignup.Status.CONFIRMED
    )
    item = GradeItemFactory(
        component=GradeComponentFactory(course=course),
        accepts_text=True,
        accepts_url=True,
        accepts_file=True,
        session=session,
        due_at=now + dt.timedelta(days=2),
    )
    score = score_set(item=item, student=student, points=Decimal(5), by=people["ta"])
    submission = Submission(item=item, student=student, text="Mine.", submitted_at=now)
    submission.file.save("notes.txt", ContentFile(b"notes"), save=False)
    submission.save()
    poll = polls.poll_create(
        course=course, question="Ready?", kind="single", choices=["Yes", "No"], session=session
    )
    polls.poll_state_set(poll=poll, state="open")
    short_text = polls.poll_create(course=course, question="Why?", kind="text", session=session)
    polls.poll_state_set(poll=short_text, state="open")
    upload = GradeImport.objects.create(
        course=course, uploaded_by=people["ta"], filename="g.csv", content="Username\n"
    )
    run = AssignmentRun.objects.create(course=course, seed=1, result={"placements": []})
    real = {
        "slug": course.slug,
        "course_pk": course.pk,
        "reading_id": paper.pk,
        "item_id": item.pk,
        "student_id": student.pk,
        "score_id": score.pk,
        "import_id": upload.pk,
        "submission_id": submission.pk,
        "session_id": session.pk,
        "poll_id": [poll.pk, short_text.pk],  # a choice poll and a short-text one
        "run_id": run.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(student.pk)),
        "token": default_token_generator.make_token(student),
        "content_type_id": ContentType.objects.get_for_model(Course).pk,
        "id": student.pk,  # the admin's password change of a user
        "url": "courses/nowhere/",  # the admin's catch-all
    }
    logins = {}
    for role, user in people.items():
        client = Client()
        client.force_login(user)
        logins[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return real, logins


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The course, its people's logins, and the ids to put in URLs. Each test's
    requests are rolled back after it; the course is deleted after the module."""
    with django_db_blocker.unblock():
        had_groups = set(Group.objects.values_list("pk", flat=True))
        real, logins = build_world()
    yield real, logins
    with django_db_blocker.unblock():
        course = Course.objects.get(pk=real["course_pk"])
        Score.objects.filter(item__component__course=course).delete()
        Submission.objects.filter(item__component__course=course).delete()
        GradeItem.objects.filter(component__course=course).delete()
        course.delete()
        get_user_model().objects.filter(username__startswith="sweep-").delete()
        Group.objects.exclude(pk__in=had_groups).delete()
        for model in (LoginSession, AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.all().delete()
        for model in apps.get_models():
            if model._meta.model_name.startswith("historical"):
                model.objects.all().delete()


# --- what goes in a path parameter ------------------------------------------------------------

ABSURD_IDS = ["0", "999999999999999999", str(2**63)]
ABSURD_TEXT = ["99999999", str(2**63), "-1", "abc", "%00", "%E2%80%AE1"]
ABSURD = {
    "slug": ["nope", "%00"],
    "uidb64": ["AAAA", "%00", "x" * 300],
    "token": ["set-password", "%00", "x" * 300],
    "app_label": ["nope"],
}


def real_values(template: str, real: dict) -> list[dict[str, str]]:
    """The template's parameters filled with real ids (several fillings where a
    parameter takes a few real values: the admin's app index)."""
    admin_model = re.match(r"/admin/(\w+)/(\w+)/{", template)
    model = apps.get_model(admin_model[1], admin_model[2]) if admin_model else None
    filled: dict[str, list[str]] = {}
    for name in re.findall(r"{(\w+)}", template):
        if name == "app_label":
            filled[name] = ["courses", "grading", "auth", "axes"]
        elif name in ("object_id", "arg0") and model is not None:
            obj = model._default_manager.order_by("pk").first()
            filled[name] = [str(obj.pk) if obj else "1"]
        elif name == "arg1" and model is not None:  # a version in the history
            record = model.history.order_by("history_id").first()
            filled[name] = [str(record.history_id) if record else "1"]
        elif name == "object_id":  # the admin's "view on site" of a course
            filled[name] = [str(real["course_pk"])]
        elif name in real:
            values = real[name] if isinstance(real[name], list) else [real[name]]
            filled[name] = [str(value) for value in values]
        else:
            raise AssertionError(
                f"{template}: the sweep does not know what to put in {{{name}}}; "
                "add a real value for it to build_world in tests/test_hostile_sweep.py"
            )
    fillings: list[dict[str, str]] = [{}]
    for name, values in filled.items():
        fillings = [{**f, name: v} for f in fillings for v in values]
    return fillings


def absurd_values(template: str, base: dict[str, str]) -> list[dict[str, str]]:
    """The real filling with one parameter at a time replaced by an absurd value."""
    converters = {m["name"]: m["converter"] for m in _ROUTE_PARAM.finditer(_ROUTE_OF[template])}
    out = []
    for name in base:
        if name in ABSURD:
            values = ABSURD[name]
        else:
            values = ABSURD_IDS if converters.get(name) == "id" else ABSURD_TEXT
        out.extend({**base, name: value} for value in values)
    return out


def path_of(template: str, values: dict[str, str]) -> str:
    # Values are URL-safe or carry their own %-escapes.
    return template.format(**{k: quote(v, safe="%/") for k, v in values.items()})


# --- hostile values -------------------------------------------------------------------------

# Names the site's views read from query strings; then the admin's own.
QUERY_NAMES = ["page", "version", "view", "show", "student", "item", "next", "format", "q"]
ADMIN_QUERY_NAMES = ["q", "o", "p", "all", "e", "_facets", "_popup", "_changelist_filters"]
TO_FIELDS = [""]  # the admin checks _to_field first: requests of its own
POST_NAMES = ["action", "choice", "text", "state", "reading", "blackout", "seed", "student"]
POST_NAMES += ["remove", "add", "released", "item", "code", "post", "_selected_action"]


HOSTILE_HEADERS = [
    {"HTTP_USER_AGENT": "Mozilla\x00", "HTTP_ACCEPT": "text/html\x00"},
    {
        "HTTP_USER_AGENT": "M" * 10_000,
        "HTTP_ACCEPT": "*/*" * 3_000,
        "HTTP_ACCEPT_LANGUAGE": "\u202e;q=NaN," * 500,
        "HTTP_REFERER": "javascript:\x7f" + "x" * 5_000,
        "HTTP_X_FORWARDED_FOR": "999.1.1.1, ::ffff:zz, " + "1" * 500,
    },
]


def hostile_queries(names: list[str]) -> list[str]:
    """One query string per hostile value: every name set to it, as an array, repeated
    (the last one hostile); then hostile names, and escapes that decode to nothing."""
    out = []
    for value in HOSTILE:
        short = value[:10_000]
        pairs = [(name, short) for name in names]
        pairs += [(name + "[]", short) for name in names[:3]]
        pairs += [(names[0], "1"), (names[0], short)]
        out.append(urlencode(pairs))
    out.append(urlencode([(name, "1") for name in HOSTILE_NAMES]))
    out.append("%00=%00&%ff%fe=%c0%af&page=%&q=%zz")  # invalid UTF-8, broken escapes
    return out


def hostile_bodies(names: list[str], files: list[str], counts: dict[str, str]) -> list:
    """One POST body per hostile value: every field set to it (long values cut to keep
    the body within what the site takes), with a hostile upload in every file field;
    then every field with all the values at once, and hostile names (url-encoded: in
    multipart, a 1,000-character name is refused before any view).

    A formset's counts keep the page's values but in one body: a count in the
    billions makes Django build its most forms (a thousand or two) for each formset,
    which the fuzz tests of the score entry and the admin's inlines cover."""
    longest = min(len(LONG), 2_000_000 // max(1, len(names)))
    out: list = []
    for index, value in enumerate(HOSTILE):
        body: dict = dict.fromkeys(names, value[:longest]) | counts
        name, content = UPLOADS[index % len(UPLOADS)]
        body.update({field: SimpleUploadedFile(name, content) for field in files})
        out.append(body)
    out.append({name: [v for v in HOSTILE if v is not LONG] for name in names} | counts)
    out.append(urlencode([(name, "1") for name in HOSTILE_NAMES]))
    if counts:
        out.append(dict(zip(counts, HOSTILE[1:], strict=False)))
    return out


# --- the sweep ------------------------------------------------------------------------------


def reached(response) -> bool:
    """Whether the request got past the login, role and object checks."""
    if response.status_code in (403, 404, 405):
        return False
    return not (response.status_code == 302 and "login/" in response.get("Location", ""))


def hostile_senders(answers: dict) -> list[str]:
    """Who sends hostile input to a URL, of those it answers: a visitor, a student, and
    the instructor (or the superuser, where the instructor is not let in). The TA's pages
    are the instructor's, and to the course pages a superuser is an instructor."""
    senders = [role for role in ("anonymous", "student") if reached(answers[role])]
    staff = next((r for r in ("instructor", "superuser") if reached(answers[r])), None)
    return senders + ([staff] if staff else [])


def sweep_url(sweep: Sweep, path: str) -> None:
    admin = path.startswith("/admin/")
    got = {role: sweep.get(role, path) for role in ROLES}
    posted = {role: sweep.post(role, path) for role in ROLES}
    # Query strings go to the pages each sender sees; a redirect reads none.
    for role in [r for r in hostile_senders(got) if got[r].status_code == 200]:
        names = set(ADMIN_QUERY_NAMES if admin else QUERY_NAMES) | PageInputs(got[role]).query
        for query in hostile_queries(sorted(names)):
            sweep.get(role, path, query)
        for to_field in TO_FIELDS if admin else []:
            sweep.get(role, path, urlencode({"_to_field": to_field, "_popup": "1"}))
    for role in hostile_senders(posted):
        page = PageInputs(got[role])
        fields = sorted(set(POST_NAMES) | page.fields)
        for body in hostile_bodies(fields, sorted(page.files), page.counts):
            sweep.post(role, path, body)
    # Headers that get stored (a failed login records the browser and what it accepts):
    # with the page's fields filled in, as a browser sends them.
    for role in hostile_senders(got):
        sweep.get(role, path, **HOSTILE_HEADERS[0])
    for role in hostile_senders(posted):
        fields = dict.fromkeys(PageInputs(got[role]).fields, "x")
        for headers in HOSTILE_HEADERS:
            sweep.post(role, path, fields, **headers)


@pytest.mark.parametrize(("template", "route"), URLS, ids=[t for t, _ in URLS])
def test_no_url_answers_a_server_error_to_anyone(template, route, world):
    real, logins = world
    sweep = Sweep(logins)
    fillings = real_values(template, real)
    for values in fillings:
        path = path_of(template, values)
        assert resolve(path).route == route, f"{path} does not reach {route}"
        sweep_url(sweep, path)
    for values in absurd_values(template, fillings[0]):
        path = path_of(template, values)
        if sweep.get("superuser", path).status_code == 405:
            sweep.post("superuser", path, {"post": "yes"})
    if sweep.failures and os.environ.get("HOSTILE_SWEEP_LOG"):
        with open(os.environ["HOSTILE_SWEEP_LOG"], "a", encoding="utf-8") as log:
            log.writelines(f"{line}\n" for line in sweep.failures)
    assert not sweep.failures, (
        f"{len(sweep.failures)} of {sweep.requests} requests answered a server error:\n"
        + "\n".join(sweep.failures)
    )


def test_the_sweep_covers_the_admin_and_the_course_pages():
    templates = [t for t, _ in URLS]
    assert "/admin/courses/course/{object_id}/change/" in templates
    assert "/admin/grading/score/{arg0}/history/{arg1}/" in templates
    assert "/courses/{slug}/work/{item_id}/" in templates
    assert "/accounts/login/" in templates
