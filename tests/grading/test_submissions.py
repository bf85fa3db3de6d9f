"""Handing work in, reading it back, grading it and reading a session's responses."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from grading.models import Score, Submission
from grading.services import GradingError, item_release, score_set
from grading.services.submissions import submission_save
from tests.conftest import PDF, files_under, logged_in
from tests.factories import (
    GradeComponentFactory,
    GradeItemFactory,
    ReadingFactory,
    SessionFactory,
    new_student,
    seat,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
RENAME = "Rename the file using letters, digits, spaces, dots, dashes and underscores"


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uploads_in_their_own_folder(media):
    return media


@pytest.fixture
def component(course):
    return GradeComponentFactory(course=course, name="Reading Responses", weight=20)


def new_item(component, title="Response 1", **fields):
    fields.setdefault("accepts_text", True)
    fields.setdefault("due_at", timezone.now() + dt.timedelta(days=2))
    return GradeItemFactory(component=component, title=title, **fields)


@pytest.fixture
def item(component):
    return new_item(component)


@pytest.fixture
def file_item(component):
    return new_item(component, "Project report", accepts_text=False, accepts_file=True)


@pytest.fixture
def alice(student):
    student.first_name, student.last_name = "Alice", "Adams"
    student.save()
    return student


@pytest.fixture
def bob(course):
    return new_student(course, "bob", first_name="Bob", last_name="Baker")


def url(course, path=""):
    return f"/courses/{course.slug}/{path}"


def work_url(course, item):
    return url(course, f"work/{item.pk}/")


def file_url(course, submission, version=None):
    path = url(course, f"submissions/{submission.pk}/file")
    return f"{path}?version={version}" if version else path


def queue_url(course, item, show=None):
    path = url(course, f"gradebook/items/{item.pk}/submissions/")
    return f"{path}?show={show}" if show else path


def grade_url(course, item, student, show=None):
    path = url(course, f"gradebook/items/{item.pk}/submissions/{student.pk}/")
    return f"{path}?show={show}" if show else path


def text_of(response) -> str:
    return response.content.decode()


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def hand_in_at(item, student, moment, text="My response.", **fields):
    return submission_save(item=item, student=student, text=text, now=moment, **fields)


def multipart_body(boundary: str, filename: str, content: bytes) -> bytes:
    """A multipart body with a file name exactly as given (the test client would
    strip directory parts before sending)."""
    return b"\r\n".join(
        [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="file"; filename="{filename}"'.encode(),
            b"Content-Type: application/pdf",
            b"",
            content,
            f"--{boundary}--".encode(),
            b"",
        ]
    )


# --- handing in on time and late --------------------------------------------------------------


def test_my_work_lists_items_that_take_submissions_as_not_submitted(
    course, component, item, as_student
):
    GradeItemFactory(component=component, title="Participation")  # graded, nothing handed in
    page = text_of(as_student.get(url(course, "work/")))
    assert "Response 1" in page
    assert "Participation" not in page
    assert ">Not submitted</span>" in page


def test_without_any_item_to_hand_in_the_page_says_so(course, component, as_student):
    GradeItemFactory(component=component, title="Participation")
    assert "Nothing to hand in on the site yet." in text_of(as_student.get(url(course, "work/")))


@pytest.mark.parametrize(
    ("zone", "due_at", "shown"),
    [
        ("America/New_York", dt.datetime(2099, 1, 15, 17, 0, tzinfo=UTC), "Jan 15, 12:00 PM EST"),
        ("America/New_York", dt.datetime(2099, 7, 15, 16, 0, tzinfo=UTC), "Jul 15, 12:00 PM EDT"),
        ("America/Los_Angeles", dt.datetime(2099, 1, 15, 17, 0, tzinfo=UTC), "Jan 15, 9:00 AM PST"),
        ("Europe/Berlin", dt.datetime(2099, 1, 15, 23, 30, tzinfo=UTC), "Jan 16, 12:30 AM CET"),
    ],
)
def test_on_time_hand_in_shows_submitted_and_the_due_date_in_the_course_time_zone(
    zone, due_at, shown, course, component, student, as_student
):
    course.timezone = zone
    course.save()
    item = new_item(component, due_at=due_at)

    response = as_student.post(work_url(course, item), {"text": "Attention is all we need."})
    assert response.status_code == 302
    assert response["Location"] == work_url(course, item)

    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Submitted</span>" in listing
    assert re.search(rf"due \w{{3}}, {shown}", listing)
    detail = text_of(as_student.get(work_url(course, item)))
    assert shown in detail
    assert "on time" in detail
    assert "Attention is all we need." in detail
    assert Submission.objects.get(item=item, student=student).text == "Attention is all we need."


def test_hand_in_says_so_and_the_form_becomes_hand_in_again(course, item, as_student):
    response = as_student.post(work_url(course, item), {"text": "First thoughts."}, follow=True)
    page = text_of(response)
    assert "Handed in “Response 1”." in page
    assert "Replace your submission" in page
    assert "Hand in again" in page


def test_work_within_the_grace_period_is_not_late(course, component, student, as_student):
    component.grace_minutes = 30
    component.save()
    item = new_item(component, due_at=timezone.now() - dt.timedelta(minutes=10))

    assert as_student.post(work_url(course, item), {"text": "Just in."}).status_code == 302

    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Submitted</span>" in listing
    assert ">Late</span>" not in listing
    assert "on time" in text_of(as_student.get(work_url(course, item)))


def test_work_after_the_grace_period_is_late_by_minutes_from_the_due_time_counted_as_a_day(
    course, component, as_student
):
    component.grace_minutes = 30
    component.save()
    item = new_item(component, due_at=timezone.now() - dt.timedelta(minutes=40))

    assert as_student.post(work_url(course, item), {"text": "A bit late."}).status_code == 302

    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Late</span>" in listing
    assert "1 day late" in listing
    assert "40 minutes late" in text_of(as_student.get(work_url(course, item)))


def test_work_25_hours_late_is_two_days_late(course, component, as_student):
    item = new_item(component, due_at=timezone.now() - dt.timedelta(hours=25))

    assert as_student.post(work_url(course, item), {"text": "Very late."}).status_code == 302

    assert "2 days late" in text_of(as_student.get(url(course, "work/")))
    detail = text_of(as_student.get(work_url(course, item)))
    assert "1 day 1 hour late" in detail
    assert "2 days may be deducted" in detail


def test_handing_in_again_replaces_the_text_and_keeps_the_earlier_version_for_the_ta(
    course, item, student, as_student, as_ta
):
    as_student.post(work_url(course, item), {"text": "First draft about *transformers*."})
    response = as_student.post(work_url(course, item), {"text": "Second draft about RNNs."})
    assert response.status_code == 302

    submission = Submission.objects.get(item=item, student=student)
    assert submission.text == "Second draft about RNNs."
    assert Submission.objects.filter(item=item, student=student).count() == 1
    versions = list(submission.history.order_by("history_date").values_list("text", flat=True))
    assert versions == ["First draft about *transformers*.", "Second draft about RNNs."]
    assert all(h.history_user == student for h in submission.history.all())

    mine = text_of(as_student.get(work_url(course, item)))
    assert "Second draft about RNNs." in mine
    assert "First draft" not in mine

    grading = text_of(as_ta.get(grade_url(course, item, student)))
    assert "Earlier versions (1)" in grading
    current, earlier = grading.split("Earlier versions (1)")
    assert "Second draft about RNNs." in current
    assert "First draft about <em>transformers</em>." in earlier


def test_after_the_deadline_an_item_without_late_work_refuses_and_changes_nothing(
    course, component, student, as_student
):
    due = dt.datetime(2020, 1, 15, 17, 0, tzinfo=UTC)  # noon in New York
    item = new_item(component, due_at=due, allow_late=False)
    hand_in_at(item, student, due - dt.timedelta(hours=1), text="Handed in on time.")

    page = text_of(as_student.get(work_url(course, item)))
    assert "The deadline was Wednesday, January 15, 12:00 PM" in page
    assert "does not accept late work" in page
    assert "Hand in again" not in page

    response = as_student.post(work_url(course, item), {"text": "A late replacement."})
    assert response.status_code == 200
    message = text_of(response)
    assert "Not handed in: The deadline was Wednesday, January 15, 12:00 PM" in message
    submission = Submission.objects.get(item=item, student=student)
    assert submission.text == "Handed in on time."
    assert submission.submitted_at == due - dt.timedelta(hours=1)
    assert submission.history.count() == 1


def test_after_the_deadline_a_first_hand_in_is_refused_when_late_work_is_not_accepted(
    course, component, student, as_student
):
    item = new_item(component, due_at=timezone.now() - dt.timedelta(hours=1), allow_late=False)
    response = as_student.post(work_url(course, item), {"text": "Too late."})
    assert response.status_code == 200
    assert "does not accept late work" in text_of(response)
    assert not Submission.objects.filter(item=item).exists()


def test_after_the_deadline_late_work_is_accepted_and_marked_late_when_allowed(
    course, component, student, as_student
):
    item = new_item(component, due_at=timezone.now() - dt.timedelta(hours=2), allow_late=True)
    response = as_student.post(work_url(course, item), {"text": "Better late than never."})
    assert response.status_code == 302
    assert Submission.objects.get(item=item, student=student).text == "Better late than never."
    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Late</span>" in listing
    assert "1 day late" in listing


def test_the_deadline_is_the_due_time_plus_grace_to_the_second(course, component, student):
    component.grace_minutes = 15
    component.save()
    due = timezone.now() - dt.timedelta(days=1)
    item = new_item(component, due_at=due, allow_late=False)
    deadline = due + dt.timedelta(minutes=15)

    hand_in_at(item, student, deadline, text="At the last second.")
    with pytest.raises(GradingError, match="does not accept late work"):
        hand_in_at(item, student, deadline + dt.timedelta(seconds=1), text="One second late.")
    assert Submission.objects.get(item=item, student=student).text == "At the last second."


def test_closed_submissions_are_refused_whatever_the_due_date(
    course, component, student, as_student
):
    item = new_item(component, submissions_open=False)
    assert "Submissions for this item are closed." in text_of(
        as_student.get(work_url(course, item))
    )

    response = as_student.post(work_url(course, item), {"text": "Let me in."})
    assert response.status_code == 200
    assert "Not handed in: Submissions for this item are closed." in text_of(response)
    assert not Submission.objects.filter(item=item).exists()


def test_an_item_that_takes_no_submissions_is_404(course, component, as_student):
    quiz = GradeItemFactory(component=component, title="In-class quiz")
    assert as_student.get(work_url(course, quiz)).status_code == 404
    assert as_student.post(work_url(course, quiz), {"text": "Hello"}).status_code == 404
    assert not Submission.objects.exists()


def test_an_item_of_another_course_is_404(course, student, as_student):
    elsewhere = GradeItemFactory(accepts_text=True)  # its component is in another course
    assert as_student.get(work_url(course, elsewhere)).status_code == 404
    assert as_student.post(work_url(course, elsewhere), {"text": "Hello"}).status_code == 404
    assert not Submission.objects.exists()


def test_an_empty_hand_in_is_refused(course, item, as_student):
    response = as_student.post(work_url(course, item), {"text": "   "})
    assert response.status_code == 200
    assert "There is nothing to hand in" in text_of(response)
    assert not Submission.objects.exists()


def test_only_the_forms_the_item_accepts_are_kept(course, item, student, as_student):
    as_student.post(work_url(course, item), {"text": "Text.", "url": "https://example.com/x"})
    submission = Submission.objects.get(item=item, student=student)
    assert (submission.text, submission.url) == ("Text.", "")


def test_a_link_is_handed_in_and_shown(course, component, student, as_student):
    item = new_item(component, "Code link", accepts_text=False, accepts_url=True)
    response = as_student.post(work_url(course, item), {"url": "github.com/alice/project"})
    assert response.status_code == 302
    assert Submission.objects.get(item=item).url == "https://github.com/alice/project"
    assert 'href="https://github.com/alice/project"' in text_of(
        as_student.get(work_url(course, item))
    )


# --- Markdown preview -------------------------------------------------------------------------


def test_preview_shows_sanitized_markdown_and_saves_nothing(course, item, as_student):
    text = "**bold** and a <script>alert('pwned')</script> [link](javascript:alert(1))"
    response = as_student.post(work_url(course, item), {"text": text, "preview": "1"})
    assert response.status_code == 200
    page = text_of(response)
    preview = page.split('data-testid="preview">', 1)[1].split("</section>", 1)[0]
    assert "<strong>bold</strong>" in preview
    assert "<script" not in preview
    assert "javascript:" not in preview
    assert "<script>alert" not in page  # the form shows the text escaped
    assert not Submission.objects.exists()


def test_preview_does_not_replace_what_was_handed_in(course, item, student, as_student):
    as_student.post(work_url(course, item), {"text": "Handed in."})
    as_student.post(work_url(course, item), {"text": "Draft *two*", "preview": "1"})
    submission = Submission.objects.get(item=item, student=student)
    assert submission.text == "Handed in."
    assert submission.history.count() == 1


def test_preview_with_a_file_asks_to_choose_it_again_and_stores_nothing(
    course, component, media, as_student
):
    item = new_item(component, accepts_text=True, accepts_file=True)
    response = as_student.post(
        work_url(course, item),
        {"text": "See file", "preview": "1", "file": SimpleUploadedFile("r.pdf", PDF)},
    )
    assert "Choose the file again when you hand in." in text_of(response)
    assert not Submission.objects.exists()
    assert files_under(media) == []


# --- uploads ----------------------------------------------------------------------------------


def test_a_pdf_is_stored_under_media_and_downloadable_by_its_author_and_the_ta(
    course, file_item, student, media, as_student, as_ta, as_instructor
):
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    response = as_student.post(work_url(course, file_item), {"file": upload})
    assert response.status_code == 302

    submission = Submission.objects.get(item=file_item, student=student)
    stored = Path(submission.file.path).resolve()
    assert stored.is_relative_to(media.resolve())
    assert stored.name == "report.pdf"
    assert stored.read_bytes() == PDF
    assert files_under(media) == [stored]

    link = f'href="{file_url(course, submission)}">report.pdf</a>'
    assert link in text_of(as_student.get(work_url(course, file_item)))

    for client in (as_student, as_ta, as_instructor):
        download = client.get(file_url(course, submission))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/octet-stream"
        assert download["Content-Disposition"] == 'attachment; filename="report.pdf"'
        assert downloaded(download) == PDF


def test_a_file_is_404_for_another_student_and_an_outsider_and_anonymous_must_log_in(
    course, file_item, student, as_student, as_outsider
):
    submission = hand_in_at(
        file_item, student, timezone.now(), text="", file=SimpleUploadedFile("report.pdf", PDF)
    )
    path = file_url(course, submission)
    other = logged_in(new_student(course, "bob"))
    assert other.get(path).status_code == 404
    assert as_outsider.get(path).status_code == 404
    anonymous = Client().get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_a_file_of_another_course_is_404_even_for_staff(course, as_ta):
    elsewhere = GradeItemFactory(accepts_file=True)
    student = new_student(elsewhere.component.course, "zed")
    submission = hand_in_at(
        elsewhere, student, timezone.now(), text="", file=SimpleUploadedFile("z.pdf", PDF)
    )
    assert as_ta.get(file_url(course, submission)).status_code == 404


def test_a_submission_without_a_file_has_no_download(course, item, student, as_student):
    submission = hand_in_at(item, student, timezone.now())
    assert as_student.get(file_url(course, submission)).status_code == 404


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_written(
    course, file_item, media, settings, as_student
):
    settings.SUBMISSION_MAX_BYTES = 1024 * 1024
    content = PDF + b"0" * (1024 * 1024 + 1 - len(PDF))
    response = as_student.post(
        work_url(course, file_item), {"file": SimpleUploadedFile("big.pdf", content)}
    )
    assert response.status_code == 200
    assert "The file is larger than 1 MB." in text_of(response)
    assert not Submission.objects.exists()
    assert files_under(media) == []


def test_a_file_exactly_at_the_size_limit_is_accepted(course, file_item, settings, as_student):
    settings.SUBMISSION_MAX_BYTES = 1024 * 1024
    content = PDF + b"0" * (1024 * 1024 - len(PDF))
    response = as_student.post(
        work_url(course, file_item), {"file": SimpleUploadedFile("fits.pdf", content)}
    )
    assert response.status_code == 302
    assert Submission.objects.get(item=file_item).file.size == 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", "Upload one of these file types: pdf, zip"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "not a .pdf file"),
        ("page.html", b"<html></html>", "Upload one of these file types"),
        ("noextension", PDF, "Upload one of these file types"),
        ("code.zip", b"not a zip archive", "not a .zip file"),
        ("analysis.ipynb", b'{"metadata": {}}', "not a .ipynb file"),
        ("analysis.ipynb", b"not json at all", "not a .ipynb file"),
        ("notes.txt", b"binary\x00data", "not a .txt file"),
        ("notes.txt", b"\xff\xfe\xfa latin garbage", "not a .txt file"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused(
    name, content, message, course, file_item, media, as_student
):
    response = as_student.post(
        work_url(course, file_item), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert not Submission.objects.exists()
    assert files_under(media) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("analysis.ipynb", NOTEBOOK.encode()),
        ("notes.txt", b"Plain notes, with an accent: caf\xc3\xa9.\n"),
        ("code.zip", b"PK\x03\x04" + b"\x00" * 26),
        ("REPORT.PDF", PDF),
    ],
)
def test_notebooks_text_zip_and_upper_case_extensions_are_accepted(
    name, content, course, file_item, student, as_student
):
    response = as_student.post(
        work_url(course, file_item), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302
    submission = Submission.objects.get(item=file_item, student=student)
    assert submission.file_name == name
    assert submission.file.read() == content
    submission.file.close()


@pytest.mark.parametrize("name", ["../../evil.pdf", "..\\..\\evil.pdf", "/etc/evil.pdf"])
def test_a_file_name_with_directories_is_stored_only_inside_media(
    name, course, file_item, student, media, as_student
):
    boundary = "BoundaryForPathTricks"
    response = as_student.post(
        work_url(course, file_item),
        data=multipart_body(boundary, name, PDF),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    submission = Submission.objects.get(item=file_item, student=student)
    assert submission.file_name == "evil.pdf"
    stored = Path(submission.file.path).resolve()
    assert stored.is_relative_to(media.resolve())
    assert files_under(media) == [stored]
    assert not (media.parent / "evil.pdf").exists()
    assert not (media.parent.parent / "evil.pdf").exists()


@pytest.mark.parametrize("name", [".htaccess", "a<b>.pdf", "report..pdf", "x" * 147 + ".pdf"])
def test_a_file_name_with_odd_characters_is_refused_with_the_rename_message(
    name, course, file_item, media, as_student
):
    response = as_student.post(work_url(course, file_item), {"file": SimpleUploadedFile(name, PDF)})
    assert response.status_code == 200
    assert RENAME in text_of(response)
    assert not Submission.objects.exists()
    assert files_under(media) == []


def test_spaces_and_brackets_in_a_file_name_are_made_safe(course, file_item, student, as_student):
    upload = SimpleUploadedFile("My report (final).pdf", PDF)
    assert as_student.post(work_url(course, file_item), {"file": upload}).status_code == 302
    assert Submission.objects.get(item=file_item, student=student).file_name == (
        "My_report_final.pdf"
    )


def test_an_item_without_files_ignores_an_uploaded_file(course, item, student, media, as_student):
    response = as_student.post(
        work_url(course, item), {"text": "Only text.", "file": SimpleUploadedFile("r.pdf", PDF)}
    )
    assert response.status_code == 302
    submission = Submission.objects.get(item=item, student=student)
    assert not submission.file
    assert files_under(media) == []


def hand_in_two_versions(course, item, client) -> tuple[bytes, bytes]:
    first = PDF + b"% version one\n"
    second = PDF + b"% version two\n"
    for text, content in (("v1", first), ("v2", second)):
        upload = SimpleUploadedFile("report.pdf", content)
        assert (
            client.post(work_url(course, item), {"text": text, "file": upload}).status_code == 302
        )
    return first, second


@pytest.fixture
def report(component):
    return new_item(component, "Report", accepts_text=True, accepts_file=True)


def test_replacing_a_file_keeps_the_earlier_file_for_the_staff_only(
    course, report, student, media, as_student, as_ta
):
    first, second = hand_in_two_versions(course, report, as_student)
    submission = Submission.objects.get(item=report, student=student)
    earlier = submission.history.order_by("history_date").first()

    assert downloaded(as_student.get(file_url(course, submission))) == second
    assert as_student.get(file_url(course, submission, earlier.history_id)).status_code == 404
    assert (media / earlier.file).read_bytes() == first
    assert len(files_under(media)) == 2

    grading = text_of(as_ta.get(grade_url(course, report, student)))
    assert f"{file_url(course, submission)}?version={earlier.history_id}" in grading
    assert as_ta.get(file_url(course, submission, 999_999)).status_code == 404


def test_staff_download_an_earlier_version_of_a_file(course, report, student, ta, as_student):
    first, _ = hand_in_two_versions(course, report, as_student)
    submission = Submission.objects.get(item=report, student=student)
    earlier = submission.history.order_by("history_date").first()
    staff = Client(raise_request_exception=False)
    staff.force_login(ta)
    response = staff.get(file_url(course, submission, earlier.history_id))
    assert response.status_code == 200
    assert downloaded(response) == first


def test_the_earlier_version_link_names_its_file(course, report, student, as_student, as_ta):
    hand_in_two_versions(course, report, as_student)
    submission = Submission.objects.get(item=report, student=student)
    earlier = submission.history.order_by("history_date").first()
    grading = text_of(as_ta.get(grade_url(course, report, student)))
    link = f'href="{file_url(course, submission)}?version={earlier.history_id}">'
    text = grading.split(link, 1)[1].split("</a>", 1)[0]
    assert "report.pdf" in text


def test_removing_the_file_keeps_the_text_and_the_earlier_file_in_the_history(
    course, report, student, media, as_student, as_ta
):
    as_student.post(
        work_url(course, report), {"text": "Notes", "file": SimpleUploadedFile("report.pdf", PDF)}
    )
    assert "Remove the file handed in" in text_of(as_student.get(work_url(course, report)))

    response = as_student.post(work_url(course, report), {"text": "Notes", "remove_file": "on"})
    assert response.status_code == 302
    submission = Submission.objects.get(item=report, student=student)
    assert not submission.file
    assert submission.text == "Notes"
    assert as_student.get(file_url(course, submission)).status_code == 404
    earlier = submission.history.order_by("history_date").first()
    assert (media / earlier.file).read_bytes() == PDF
    grading = text_of(as_ta.get(grade_url(course, report, student)))
    assert f"?version={earlier.history_id}" in grading


def test_removing_the_only_thing_handed_in_is_refused(course, file_item, student, as_student):
    as_student.post(work_url(course, file_item), {"file": SimpleUploadedFile("report.pdf", PDF)})
    response = as_student.post(work_url(course, file_item), {"remove_file": "on"})
    assert response.status_code == 200
    assert "There is nothing to hand in" in text_of(response)
    assert Submission.objects.get(item=file_item, student=student).file_name == "report.pdf"


# --- one's own work only ----------------------------------------------------------------------


def test_a_student_only_ever_sees_their_own_submission(course, item, student, bob, as_student):
    hand_in_at(item, bob, timezone.now(), text="Bob's secret answer.")
    for path in (work_url(course, item), f"{work_url(course, item)}?student={bob.pk}"):
        page = text_of(as_student.get(path))
        assert "Bob's secret answer." not in page
        assert "Bob&#x27;s secret answer." not in page
        assert "What you handed in" not in page
    assert ">Not submitted</span>" in text_of(as_student.get(url(course, "work/")))


def test_another_students_file_is_404_but_staff_can_download_it(
    course, file_item, student, bob, as_student, as_ta
):
    theirs = hand_in_at(
        file_item, bob, timezone.now(), text="", file=SimpleUploadedFile("bob.pdf", PDF)
    )
    assert as_student.get(file_url(course, theirs)).status_code == 404
    assert downloaded(as_ta.get(file_url(course, theirs))) == PDF


# --- the TA's grading queue -------------------------------------------------------------------


@pytest.fixture
def queue(course, component, alice, bob, ta):
    """Alice on time, Bob a day late, Carol nothing, Dan on time and graded."""
    due = timezone.now() - dt.timedelta(hours=2)
    item = new_item(component, "Response 2", due_at=due)
    carol = new_student(course, "carol", first_name="Carol", last_name="Clark")
    dan = new_student(course, "dan", first_name="Dan", last_name="Dunn")
    hand_in_at(item, alice, due - dt.timedelta(hours=1), text="Alice's answer.")
    hand_in_at(item, bob, due + dt.timedelta(hours=1), text="Bob's answer.")
    hand_in_at(item, dan, due - dt.timedelta(hours=3), text="Dan's answer.")
    score_set(item=item, student=dan, points=Decimal("9"), by=ta)
    return {"item": item, "alice": alice, "bob": bob, "carol": carol, "dan": dan}


@pytest.mark.parametrize(
    ("show", "listed"),
    [
        ("all", {"alice", "bob", "carol", "dan"}),
        ("submitted", {"alice", "bob", "dan"}),
        ("ungraded", {"alice", "bob"}),
        ("late", {"bob"}),
        ("nonsense", {"alice", "bob", "carol", "dan"}),
    ],
)
def test_the_queue_filters_list_the_right_students(show, listed, course, queue, as_ta):
    page = text_of(as_ta.get(queue_url(course, queue["item"], show)))
    for key in ("alice", "bob", "carol", "dan"):
        name = queue[key].get_full_name()
        assert (name in page) == (key in listed), (show, key)


def test_the_queue_shows_lateness_and_scores(course, queue, as_ta):
    page = text_of(as_ta.get(queue_url(course, queue["item"])))
    bob_row = page.split("Bob Baker", 1)[1].split("</tr>", 1)[0]
    assert "1 day late" in bob_row
    assert "not graded" in bob_row
    dan_row = page.split("Dan Dunn", 1)[1].split("</tr>", 1)[0]
    assert "<td>9</td>" in dan_row
    assert "late" not in dan_row


def test_the_grading_page_links_to_the_previous_and_next_students(course, queue, as_ta):
    item = queue["item"]

    def link(rel, student, show):
        return f'rel="{rel}" href="{grade_url(course, item, student, show)}"'

    page = text_of(as_ta.get(grade_url(course, item, queue["bob"], "all")))
    assert "2 of 4" in page
    assert link("prev", queue["alice"], "all") in page
    assert link("next", queue["carol"], "all") in page
    assert "<p>Bob's answer.</p>" in page

    first = text_of(as_ta.get(grade_url(course, item, queue["alice"], "all")))
    assert "1 of 4" in first
    assert 'rel="prev"' not in first

    ungraded = text_of(as_ta.get(grade_url(course, item, queue["bob"], "ungraded")))
    assert "2 of 2" in ungraded
    assert link("prev", queue["alice"], "ungraded") in ungraded
    assert 'rel="next"' not in ungraded


def test_the_grading_page_of_someone_not_a_student_here_is_404(course, queue, ta, outsider, as_ta):
    assert as_ta.get(grade_url(course, queue["item"], outsider)).status_code == 404
    assert as_ta.get(grade_url(course, queue["item"], ta)).status_code == 404


def test_saving_a_score_records_the_ta_and_goes_to_the_next_student(course, queue, ta, as_ta):
    item, bob = queue["item"], queue["bob"]
    response = as_ta.post(
        grade_url(course, item, bob, "all"), {"points": "8", "comment": "Clear argument."}
    )
    assert response.status_code == 302
    assert response["Location"] == grade_url(course, item, queue["carol"], "all")

    score = Score.objects.get(item=item, student=bob)
    assert (score.points, score.comment, score.graded_by) == (
        Decimal("8"),
        "Clear argument.",
        ta,
    )
    record = score.history.latest()
    assert record.history_user == ta
    assert not record.history_change_reason

    page = text_of(as_ta.get(response["Location"]))
    assert "Saved Bob Baker: 8." in page


def test_saving_the_last_student_stays_on_their_page(course, queue, as_ta):
    item, dan = queue["item"], queue["dan"]
    response = as_ta.post(grade_url(course, item, dan, "all"), {"points": "EX"})
    assert response["Location"] == grade_url(course, item, dan, "all")
    score = Score.objects.get(item=item, student=dan)
    assert score.excused
    assert score.points is None


def test_saving_in_a_filtered_queue_keeps_the_filter(course, queue, as_ta):
    item = queue["item"]
    response = as_ta.post(grade_url(course, item, queue["alice"], "ungraded"), {"points": "7"})
    assert response["Location"] == grade_url(course, item, queue["bob"], "ungraded")


def test_an_invalid_score_is_refused_and_nothing_is_saved(course, queue, as_ta):
    item, bob = queue["item"], queue["bob"]
    response = as_ta.post(grade_url(course, item, bob), {"points": "lots"})
    assert response.status_code == 200
    assert "is not a number" in text_of(response)
    response = as_ta.post(grade_url(course, item, bob), {"points": "21"})
    assert response.status_code == 200
    assert not Score.objects.filter(item=item, student=bob).exists()


# --- late deductions at grading time ----------------------------------------------------------


@pytest.fixture
def late_work(course, alice, bob):
    """Bob's problem set is 30 hours late (2 days); 10% a day, never below 50%."""
    component = GradeComponentFactory(
        course=course,
        name="Problem Sets",
        late_percent_per_day=Decimal("10"),
        late_floor_percent=Decimal("50"),
    )
    due = timezone.now() - dt.timedelta(days=3)
    item = new_item(component, "Problem Set 1", due_at=due, points_possible=Decimal("20"))
    hand_in_at(item, bob, due + dt.timedelta(hours=30), text="Proofs.")
    hand_in_at(item, alice, due - dt.timedelta(hours=1), text="On time.")
    return item


def apply_box(page: str) -> str:
    return re.search(r'<input[^>]*name="apply_late_penalty"[^>]*>', page).group(0)


def test_the_grading_page_offers_the_late_deduction_ticked(course, late_work, bob, as_ta):
    page = text_of(as_ta.get(grade_url(course, late_work, bob)))
    suggestion = page.split('data-testid="late-suggestion">', 1)[1].split("</div>", 1)[0]
    assert "10% of the points per day late, never below 50%" in suggestion
    assert "2 days count, so a full score would lose 4 points" in suggestion
    assert "checked" in apply_box(page)
    assert "1 day 6 hours late" in page


def test_work_on_time_gets_no_late_deduction_offer(course, late_work, alice, as_ta):
    page = text_of(as_ta.get(grade_url(course, late_work, alice)))
    assert "late-suggestion" not in page
    assert 'name="apply_late_penalty"' not in page


@pytest.mark.parametrize(
    ("raw", "saved"), [("18", Decimal("14")), ("12", Decimal("10")), ("9", Decimal("9"))]
)
def test_with_the_box_ticked_the_deduction_is_taken_down_to_the_floor(
    raw, saved, course, late_work, bob, ta, as_ta
):
    response = as_ta.post(
        grade_url(course, late_work, bob), {"points": raw, "apply_late_penalty": "on"}
    )
    assert response.status_code == 302
    score = Score.objects.get(item=late_work, student=bob)
    assert score.points == saved
    record = score.history.latest()
    assert record.history_user == ta
    if saved == Decimal(raw):
        assert not record.history_change_reason
    else:
        deduction = Decimal(raw) - saved
        assert record.history_change_reason == (
            f"Late deduction −{deduction:f} applied to {raw} (2 day(s) late)"
        )


def test_with_the_box_unticked_the_raw_points_are_saved(course, late_work, bob, as_ta):
    response = as_ta.post(grade_url(course, late_work, bob), {"points": "18"})
    assert response.status_code == 302
    score = Score.objects.get(item=late_work, student=bob)
    assert score.points == Decimal("18")
    assert not score.history.latest().history_change_reason


def test_an_excused_late_student_loses_nothing(course, late_work, bob, as_ta):
    as_ta.post(grade_url(course, late_work, bob), {"points": "EX", "apply_late_penalty": "on"})
    score = Score.objects.get(item=late_work, student=bob)
    assert score.excused
    assert score.points is None


def test_late_days_that_cover_the_lateness_remove_the_deduction(course, late_work, bob, as_ta):
    course.late_days = 2
    course.save()
    page = text_of(as_ta.get(grade_url(course, late_work, bob)))
    assert "2 covered by late days" in page
    assert "late-suggestion" not in page

    as_ta.post(grade_url(course, late_work, bob), {"points": "18", "apply_late_penalty": "on"})
    assert Score.objects.get(item=late_work, student=bob).points == Decimal("18")


def test_saving_the_grading_page_again_unchanged_does_not_deduct_twice(
    course, late_work, bob, as_ta
):
    path = grade_url(course, late_work, bob)
    as_ta.post(path, {"points": "18", "comment": "Good.", "apply_late_penalty": "on"})
    assert Score.objects.get(item=late_work, student=bob).points == Decimal("14")

    page = as_ta.get(path)
    initial = page.context["form"].initial
    assert initial["points"] == "14"
    data = {"points": initial["points"], "comment": initial["comment"]}
    if initial["apply_late_penalty"]:
        data["apply_late_penalty"] = "on"
    as_ta.post(path, data)
    assert Score.objects.get(item=late_work, student=bob).points == Decimal("14")


# --- released scores --------------------------------------------------------------------------


def test_a_student_sees_the_score_and_comment_only_once_released(
    course, item, student, ta, as_student, as_ta
):
    hand_in_at(item, student, timezone.now(), text="My response.")
    as_ta.post(grade_url(course, item, student), {"points": "8.5", "comment": "Nice framing."})

    page = text_of(as_student.get(work_url(course, item)))
    assert "Nice framing." not in page
    assert 'data-testid="score"' not in page
    assert ">Submitted</span>" in text_of(as_student.get(url(course, "work/")))

    item_release(item=item, released=True, by=ta)
    page = text_of(as_student.get(work_url(course, item)))
    score = page.split('data-testid="score">', 1)[1].split("</p>", 1)[0]
    assert score == "8.5 / 10"
    assert "Nice framing." in page
    listing = text_of(as_student.get(url(course, "work/")))
    assert ">Graded</span>" in listing
    assert "8.5 / 10" in listing


# --- late days --------------------------------------------------------------------------------


@pytest.fixture
def two_late_items(component):
    due = timezone.now() - dt.timedelta(days=5)
    first = new_item(component, "Response A", due_at=due)
    second = new_item(component, "Response B", due_at=due)
    return first, second, due


def test_late_days_cover_the_first_late_hand_in_and_the_page_says_so(
    course, two_late_items, student, as_student
):
    course.late_days = 2
    course.save()
    first, second, due = two_late_items
    hand_in_at(first, student, due + dt.timedelta(hours=30))  # 2 days late
    hand_in_at(second, student, due + dt.timedelta(hours=40))  # 2 days late

    listing = text_of(as_student.get(url(course, "work/")))
    assert "This course gives you 2 late days" in listing
    assert "2 days late, 2 covered by late days" in listing
    first_page = text_of(as_student.get(work_url(course, first)))
    assert "2 late days used" in first_page
    assert "may be deducted" not in first_page
    second_page = text_of(as_student.get(work_url(course, second)))
    assert "late days used" not in second_page
    assert "2 days may be deducted" in second_page


def test_late_days_follow_the_order_of_hand_in_not_of_the_items(
    course, two_late_items, student, as_student
):
    course.late_days = 1
    course.save()
    first, second, due = two_late_items
    hand_in_at(second, student, due + dt.timedelta(hours=2))  # handed in first, 1 day
    hand_in_at(first, student, due + dt.timedelta(hours=3))  # 1 day

    assert "1 late day used" in text_of(as_student.get(work_url(course, second)))
    first_page = text_of(as_student.get(work_url(course, first)))
    assert "late day used" not in first_page
    assert "1 day may be deducted" in first_page


def test_one_late_day_covers_one_day_through_the_site(course, component, student, as_student):
    course.late_days = 1
    course.save()
    item = new_item(component, due_at=timezone.now() - dt.timedelta(hours=3))
    as_student.post(work_url(course, item), {"text": "Late but covered."})
    page = text_of(as_student.get(work_url(course, item)))
    assert "1 late day used" in page
    assert "may be deducted" not in page


# --- presenters' digest -----------------------------------------------------------------------


@pytest.fixture
def digest(course, component, alice, bob):
    """Alice presents in the session; Bob responded to its readings."""
    session = SessionFactory(course=course, title="Scaling laws")
    seat(ReadingFactory(session=session, presentable=True), alice)
    item = new_item(component, "Response: scaling laws", session=session)
    other_session = SessionFactory(course=course, title="Mixture of experts")
    other_item = new_item(component, "Response: experts", session=other_session)
    hand_in_at(item, bob, timezone.now(), text="Compute-optimal models are **smaller**.")
    hand_in_at(other_item, bob, timezone.now(), text="Routing is fragile.")
    return session


def responses_url(course, session):
    return url(course, f"sessions/{session.pk}/responses/")


def test_a_presenter_reads_the_sessions_responses_without_names(course, digest, as_student):
    response = as_student.get(responses_url(course, digest))
    assert response.status_code == 200
    page = text_of(response)
    assert "Compute-optimal models are <strong>smaller</strong>." in page
    assert "Routing is fragile." not in page
    assert "Bob Baker" not in page
    assert "Response 1 · Response: scaling laws" in page
    assert "Names are not shown" in page


def test_a_presenter_sees_names_when_the_course_shares_them(course, digest, as_student):
    course.share_response_names = True
    course.save()
    page = text_of(as_student.get(responses_url(course, digest)))
    assert "Bob Baker · Response: scaling laws" in page
    assert "Names are not shown" not in page


def test_staff_see_the_responses_with_names(course, digest, as_ta, as_instructor):
    for client in (as_ta, as_instructor):
        page = text_of(client.get(responses_url(course, digest)))
        assert "Bob Baker · Response: scaling laws" in page


def test_a_student_who_does_not_present_there_gets_403(course, digest, bob, alice):
    assert logged_in(bob).get(responses_url(course, digest)).status_code == 403
    waiting = new_student(course, "wendy")
    seat(ReadingFactory(session=digest, presentable=True), waiting, status="waitlisted")
    assert logged_in(waiting).get(responses_url(course, digest)).status_code == 403
    elsewhere = new_student(course, "elsa")
    seat(ReadingFactory(session=SessionFactory(course=course), presentable=True), elsewhere)
    assert logged_in(elsewhere).get(responses_url(course, digest)).status_code == 403


def test_the_digest_is_404_to_outsiders_and_anonymous_visitors_must_log_in(
    course, digest, as_outsider
):
    assert as_outsider.get(responses_url(course, digest)).status_code == 404
    anonymous = Client().get(responses_url(course, digest))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_a_session_of_another_course_is_404(course, as_ta):
    assert as_ta.get(responses_url(course, SessionFactory())).status_code == 404


def test_a_session_without_responses_says_so(course, as_ta):
    session = SessionFactory(course=course)
    page = text_of(as_ta.get(responses_url(course, session)))
    assert "No reading response is attached to this session." in page


# --- who may open which page ------------------------------------------------------------------


def test_work_pages_are_for_students_only(course, item, ta, instructor, as_outsider):
    for path in (url(course, "work/"), work_url(course, item)):
        assert logged_in(ta).get(path).status_code == 403
        assert logged_in(instructor).get(path).status_code == 403
        assert as_outsider.get(path).status_code == 404
        anonymous = Client().get(path)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
    assert logged_in(ta).post(work_url(course, item), {"text": "x"}).status_code == 403
    assert not Submission.objects.exists()


def test_queue_pages_are_for_staff_only(course, item, student, as_student, as_outsider, as_ta):
    for path in (queue_url(course, item), grade_url(course, item, student)):
        assert as_ta.get(path).status_code == 200
        assert as_student.get(path).status_code == 403
        assert as_outsider.get(path).status_code == 404
        anonymous = Client().get(path)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
    assert as_student.post(grade_url(course, item, student), {"points": "10"}).status_code == 403
    assert not Score.objects.exists()


def test_queue_pages_of_an_item_of_another_course_are_404(course, student, as_ta):
    elsewhere = GradeItemFactory(accepts_text=True)
    assert as_ta.get(queue_url(course, elsewhere)).status_code == 404
    assert as_ta.get(grade_url(course, elsewhere, student)).status_code == 404
