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

from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courses.models import Membership, PollAnswer
from courses.services import polls
from courses.services.rosters import MAX_ROSTER_BYTES
from grading.forms import ScoreFormSet
from grading.models import GradeImport, Score, Submission
from grading.services import score_set
from grading.services.csv_import import MAX_IMPORT_BYTES
from tests.conftest import PDF, files_under
from tests.factories import GradeComponentFactory, GradeItemFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
MB = 1024 * 1024
URLENCODED = "application/x-www-form-urlencoded"


# --- fixtures and helpers ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uploads_in_their_own_folder(media):
    return media


@pytest.fixture
def item(course):
    component = GradeComponentFactory(course=course, name="Project")
    return GradeItemFactory(
        component=component, title="Report", accepts_text=True, accepts_file=True
    )


@pytest.fixture
def scored(item, student, ta):
    """Alice already has a score, which a refused request must leave alone."""
    return score_set(item=item, student=student, points=Decimal("7"), comment="Good start.", by=ta)


@pytest.fixture
def poll(course):
    created = polls.poll_create(
        course=course, question="Did you read the paper?", kind="single", choices=("Yes", "No")
    )
    return polls.poll_state_set(poll=created, state="open")


def stored_state() -> dict:
    """Everything a refused request might have written."""
    return {
        "scores": sorted(
            Score.objects.values_list("item_id", "student_id", "points", "excused", "comment")
        ),
        "score versions": Score.history.count(),
        "submissions": sorted(
            Submission.objects.values_list("item_id", "student_id", "text", "url", "file")
        ),
        "submission versions": Submission.history.count(),
        "imports": GradeImport.objects.count(),
        "memberships": sorted(Membership.objects.values_list("course_id", "user_id", "role")),
        "users": User.objects.count(),
        "poll answers": PollAnswer.objects.count(),
    }


class _FormFields(HTMLParser):
    """The name and value pairs a browser sends for one form of a page."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._inside = attributes.get("id") == self.form_id
        elif not self._inside or "name" not in attributes:
            return
        elif tag == "textarea":
            self._textarea, self._text = attributes["name"], []
        elif tag == "input":
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if kind not in ("submit", "button", "image", "file"):
                default = "on" if kind in ("checkbox", "radio") else ""
                value = attributes.get("value")
                self.fields.append((attributes["name"], default if value is None else value))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the one line break that may follow <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._inside = False


def form_fields(response, form_id: str) -> list[tuple[str, str]]:
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    assert parser.fields, f"no form #{form_id} on the page"
    return parser.fields


def set_field(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    assert any(key == name for key, _ in fields), name
    return [(key, value if key == name else old) for key, old in fields]


def page_text(response) -> str:
    return response.content.decode()


# --- form data over the limits: 400, nothing stored ---------------------------------------


def _score_post(client, course, item) -> tuple[str, list[tuple[str, str]]]:
    """The score page's form with Alice's points changed to 9, as a browser sends it."""
    url = reverse("grading:item_scores", args=[course.slug, item.pk])
    fields = set_field(form_fields(client.get(url), "score-form"), "scores-0-points", "9")
    return url, fields


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


# --- room for the largest requests the site takes ----------------------------------------


def test_the_field_limit_leaves_room_for_the_largest_score_page(settings):
    """Score entry sends up to five fields a student (student, was, points,
    excused, comment), for as many students as its formset takes."""
    fields = ScoreFormSet.max_num * 5 + 4 + 1  # the management form and the CSRF token
    assert fields <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_a_large_course_saves_its_score_page(course, item, ta, settings):
    """600 students: over 2,400 fields, more than Django's default limit of 1,000."""
    users = User.objects.bulk_create(
        User(username=f"s{n:04d}", email=f"s{n:04d}@example.edu", last_name=f"Student {n:04d}")
        for n in range(600)
    )
    Membership.objects.bulk_create(
        Membership(course=course, user=user, role=Membership.Role.STUDENT) for user in users
    )
    client = Client()
    client.force_login(ta)
    url, fields = _score_post(client, course, item)
    assert len(fields) > 2400
    response = client.post(url, urlencode(fields), content_type=URLENCODED)
    assert response.status_code == 302
    assert Score.objects.get(item=item, student=users[0]).points == 9


def test_the_largest_roster_fits_through_the_confirm_step(course, instructor):
    """The roster preview posts the roster back in a hidden field, form-encoded,
    with CRLF line breaks: a 1 MB roster of Cyrillic names takes three times its
    size that way. It must reach the view, not be refused by the body limits.
    (It has no email column, so the import stops at once and changes nothing.)"""
    row = "Александра Михайлова,студент\n"
    text = "Имя,Роль\n" + row * ((MAX_ROSTER_BYTES - 20) // len(row.encode()))
    assert len(text.encode()) <= MAX_ROSTER_BYTES
    body = urlencode({"content": text.replace("\n", "\r\n"), "fingerprint": "0" * 64})
    assert len(body) > 2.5 * MB  # Django's default DATA_UPLOAD_MAX_MEMORY_SIZE
    client = Client()
    client.force_login(instructor)
    before = stored_state()
    response = client.post(
        reverse("courses:roster_import", args=[course.slug]), body, content_type=URLENCODED
    )
    assert response.status_code == 302
    assert stored_state() == before


def test_the_largest_hand_in_fits_under_the_request_limit(course, item, student, media, settings):
    """A file of exactly SUBMISSION_MAX_BYTES with 50,000 four-byte characters of text."""
    client = Client()
    client.force_login(student)
    content = PDF + b"0" * (settings.SUBMISSION_MAX_BYTES - len(PDF))
    response = client.post(
        reverse("grading:work_submit", args=[course.slug, item.pk]),
        {"text": "😀" * 50_000, "file": SimpleUploadedFile("report.pdf", content)},
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert len(submission.text) == 50_000
    assert [p.stat().st_size for p in files_under(media)] == [settings.SUBMISSION_MAX_BYTES]


def test_the_largest_gradebook_import_fits_under_the_request_limit(course, item, ta):
    client = Client()
    client.force_login(ta)
    content = b"Username,Report\n" + b"x" * (MAX_IMPORT_BYTES - 16)
    assert len(content) == MAX_IMPORT_BYTES
    response = client.post(
        reverse("grading:gradebook_import", args=[course.slug]),
        {"file": SimpleUploadedFile("grades.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 302
    assert GradeImport.objects.count() == 1


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


# --- uploads over their own limits: a message, nothing stored -------------------------------


@pytest.mark.parametrize("already_handed_in", [False, True], ids=["first", "replacement"])
def test_a_hand_in_file_over_the_limit_is_refused_and_nothing_is_stored(
    course, item, student, media, settings, already_handed_in
):
    settings.SUBMISSION_MAX_BYTES = 1 * MB
    client = Client()
    client.force_login(student)
    url = reverse("grading:work_submit", args=[course.slug, item.pk])
    if already_handed_in:
        first = {"text": "First draft.", "file": SimpleUploadedFile("draft.pdf", PDF)}
        assert client.post(url, first).status_code == 302
    before, files_before = stored_state(), files_under(media)
    content = PDF + b"0" * (1 * MB + 1 - len(PDF))
    response = client.post(
        url, {"text": "Final report.", "file": SimpleUploadedFile("report.pdf", content)}
    )
    assert response.status_code == 200
    assert "The file is larger than 1 MB." in page_text(response)
    assert stored_state() == before
    assert files_under(media) == files_before


def test_a_hand_in_text_over_50000_characters_is_refused_and_nothing_is_stored(
    course, item, student
):
    client = Client()
    client.force_login(student)
    url = reverse("grading:work_submit", args=[course.slug, item.pk])
    before = stored_state()
    response = client.post(url, {"text": "a" * 50_001})
    assert response.status_code == 200
    assert "Ensure this value has at most 50000 characters (it has 50001)." in page_text(response)
    assert stored_state() == before
    # The preview refuses it too, and shows none of it.
    response = client.post(url, {"text": "a" * 50_001, "preview": "1"})
    assert "at most 50000 characters" in page_text(response)
    assert response.context["preview"] is None
    # 50,000 characters are taken.
    assert client.post(url, {"text": "a" * 50_000}).status_code == 302
    assert len(Submission.objects.get().text) == 50_000


def test_a_gradebook_import_over_5_mb_is_refused_and_nothing_is_stored(course, item, scored, ta):
    client = Client()
    client.force_login(ta)
    content = b"Username,Report (%d)\nalice,9\n" % item.pk
    content += b"x" * (MAX_IMPORT_BYTES + 1 - len(content))
    before = stored_state()
    response = client.post(
        reverse("grading:gradebook_import", args=[course.slug]),
        {"file": SimpleUploadedFile("grades.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "The file is larger than 5 MB; export fewer columns and try again." in page_text(
        response
    )
    assert stored_state() == before


def test_a_roster_over_1_mb_is_refused_and_nothing_is_stored(course, instructor):
    client = Client()
    client.force_login(instructor)
    content = b"name,email,role\nCarol King,carol@example.edu,student\n"
    content += b"\n" * (MAX_ROSTER_BYTES + 1 - len(content))
    before = stored_state()
    response = client.post(
        reverse("courses:roster", args=[course.slug]),
        {"file": SimpleUploadedFile("roster.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "The roster is larger than 1 MB." in page_text(response)
    assert response.context["confirm"] is None  # no preview to confirm
    assert stored_state() == before
    assert mail.outbox == []
