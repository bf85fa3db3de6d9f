"""Request limits, continued: each upload over its own limit (a hand-in's file
and text, a gradebook CSV, a roster) is refused with a message and stores nothing,
and the limits leave room for the largest request the site takes."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courses.models import Membership
from courses.services.rosters import MAX_ROSTER_BYTES
from grading.forms import ScoreFormSet
from grading.models import GradeImport, Score, Submission
from grading.services.csv_import import MAX_IMPORT_BYTES
from tests.conftest import PDF, files_under
from tests.coursesite.limits_helpers import (
    MB,
    URLENCODED,
    User,
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
