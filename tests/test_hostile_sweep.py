"""Every URL of the site, for every kind of visitor, with hostile input: never a 5xx.

The sweep walks the URL configuration (the admin's URLs included), so a URL
added tomorrow is swept too; a path parameter it has never seen fails the
sweep until FILL below says what to put in it. Each URL is asked for:

- with real ids of a small course, by an anonymous visitor, a student, a TA,
  an instructor and a superuser, with GET and with POST;
- with absurd ids in its path (0, 99999999, past 2**63, text, NUL);
- by each visitor it answers (not a login redirect, 403 or 404), with hostile
  query strings: every parameter the site reads or its page links to, set to
  NUL, non-numbers, huge numbers, long strings, RTL marks, arrays;
- and with hostile POST bodies: every field of every form on its page set to
  the same values, with hostile uploads.

A test client that does not raise turns an exception into the 500 a browser
would get; the failure lists every request that got one, with its cause.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from courses import polls
from courses.models import AssignmentRun, Membership, PresentationSignup
from courses.services import membership_set
from grading.models import GradeImport, Submission
from grading.services import score_set

from .factories import (
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    MembershipFactory,
    ReadingFactory,
    SessionFactory,
    UserFactory,
)
from .test_fuzz_inputs import with_input_checks

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "student", "ta", "instructor", "superuser")

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
    """(template, full route) of every URL pattern, e.g.
    ("/courses/{slug}/papers/{reading_id}/signup/", "courses/<slug:slug>/papers/...")."""
    found = []

    def walk(entries, template: str, route: str) -> None:
        for entry in entries:
            here, full = template + _template(entry), route + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, here, full)
            elif isinstance(entry, URLPattern):
                found.append(("/" + here, full))

    walk(get_resolver().url_patterns, "", "")
    # The login URL is listed twice (ours, then Django's under accounts/): one is enough.
    return list(dict.fromkeys(found))


URLS = every_url()


def _params(template: str) -> list[str]:
    return re.findall(r"{(\w+)}", template)


@pytest.fixture(autouse=True)
def _input_checks(settings):
    """The sweep runs with the input checks whether or not the settings list them yet."""
    settings.MIDDLEWARE = with_input_checks(settings.MIDDLEWARE)


# --- a small course with one of everything -------------------------------------------------


@pytest.fixture
def world(db, media):
    now = timezone.now()
    course = CourseFactory(
        slug="cis6200",
        signup_opens_at=now - dt.timedelta(days=1),
        signup_closes_at=now + dt.timedelta(days=7),
    )
    people = {
        "student": MembershipFactory(
            course=course, role=Membership.Role.STUDENT, user=UserFactory(username="alice")
        ).user,
        "ta": MembershipFactory(
            course=course, role=Membership.Role.TA, user=UserFactory(username="tess")
        ).user,
        "instructor": UserFactory(username="prof"),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    membership_set(course=course, user=people["instructor"], role=Membership.Role.INSTRUCTOR)
    session = SessionFactory(course=course, date=now.date() + dt.timedelta(days=3))
    paper = ReadingFactory(session=session, presentable=True, presenter_capacity=2)
    PresentationSignup.objects.create(
        reading=paper, student=people["student"], status=PresentationSignup.Status.CONFIRMED
    )
    item = GradeItemFactory(
        component=GradeComponentFactory(course=course),
        accepts_text=True,
        accepts_url=True,
        accepts_file=True,
        session=session,
        due_at=now + dt.timedelta(days=2),
    )
    score = score_set(item=item, student=people["student"], points=Decimal(5), by=people["ta"])
    submission = Submission(item=item, student=people["student"], text="Mine.", submitted_at=now)
    submission.file.save("notes.txt", ContentFile(b"notes"), save=False)
    submission.save()
    poll = polls.poll_create(
        course=course, question="Ready?", kind="single", choices=["Yes", "No"], session=session
    )
    polls.poll_state_set(poll=poll, state="open")
    upload = GradeImport.objects.create(
        course=course, uploaded_by=people["ta"], filename="g.csv", content="Username\n"
    )
    run = AssignmentRun.objects.create(course=course, seed=1, result={"placements": []})
    student = people["student"]
    real = {
        "slug": course.slug,
        "reading_id": paper.pk,
        "item_id": item.pk,
        "student_id": student.pk,
        "score_id": score.pk,
        "import_id": upload.pk,
        "submission_id": submission.pk,
        "session_id": session.pk,
        "poll_id": poll.pk,
        "run_id": run.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(student.pk)),
        "token": default_token_generator.make_token(student),
        "content_type_id": ContentType.objects.get_for_model(type(course)).pk,
        "id": student.pk,  # the admin's password change of a user
        "url": "courses/nowhere/",
        "course_pk": course.pk,
    }
    return people, real


# --- what goes in a path parameter ------------------------------------------------------------

ABSURD_IDS = ["0", "999999999999999999", str(2**63)]
ABSURD_TEXT = ["99999999", str(2**63), "-1", "abc", "%00", "%E2%80%AE1"]
FILL_ABSURD = {
    "slug": ["nope", "%00"],
    "uidb64": ["AAAA", "%00", "x" * 300],
    "token": ["set-password", "%00", "x" * 300],
    "app_label": ["nope"],
}


def _admin_model(template: str):
    match = re.match(r"/admin/(\w+)/(\w+)/", template)
    return apps.get_model(match[1], match[2]) if match else None


def real_values(template: str, real: dict) -> list[dict[str, str]]:
    """Fillings of the template with real ids; more than one where the parameter
    takes a few real values (the admin's app index)."""
    filled: dict[str, list[str]] = {}
    model = _admin_model(template)
    for name in _params(template):
        if name == "app_label":
            filled[name] = ["courses", "grading", "auth", "axes"]
        elif name in ("object_id", "arg0") and model is not None:
            obj = model._default_manager.order_by("pk").first()
            filled[name] = [str(obj.pk) if obj else "1"]
        elif name == "arg1" and model is not None:
            record = model.history.order_by("history_id").first()
            filled[name] = [str(record.history_id) if record else "1"]
        elif name == "object_id":  # the admin's "view on site" of a course
            filled[name] = [str(real["course_pk"])]
        elif name in real:
            filled[name] = [str(real[name])]
        else:
            raise AssertionError(
                f"{template}: the sweep does not know what to put in {{{name}}}; "
                "add it to the world fixture of tests/test_hostile_sweep.py"
            )
    fillings = [{}]
    for name, values in filled.items():
        fillings = [{**f, name: v} for f in fillings for v in values]
    return fillings


def absurd_values(template: str, base: dict[str, str]) -> list[dict[str, str]]:
    """The real filling with one parameter at a time replaced by an absurd value."""
    converters = {m["name"]: m["converter"] for m in _ROUTE_PARAM.finditer(_ROUTE_OF[template])}
    out = []
    for name in base:
        if name in FILL_ABSURD:
            values = FILL_ABSURD[name]
        elif converters.get(name) == "id":
            values = ABSURD_IDS
        else:
            values = ABSURD_TEXT
        out.extend({**base, name: value} for value in values)
    return out


_ROUTE_OF = dict(URLS)


def path_of(template: str, values: dict[str, str]) -> str:
    # Values are already URL-safe or carry their own %-escapes.
    return template.format(**{k: quote(v, safe="%/") for k, v in values.items()})


# --- hostile values -------------------------------------------------------------------------

LONG = "9" * 100_000
HOSTILE = [
    "\x00",
    "x",
    "-1",
    str(2**63),  # one past the largest 64-bit id
    "1e9",
    "\u202e\ufeff../1.5",  # a right-to-left override, a byte order mark, a path
    "",
    LONG,
]
# Names the site's views read from query strings and forms, and Django's admin's.
QUERY_NAMES = [
    "page",
    "p",
    "q",
    "o",
    "e",
    "all",
    "version",
    "view",
    "show",
    "student",
    "item",
    "course",
    "next",
    "_popup",
    "_to_field",
    "_changelist_filters",
    "format",
    "app_label",
    "model_name",
    "field_name",
    "term",
]
POST_NAMES = [
    "action",
    "choice",
    "text",
    "state",
    "reading",
    "blackout",
    "seed",
    "student",
    "remove",
    "add",
    "released",
    "item",
    "code",
    "post",
    "index",
    "select_across",
    "_selected_action",
    "username",
    "password",
]
HOSTILE_NAMES = ["\x00", "a\x00b", "n" * 1000, "page[]", "\u202e"]
UPLOADS = [
    ("notebook.ipynb", b"[" * 100_000 + b"]" * 100_000),  # nested past any recursion limit
    ("deep.ipynb", b'{"cells": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"),
    ("a\x00b.txt", b"\x00"),
    ("empty.csv", b""),
    ("../../x.pdf", b"%PDF-1.4"),
    ("grades.csv", b"Username,\x00\n" + b"\xff\xfe" * 10),
]


def hostile_queries(names: list[str]) -> list[str]:
    """One query string per hostile value: every name set to it, as an array, repeated
    (the last one hostile); then hostile names, and raw escapes that decode to nothing."""
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


def hostile_bodies(names: list[str], files: list[str]) -> list[dict | str]:
    """One POST body per hostile value: every field set to it, with a hostile upload in
    every file field; then every field with all the values at once, and hostile names
    (url-encoded: as multipart, a 1,000-character name is refused before any view)."""
    out: list[dict | str] = []
    for index, value in enumerate(HOSTILE):
        body: dict = dict.fromkeys(names, value)
        name, content = UPLOADS[index % len(UPLOADS)]
        body.update({field: SimpleUploadedFile(name, content) for field in files})
        out.append(body)
    out.append({name: [v for v in HOSTILE if v is not LONG] for name in names})
    out.append(urlencode([(name, "1") for name in HOSTILE_NAMES]))
    return out


# --- reading a page for what it asks ---------------------------------------------------------


class _PageInputs(HTMLParser):
    """The query parameter names a page links to, and its forms' field names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.query: set[str] = set()
        self.fields: set[str] = set()
        self.files: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for key in ("href", "action", "src"):
            if attributes.get(key) and "?" in attributes[key]:
                query = urlsplit(attributes[key]).query
                self.query.update(k for k, _ in parse_qsl(query, keep_blank_values=True))
        name = attributes.get("name")
        if tag in ("input", "select", "textarea", "button") and name:
            if attributes.get("type") == "file":
                self.files.add(name)
            else:
                self.fields.add(name)


def page_inputs(response) -> _PageInputs:
    parser = _PageInputs()
    if "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode("utf-8", errors="replace"))
    return parser


# --- the sweep ------------------------------------------------------------------------------


def _client(role: str, people: dict) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(people[role])
    return client


def _cause(response) -> str:
    info = getattr(response, "exc_info", None)
    if not info:
        return response.content[:200].decode("utf-8", errors="replace")
    frame = traceback.extract_tb(info[2])[-1]
    where = f"{frame.filename.rsplit('/site-packages/', 1)[-1]}:{frame.lineno} in {frame.name}"
    return f"{info[0].__name__}: {str(info[1])[:200]} (at {where})"


def _shown(text: str) -> str:
    return repr(text if len(text) < 160 else text[:80] + f"...({len(text)} chars)")


class Sweep:
    def __init__(self, people: dict) -> None:
        self.clients = {role: _client(role, people) for role in ROLES}
        self.failures: list[str] = []
        self.requests = 0

    def get(self, role: str, path: str, query: str = ""):
        response = self.clients[role].get(path, QUERY_STRING=query)
        self._note(response, role, "GET", path + ("?" + query if query else ""))
        return response

    def post(self, role: str, path: str, data: dict | str | None = None):
        if isinstance(data, str):
            encoded = "application/x-www-form-urlencoded"
            response = self.clients[role].post(path, data, content_type=encoded)
        else:
            response = self.clients[role].post(path, data or {})
        self._note(response, role, "POST", path, data)
        return response

    def _note(self, response, role, method, where, data=None) -> None:
        self.requests += 1
        if response.status_code >= 500:
            body = ""
            if isinstance(data, str):
                body = f" body {_shown(data)}"
            elif data:
                values = [v for v in data.values() if isinstance(v, (str, list))]
                files = [v.name for v in data.values() if isinstance(v, SimpleUploadedFile)]
                body = f" fields {_shown(str(values[0]) if values else '')} files {files}"
            self.failures.append(
                f"{role} {method} {_shown(where)}{body} -> {response.status_code}: "
                f"{_cause(response)}"
            )


def reached(response) -> bool:
    """Whether the request got past the login, role and object checks."""
    if response.status_code in (403, 404, 405):
        return False
    location = response.get("Location", "")
    return not (response.status_code == 302 and "login/" in location)


def hostile_senders(answers: dict[str, object]) -> list[str]:
    """Who sends hostile input to a URL, of those it answers: a visitor, a student, and
    the instructor (or the superuser, where the instructor is not let in). The TA's pages
    are the instructor's, and to the course pages a superuser is an instructor."""
    senders = [role for role in ("anonymous", "student") if reached(answers[role])]
    staff = next((r for r in ("instructor", "superuser") if reached(answers[r])), None)
    return senders + ([staff] if staff else [])


@pytest.mark.parametrize(("template", "route"), URLS, ids=[t for t, _ in URLS])
def test_no_url_answers_a_server_error_to_anyone(template, route, world):
    people, real = world
    sweep = Sweep(people)
    fillings = real_values(template, real)
    for values in fillings:
        path = path_of(template, values)
        assert resolve(path).route == route, f"{path} does not reach {route}"
        got = {role: sweep.get(role, path) for role in ROLES}
        posted = {role: sweep.post(role, path) for role in ROLES}
        for role in hostile_senders(got):
            names = sorted(set(QUERY_NAMES) | page_inputs(got[role]).query)
            for query in hostile_queries(names):
                sweep.get(role, path, query)
        for role in hostile_senders(posted):
            inputs = page_inputs(got[role])
            fields = sorted(set(POST_NAMES) | inputs.fields)
            for body in hostile_bodies(fields, sorted(inputs.files)):
                sweep.post(role, path, body)
    for values in absurd_values(template, fillings[0]):
        path = path_of(template, values)
        sweep.get("superuser", path)
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
    assert "/courses/{slug}/work/{item_id}/" in templates
    assert "/accounts/login/" in templates
