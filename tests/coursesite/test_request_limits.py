"""Request limits: a body or an upload over a limit is refused (400 or 413 for the
body, a message for the upload), never with a 500, and stores nothing.

Django answers 400 to form data over DATA_UPLOAD_MAX_MEMORY_SIZE or with more
fields than DATA_UPLOAD_MAX_NUMBER_FIELDS; a body over REQUEST_BODY_MAX_BYTES
gets 413 before it is read. Within those, each upload has its own limit: a
hand-in's file SUBMISSION_MAX_BYTES and its text 50,000 characters, a gradebook
CSV 5 MB, a roster 1 MB. The limits must also leave room for the largest
request the site takes.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courses.services import polls
from tests.conftest import PDF, files_under
from tests.coursesite.limits_helpers import (
    MB,
    URLENCODED,
    _score_post,
    page_text,
    report_item,
    stored_state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads_in_their_own_folder(media):
    return media


@pytest.fixture
def item(course):
    return report_item(course)


# --- fixtures and helpers ---------------------------------------------------------------


@pytest.fixture
def poll(course):
    created = polls.poll_create(
        course=course, question="Did you read the paper?", kind="single", choices=("Yes", "No")
    )
    return polls.poll_state_set(poll=created, state="open")


# --- form data over the limits: 400, nothing stored ---------------------------------------


def _poll_post(client, course, poll) -> tuple[str, list[tuple[str, str]]]:
    client.get(reverse("courses:poll", args=[course.slug, poll.pk]))  # sets the CSRF cookie
    yes = poll.choices.get(text="Yes")
    return reverse("courses:poll_answer", args=[course.slug, poll.pk]), [("choice", str(yes.pk))]


def _hand_in_post(client, course, item) -> tuple[str, list[tuple[str, str]]]:
    url = reverse("grading:work_submit", args=[course.slug, item.pk])
    client.get(url)  # sets the CSRF cookie
    return url, [("text", "My report.")]


PAGES = ("score entry", "poll answer", "hand-in")


@pytest.fixture
def post_to(course, item, scored, poll, ta, student):
    """A client of the page's user, the page's URL and the form fields that would
    change something (Alice's score, her poll answer, her hand-in)."""

    def make(page: str, *, csrf: bool):
        user, build, target = {
            "score entry": (ta, _score_post, item),
            "poll answer": (student, _poll_post, poll),
            "hand-in": (student, _hand_in_post, item),
        }[page]
        client = Client(enforce_csrf_checks=csrf)
        client.force_login(user)
        url, fields = build(client, course, target)
        if csrf:
            fields = [*fields, ("csrfmiddlewaretoken", client.cookies["csrftoken"].value)]
        return client, url, fields

    return make


def send(client, url, fields, encoding: str):
    if encoding == "urlencoded":
        return client.post(url, urlencode(fields), content_type=URLENCODED)
    data: dict[str, list[str]] = {}
    for key, value in fields:
        data.setdefault(key, []).append(value)
    return client.post(url, data)  # multipart/form-data


@pytest.mark.parametrize("csrf", [False, True], ids=["no-csrf-check", "csrf-checked"])
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
@pytest.mark.parametrize("page", PAGES)
def test_the_forms_change_something_when_within_the_limits(post_to, page, encoding, csrf):
    """The control for the refusals below: the same requests, without the bulk,
    do change what is stored."""
    client, url, fields = post_to(page, csrf=csrf)
    before = stored_state()
    response = send(client, url, fields, encoding)
    assert response.status_code == 302
    assert stored_state() != before


@pytest.mark.parametrize("csrf", [False, True], ids=["no-csrf-check", "csrf-checked"])
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
@pytest.mark.parametrize("page", PAGES)
def test_form_data_over_the_memory_limit_is_refused_and_changes_nothing(
    post_to, settings, page, encoding, csrf
):
    client, url, fields = post_to(page, csrf=csrf)
    bulk = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    before = stored_state()
    response = send(client, url, [*fields, ("padding", bulk)], encoding)
    assert response.status_code in (400, 413)
    assert stored_state() == before


@pytest.mark.parametrize("csrf", [False, True], ids=["no-csrf-check", "csrf-checked"])
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
@pytest.mark.parametrize("page", PAGES)
def test_too_many_fields_are_refused_and_change_nothing(post_to, settings, page, encoding, csrf):
    client, url, fields = post_to(page, csrf=csrf)
    extra = [(f"f{n}", "") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)]
    before = stored_state()
    response = send(client, url, [*fields, *extra], encoding)
    assert response.status_code in (400, 413)
    assert stored_state() == before


# --- bodies over the whole-request limit: 413 ----------------------------------------------


@pytest.mark.parametrize("csrf", [False, True], ids=["no-csrf-check", "csrf-checked"])
def test_a_body_over_the_request_limit_gets_413_and_stores_nothing(
    course, item, student, media, settings, csrf
):
    settings.SUBMISSION_MAX_BYTES = 1 * MB
    settings.REQUEST_BODY_MAX_BYTES = 2 * MB
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(student)
    url = reverse("grading:work_submit", args=[course.slug, item.pk])
    client.get(url)
    data = {
        "text": "My report.",
        "file": SimpleUploadedFile("report.pdf", PDF + b"0" * (3 * MB)),
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    before = stored_state()
    response = client.post(url, data)
    assert response.status_code == 413
    assert "This request is too large" in page_text(response)
    assert "at most 2 MB" in page_text(response)
    assert stored_state() == before
    assert files_under(media) == []


def test_the_request_limit_counts_the_declared_length_of_any_request(course, student, settings):
    """Any path and method: the limit is looked at before any view."""
    settings.REQUEST_BODY_MAX_BYTES = 1000
    client = Client()
    client.force_login(student)
    home = reverse("courses:home", args=[course.slug])
    assert client.post(home, "x" * 1001, content_type="text/plain").status_code == 413
    assert client.put(home, "x" * 1001, content_type="text/plain").status_code == 413
    # Within the limit, the request goes on to the view (which takes only GET).
    assert client.post(home, "x" * 1000, content_type="text/plain").status_code == 405
