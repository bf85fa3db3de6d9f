"""Input no page can use is refused before any view: a NUL character anywhere a view
would read it is a 400 with a page that says so, a cookie with one is ignored, and an
admin URL whose object id cannot be an id is a 404. Nothing is saved either way.

The other fuzz files import `input_checks` from here, to run with the middleware in
place whether or not the settings list it yet (then it is not added twice).
"""

from __future__ import annotations

import traceback
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import ClientHandler

from courses.models import Membership
from grading.models import Score, Submission

from .conftest import logged_in
from .factories import PASSWORD, GradeComponentFactory, GradeItemFactory

pytestmark = pytest.mark.django_db

INPUT_CHECKS = "coursesite.input_checks.InputChecksMiddleware"
BODY_LIMIT = "coursesite.limits.RequestBodyLimitMiddleware"


def with_input_checks(middleware: list[str]) -> list[str]:
    """The middleware list with the input checks right after the body limit (which
    refuses an oversized body unread, before anything parses it)."""
    if INPUT_CHECKS in middleware:
        return list(middleware)
    at = middleware.index(BODY_LIMIT) + 1
    return [*middleware[:at], INPUT_CHECKS, *middleware[at:]]


@pytest.fixture
def input_checks(settings):
    settings.MIDDLEWARE = with_input_checks(settings.MIDDLEWARE)


def test_the_settings_run_the_input_checks_right_after_the_body_limit():
    middleware = list(django_settings.MIDDLEWARE)
    assert INPUT_CHECKS in middleware, f"add {INPUT_CHECKS!r} to MIDDLEWARE after {BODY_LIMIT!r}"
    assert middleware.index(INPUT_CHECKS) == middleware.index(BODY_LIMIT) + 1


# --- hostile input, shared by the fuzz tests and the sweep -------------------------------

LONG = "9" * 100_000  # a number far past Python's 4,300-digit limit for int()
HOSTILE = [
    "\x00",
    "\u202e\ufeff../x1.5",  # a right-to-left override, a byte order mark, not a number
    "-1",
    str(2**63),  # one past the largest 64-bit id
    "1e9",
    "",
    LONG,
]
HOSTILE_NAMES = ["\x00", "a\x00b", "n" * 1000, "page[]", "\u202e"]
UPLOADS = [
    ("notebook.ipynb", b"[" * 100_000 + b"]" * 100_000),  # past any recursion limit
    ("deep.ipynb", b'{"cells": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"),
    ("a\x00b.txt", b"\x00"),
    ("empty.csv", b""),
    ("../../x.pdf", b"%PDF-1.4"),
    ("grades.csv", b"Username,\x00\n" + b"\xff\xfe" * 10),
]


class PageInputs(HTMLParser):
    """The query parameter names a page links to, and its forms' field names."""

    def __init__(self, response) -> None:
        super().__init__(convert_charrefs=True)
        self.query: set[str] = set()
        self.fields: set[str] = set()
        self.files: set[str] = set()
        self.counts: dict[str, str] = {}  # a formset's counts, as the page has them
        if "html" in response.get("Content-Type", ""):
            self.feed(response.content.decode("utf-8", errors="replace"))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for key in ("href", "action"):
            if "?" in (attributes.get(key) or ""):
                query = urlsplit(attributes[key]).query
                self.query.update(k for k, _ in parse_qsl(query, keep_blank_values=True))
        name = attributes.get("name")
        if tag not in ("input", "select", "textarea", "button") or not name:
            return
        if attributes.get("type") == "file":
            self.files.add(name)
        elif name.endswith("_FORMS"):
            self.counts[name] = attributes.get("value") or "0"
        else:
            self.fields.add(name)


# --- clients that note server errors -----------------------------------------------------

ROLES = ("anonymous", "student", "ta", "instructor", "superuser")


def _cause(response) -> str:
    info = getattr(response, "exc_info", None)
    if not info:
        return response.content[:200].decode("utf-8", errors="replace")
    frame = traceback.extract_tb(info[2])[-1]
    where = f"{frame.filename.rsplit('/site-packages/', 1)[-1]}:{frame.lineno} in {frame.name}"
    return f"{info[0].__name__}: {str(info[1])[:200]} (at {where})"


def _shown(text: str) -> str:
    return repr(text if len(text) < 160 else text[:80] + f"...({len(text)} chars)")


# One request handler for all the sweep's clients: each new one builds the middleware
# again, and WhiteNoise's scan of the static files on each costs more than most requests.
_HANDLER = ClientHandler(enforce_csrf_checks=False)


class Sweep:
    """A client for each visitor (logged in with the session keys given), noting every
    answer of 500 or more, and what caused it."""

    def __init__(self, logins: dict[str, str], roles=ROLES) -> None:
        self.clients = {}
        for role in roles:
            self.clients[role] = Client(raise_request_exception=False)
            self.clients[role].handler = _HANDLER
            if role in logins:
                self.clients[role].cookies[django_settings.SESSION_COOKIE_NAME] = logins[role]
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
        if response.status_code < 500:
            return
        body = ""
        if isinstance(data, str):
            body = f" body {_shown(data)}"
        elif data:
            values = [v for v in data.values() if isinstance(v, (str, list))]
            files = [v.name for v in data.values() if isinstance(v, SimpleUploadedFile)]
            body = f" fields {_shown(str(values[0]) if values else '')} files {files}"
        cause = _cause(response)
        self.failures.append(
            f"{role} {method} {_shown(where)}{body} -> {response.status_code}: {cause}"
        )


# --- NUL characters ----------------------------------------------------------------------


@pytest.fixture
def item(course):
    return GradeItemFactory(
        component=GradeComponentFactory(course=course),
        title="Response 1",
        accepts_text=True,
        accepts_file=True,
    )


def client_for(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def assert_refused_for_nul(response) -> None:
    assert response.status_code == 400, response.content[:500]
    assert "NUL character" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/courses/cis6200/%00/",
        "/courses/cis6200%00/",
        "/admin/courses/course/1%00/change/",
        "/accounts/login/%00",
    ],
)
def test_a_nul_in_the_path_is_a_400(input_checks, course, path):
    assert_refused_for_nul(client_for().get(path))


@pytest.mark.parametrize(
    "query", ["page=%00", "version=1%00", "%00=1", "a%00b=", "view=student&view=%00"]
)
def test_a_nul_in_the_query_string_is_a_400(input_checks, course, ta, query):
    response = client_for(ta).get("/courses/cis6200/gradebook/", QUERY_STRING=query)
    assert_refused_for_nul(response)


def test_a_nul_in_a_posted_field_is_a_400_and_saves_nothing(input_checks, item, student):
    response = client_for(student).post(
        f"/courses/cis6200/work/{item.pk}/", {"text": "My answer\x00 is this."}
    )
    assert_refused_for_nul(response)
    assert "form contains a NUL character" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_nul_in_a_url_encoded_field_name_is_a_400(input_checks, item, student):
    response = client_for(student).post(
        f"/courses/cis6200/work/{item.pk}/",
        "text=fine&x%00y=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert_refused_for_nul(response)
    assert not Submission.objects.exists()


def test_a_nul_in_an_uploaded_file_s_name_never_reaches_storage(input_checks, item, student, media):
    upload = SimpleUploadedFile("notes\x00.txt", b"my notes")
    response = client_for(student).post(f"/courses/cis6200/work/{item.pk}/", {"file": upload})
    assert response.status_code == 302
    assert Submission.objects.get().file.name.endswith("/notes.txt")


def test_a_nul_in_a_file_s_content_is_the_form_s_business(input_checks, item, student, media):
    upload = SimpleUploadedFile("notes.txt", b"binary \x00 content")
    response = client_for(student).post(f"/courses/cis6200/work/{item.pk}/", {"file": upload})
    assert response.status_code == 200
    assert "not a .txt file" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_nul_in_a_header_is_a_400(input_checks, course):
    response = client_for().get("/courses/cis6200/", HTTP_USER_AGENT="Mozilla\x00")
    assert_refused_for_nul(response)


def test_a_login_with_a_nul_anywhere_is_a_400_and_records_no_attempt(input_checks, student):
    from axes.models import AccessAttempt

    for data in (
        {"username": "alice\x00", "password": PASSWORD},
        {"username": "alice", "password": "x\x00"},
        {"username": "alice", "password": "wrong", "remember\x00": "1"},
    ):
        assert_refused_for_nul(client_for().post("/accounts/login/", data))
    assert not AccessAttempt.objects.exists()


def test_a_session_cookie_with_a_nul_is_ignored(input_checks, course, student):
    client = client_for()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "abc\x00def"
    response = client.get("/courses/cis6200/papers/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_clean_input_passes_untouched(input_checks, item, student):
    client = logged_in(student)
    response = client.post(f"/courses/cis6200/work/{item.pk}/", {"text": "My answer."})
    assert response.status_code == 302
    assert Submission.objects.get().text == "My answer."


# --- the admin's object ids --------------------------------------------------------------


@pytest.fixture
def superuser(db):
    from .factories import UserFactory

    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("object_id", ["abc", "1e9", "-1", "%E2%80%AE1", str(2**63), "9" * 30])
@pytest.mark.parametrize("page", ["history/", "change/", "delete/"])
def test_an_admin_object_id_that_cannot_be_one_is_a_404(
    input_checks, superuser, course, object_id, page
):
    for model in ("courses/course", "courses/poll", "grading/score", "grading/gradeitem"):
        response = client_for(superuser).get(f"/admin/{model}/{object_id}/{page}")
        assert response.status_code == 404, (model, response.status_code)


def test_a_history_version_that_cannot_be_one_is_a_404(input_checks, superuser, item, student):
    from grading.services import score_set

    score = score_set(item=item, student=student, points=Decimal(5), by=superuser)
    for version in ("x", "1.5", "-1", str(2**63)):
        response = client_for(superuser).get(f"/admin/grading/score/{score.pk}/history/{version}/")
        assert response.status_code == 404
    version = score.history.first().history_id
    response = client_for(superuser).get(f"/admin/grading/score/{score.pk}/history/{version}/")
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["change/", "delete/", "history/"])
def test_an_empty_to_field_in_the_admin_is_a_400(input_checks, superuser, course, page):
    response = client_for(superuser).get(
        f"/admin/courses/course/{course.pk}/{page}", QUERY_STRING="_to_field="
    )
    assert response.status_code == 400
    assert "_to_field" in response.content.decode()


def test_the_admin_still_opens_real_objects(input_checks, superuser, course, student):
    membership = Membership.objects.get(user=student)
    client = client_for(superuser)
    assert client.get(f"/admin/courses/course/{course.pk}/change/").status_code == 200
    assert client.get(f"/admin/courses/membership/{membership.pk}/history/").status_code == 200
    assert client.get("/admin/grading/score/").status_code == 200
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["date__year=99999999999999999999", "date__year=2026&date__month=-99999999999999999999"],
)
def test_a_date_drill_down_past_any_calendar_is_a_400(input_checks, superuser, course, query):
    response = client_for(superuser).get("/admin/courses/session/", QUERY_STRING=query)
    assert response.status_code == 400
    assert "no calendar has" in response.content.decode()


def test_a_date_drill_down_django_reads_is_left_to_it(input_checks, superuser, course):
    client = client_for(superuser)
    assert client.get("/admin/courses/session/?date__year=2026").status_code == 200
    response = client.get("/admin/courses/session/?date__year=2026&date__month=13")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
