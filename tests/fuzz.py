"""What the fuzz tests and the sweep of every URL share: hostile input, the checks
that a refusal changed nothing, and clients that note server errors. No tests here."""

from __future__ import annotations

import csv
import io
import traceback
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from courses.models import (
    Blackout,
    Course,
    Membership,
    PaperPreference,
    Poll,
    PollAnswer,
    PollChoice,
)
from grading.models import Score, Submission

User = get_user_model()

# --- the input checks, on whether or not the settings list them yet -------------------------

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


# --- hypothesis: nasty text ---------------------------------------------------------------

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

SPECIAL = [
    "",
    " ",
    "1e999",
    "-1e999",
    "1e-999",
    "0.000000001",
    "9.999999999999999999999",
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "-0",
    "+5",
    "0x10",
    "1_000",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    '=HYPERLINK("http://example.com","x")',
    "=cmd|' /C calc'!A0",
    "\x00",
    "5\x00",
    "\t\r\n",
    "\u202e5",
    "\ufeff5",
    "５",
    "٣",
    "EX",
    "ex",
    "9" * 400,
    "1" + "0" * 40,
    "-" + "9" * 30,
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
]
HUGE = st.one_of(
    st.integers(min_value=2**63 - 1, max_value=10**80),
    st.integers(min_value=-(10**80), max_value=-(2**63)),
)
ANY_CHAR = st.characters(codec=None, exclude_categories=("Cs",))
# Past every field's limit, and past Python's 4,300 digits for int().
OVERLONG = ["x" * 100_000, "9" * 100_000, "\u202e\ufeff" * 30_000, "é" * 60_000]
NASTY = st.one_of(
    st.sampled_from(SPECIAL),
    HUGE.map(str),
    st.text(max_size=40),
    st.text(alphabet=ANY_CHAR, max_size=30),
    st.sampled_from(OVERLONG),
    st.text(max_size=10).map(lambda t: t + "\x00" + t),
)
FORMULA_CELL = st.one_of(
    st.sampled_from(["=1+1", "+1", "-1+2", "@SUM(A1)", "=cmd|' /C calc'!A0", "\t=1", "\r=1"]),
    st.text(max_size=10).map(lambda t: "=" + t),
)
CELL = st.one_of(NASTY, FORMULA_CELL)


def number(text: str) -> Decimal | None:
    """The text as a finite number, as a person would read it, or None."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def clearly_bad_points(text: str, possible: Decimal) -> bool:
    """Points no gradebook may accept: not a number, or far outside 0 .. 2 * possible."""
    if text.strip() == "" or text.strip().upper() == "EX":
        return False
    value = number(text)
    return value is None or value < 0 or value > 2 * possible


# --- answers and the database -------------------------------------------------------------


def client_for(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def snapshot() -> dict[str, list]:
    models = [
        User,
        Membership,
        Score,
        Submission,
        Poll,
        PollChoice,
        PollAnswer,
        PaperPreference,
        Blackout,
    ]
    state = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    state["Course"] = list(Course.objects.order_by("pk").values("pk", "join_code"))
    return state


def message_levels(response) -> list[int]:
    """The levels of the messages this request added (not those left by earlier ones)."""
    storage = get_messages(response.wsgi_request)
    return [m.level for m in getattr(storage, "_queued_messages", storage)]


def form_has_errors(response) -> bool:
    context = response.context or {}
    for key in ("form", "formset", "confirm"):
        try:
            form = context[key]
        except KeyError:
            continue
        if form is None:
            continue
        errors = form.errors
        if (any(errors) if isinstance(errors, list) else bool(errors)) or (
            hasattr(form, "non_form_errors") and form.non_form_errors()
        ):
            return True
    return False


def refused(response) -> bool:
    """The answer says no: a 4xx, a form shown again with an error, or an error message."""
    if 400 <= response.status_code < 500:
        return True
    if any(level >= messages.ERROR for level in message_levels(response)):
        return True
    if b'class="alert alert-danger"' in response.content:  # an error message, already shown
        return True
    return response.status_code == 200 and form_has_errors(response)


def check(response, before, *, must_refuse: bool) -> None:
    assert response.status_code < 500, response.content[:2000]
    if must_refuse:
        assert refused(response), (response.status_code, message_levels(response))
    if must_refuse or refused(response):
        assert snapshot() == before


SQLITE_MAX = 2**63 - 1


def as_int(text: str) -> int | None:
    """The text read as a whole number the way the views read ids, or None."""
    try:
        return int(text)
    except ValueError:
        return None


def fits_an_id(text: str) -> bool:
    """Whether the text is no id at all, or an id a database column can hold. Larger ones
    are covered by the expected-failure tests at the end of this file."""
    value = as_int(text)
    return value is None or abs(value) <= SQLITE_MAX


# --- files for the CSV uploads ----------------------------------------------------------


def encoded(text: str, how: str) -> bytes:
    if how == "utf-16":
        return text.encode("utf-16")  # with its byte order mark
    if how == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode(how, errors="replace")


RAW_FILES = st.one_of(
    st.just(b""),
    st.just(b"\xef\xbb\xbf"),
    st.just(b"\xff\xfe"),
    st.binary(max_size=300),
    st.tuples(st.text(alphabet=ANY_CHAR, max_size=80), st.sampled_from(["utf-16", "cp1252"])).map(
        lambda t: encoded(*t)
    ),
)


def rows_to_csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


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


def cause_of(response) -> str:
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

    def get(self, role: str, path: str, query: str = "", **headers):
        response = self.clients[role].get(path, QUERY_STRING=query, **headers)
        self._note(response, role, "GET", path + ("?" + query if query else ""), headers)
        return response

    def post(self, role: str, path: str, data: dict | str | None = None, **headers):
        if isinstance(data, str):
            encoded = "application/x-www-form-urlencoded"
            response = self.clients[role].post(path, data, content_type=encoded, **headers)
        else:
            response = self.clients[role].post(path, data or {}, **headers)
        self._note(response, role, "POST", path, data or headers)
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
        cause = cause_of(response)
        self.failures.append(
            f"{role} {method} {_shown(where)}{body} -> {response.status_code}: {cause}"
        )
