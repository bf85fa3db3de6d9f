"""Handing in files: where they are stored, who may download them, the size and
type limits, safe file names, earlier versions, and one's own work only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from grading.models import Submission
from tests.conftest import PDF, files_under, logged_in
from tests.factories import GradeItemFactory, new_student
from tests.grading.submissions_helpers import (
    grade_url,
    hand_in_at,
    new_item,
    text_of,
    url,
    work_url,
)

pytestmark = pytest.mark.django_db

NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
RENAME = "Rename the file using letters, digits, spaces, dots, dashes and underscores"


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uploads_in_their_own_folder(media):
    return media


@pytest.fixture
def file_item(component):
    return new_item(component, "Project report", accepts_text=False, accepts_file=True)


def file_url(course, submission, version=None):
    path = url(course, f"submissions/{submission.pk}/file")
    return f"{path}?version={version}" if version else path


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


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
