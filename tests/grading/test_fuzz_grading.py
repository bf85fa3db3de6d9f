"""Property tests of the gradebook's forms and uploads: score entry, grading a hand-in,
handing work in, and the gradebook CSV import. Each answers hostile input (NUL
characters, numbers past any column, text past any limit, files that are not what
they say) with a 4xx or a form error, never a server error, and a refusal leaves the
database as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import strategies as st

from courses.models import Membership
from grading.forms import ROWS_BEYOND_ROSTER
from grading.models import GradeImport, Submission
from grading.services import score_set
from tests.factories import GradeComponentFactory, GradeItemFactory
from tests.fuzz import (
    ANY_CHAR,
    CELL,
    FUZZ,
    NASTY,
    OVERLONG,
    RAW_FILES,
    as_int,
    check,
    clearly_bad_points,
    encoded,
    refused,
    rows_to_csv,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(course):
    component = GradeComponentFactory(course=course, name="Responses", weight=20)
    return GradeItemFactory(
        component=component,
        title="Response 1",
        points_possible=Decimal("10"),
        accepts_text=True,
        accepts_url=True,
        accepts_file=True,
        due_at=timezone.now() + dt.timedelta(days=2),
    )


@pytest.fixture
def graded(item, student, instructor):
    """Alice has 7 on the item, so that a change would show."""
    score_set(item=item, student=student, points=Decimal("7"), by=instructor, comment="ok")
    return item


# --- the gradebook's score entry ----------------------------------------------------------


@FUZZ
@given(points=NASTY, was=NASTY, comment=NASTY, excused=st.booleans())
def test_score_entry_never_fails_and_saves_nothing_it_refuses(
    prof_client, graded, student, instructor, points, was, comment, excused
):
    client = prof_client
    before = snapshot()
    data = {
        "scores-TOTAL_FORMS": "1",
        "scores-INITIAL_FORMS": "1",
        "scores-0-student": str(student.pk),
        "scores-0-was": was,
        "scores-0-points": points,
        "scores-0-comment": comment,
    }
    if excused:
        data["scores-0-excused"] = "on"
    response = client.post(f"/courses/cis6200/gradebook/items/{graded.pk}/", data)
    check(response, before, must_refuse=clearly_bad_points(points, graded.points_possible))


MANAGEMENT = NASTY.filter(lambda t: as_int(t) is None or as_int(t) < 50)


def test_score_entry_with_an_absurd_form_count_is_refused(prof_client, graded, student):
    before = snapshot()
    data = {
        "scores-TOTAL_FORMS": "9" * 40,
        "scores-INITIAL_FORMS": "1",
        "scores-0-student": str(student.pk),
        "scores-0-was": "",
        "scores-0-points": "5",
    }
    response = prof_client.post(f"/courses/cis6200/gradebook/items/{graded.pk}/", data)
    check(response, before, must_refuse=True)
    assert "more rows than the course has students" in response.content.decode()
    # Rows are built up to the roster and a margin for students who just left,
    # not up to the count claimed: the refusal costs what the real page costs.
    students = Membership.objects.filter(course=graded.component.course, role="student").count()
    assert len(response.context["formset"].forms) <= students + ROWS_BEYOND_ROSTER


@FUZZ
@given(
    total=MANAGEMENT, initial=MANAGEMENT, student_id=NASTY, points=st.sampled_from(["5", "", "EX"])
)
def test_score_entry_management_form_garbage_is_refused(
    prof_client, graded, student, instructor, total, initial, student_id, points
):
    assume(as_int(student_id) != student.pk)
    client = prof_client
    before = snapshot()
    data = {
        "scores-TOTAL_FORMS": total,
        "scores-INITIAL_FORMS": initial,
        "scores-0-student": student_id,
        "scores-0-was": "",
        "scores-0-points": points,
    }
    response = client.post(f"/courses/cis6200/gradebook/items/{graded.pk}/", data)
    assert response.status_code < 500, response.content[:2000]
    assert snapshot() == before


# --- grading one hand-in ------------------------------------------------------------------


@FUZZ
@given(points=NASTY, comment=NASTY, late=st.booleans())
def test_submission_grade_never_fails_and_saves_nothing_it_refuses(
    prof_client, graded, student, instructor, points, comment, late
):
    client = prof_client
    before = snapshot()
    data = {"points": points, "comment": comment}
    if late:
        data["apply_late_penalty"] = "on"
    response = client.post(
        f"/courses/cis6200/gradebook/items/{graded.pk}/submissions/{student.pk}/", data
    )
    check(response, before, must_refuse=clearly_bad_points(points, graded.points_possible))


# --- handing work in ----------------------------------------------------------------------

FILE_NAMES = st.one_of(
    st.sampled_from(
        ["report.pdf", "a.txt", "x.exe", ".htaccess", "../../etc/passwd", "n.ipynb", "z.zip", ""]
    ),
    st.text(alphabet=ANY_CHAR, min_size=1, max_size=40),
)


@FUZZ
@given(
    text=NASTY,
    url=NASTY,
    name=FILE_NAMES,
    content=st.one_of(st.just(b""), st.binary(max_size=200)),
    with_file=st.booleans(),
)
def test_hand_in_never_fails_and_saves_nothing_it_refuses(
    alice_client, item, student, media, text, url, name, content, with_file
):
    client = alice_client
    before = snapshot()
    data = {"text": text, "url": url}
    if with_file:
        # A name the test client itself cannot send ("", "/", "..") becomes "x".
        sendable = name if os.path.basename(name) not in ("", ".", "..") else "x"
        data["file"] = SimpleUploadedFile(sendable, content)
    response = client.post(f"/courses/cis6200/work/{item.pk}/", data)
    # Django's upload parser drops a file whose name is nothing once cleaned
    # (e.g. only control characters): then no file reached the page at all.
    empty_file = with_file and not content and "file" in response.wsgi_request.FILES
    check(response, before, must_refuse=empty_file or "\x00" in text)


# --- the gradebook CSV import ----------------------------------------------------------


def gradebook_rows(header):
    row = st.lists(CELL, min_size=len(header), max_size=len(header))
    return st.lists(row, min_size=0, max_size=4).map(lambda rows: [header, *rows])


def import_upload(client, content: bytes, name: str):
    return client.post(
        "/courses/cis6200/gradebook/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        follow=True,
    )


def check_import(response, before) -> None:
    assert response.status_code < 500, response.content[:2000]
    for hop, _ in response.redirect_chain:
        assert "/gradebook/import/" in hop
    assert snapshot() == before


@FUZZ
@given(content=RAW_FILES, name=st.sampled_from(["grades.csv", "GRADES.CSV", "grades.xlsx"]))
def test_gradebook_import_of_arbitrary_bytes_never_fails_or_changes_scores(
    prof_client, graded, instructor, content, name
):
    client = prof_client
    before = snapshot()
    imports = GradeImport.objects.count()
    response = import_upload(client, content, name)
    check_import(response, before)
    if not content.strip() or not name.lower().endswith(".csv"):
        assert refused(response)
        assert GradeImport.objects.count() == imports


@FUZZ
@given(data=st.data(), how=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_gradebook_import_of_hostile_rows_never_fails_or_changes_scores(
    prof_client, graded, student, instructor, data, how
):
    client = prof_client
    header = next(
        csv.reader(
            io.StringIO(
                client.get("/courses/cis6200/gradebook/export.csv").content.decode("utf-8-sig")
            )
        )
    )
    rows = data.draw(gradebook_rows(header))
    if data.draw(st.booleans()) and len(rows) > 1:
        rows[1][1] = student.username  # a real student, with hostile cells
    before = snapshot()
    response = import_upload(client, encoded(rows_to_csv(rows), how), "grades.csv")
    check_import(response, before)


# --- what no form takes, field by field -----------------------------------------------------

NESTED = [
    ("deep.ipynb", b"[" * 100_000 + b"]" * 100_000),
    ("deep.ipynb", b'{"cells": ' + b"[" * 5_000 + b"]" * 5_000 + b"}"),
    ("deep.ipynb", b'{"cells": [], "x": ' + b'{"a": ' * 3_000 + b"1" + b"}" * 3_000 + b"}"),
]


@pytest.mark.parametrize(("name", "content"), NESTED)
def test_a_notebook_nested_past_any_parser_is_refused_as_not_a_notebook(
    alice_client, item, media, name, content
):
    before = snapshot()
    upload = SimpleUploadedFile(name, content)
    response = alice_client.post(f"/courses/cis6200/work/{item.pk}/", {"file": upload})
    check(response, before, must_refuse=True)
    assert "not a .ipynb file" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_real_notebook_is_still_taken(alice_client, item, media):
    upload = SimpleUploadedFile("n.ipynb", b'{"cells": [{"source": [[["deep enough"]]]}]}')
    response = alice_client.post(f"/courses/cis6200/work/{item.pk}/", {"file": upload})
    assert response.status_code == 302
    assert Submission.objects.get().file.name.endswith(".ipynb")


@pytest.mark.parametrize("value", [*OVERLONG, "a\x00b"])
@pytest.mark.parametrize("field", ["text", "url"])
def test_a_hand_in_field_past_its_limit_or_with_a_nul_is_refused(alice_client, item, field, value):
    before = snapshot()
    data = {"text": "My answer.", "url": "https://example.com/x", field: value}
    response = alice_client.post(f"/courses/cis6200/work/{item.pk}/", data)
    check(response, before, must_refuse=True)


@pytest.mark.parametrize("value", [*OVERLONG, "a\x00b", str(2**63), "-" + "9" * 5000])
@pytest.mark.parametrize("field", ["points", "comment", "was", "student", "excused"])
def test_a_score_row_field_past_its_limit_or_with_a_nul_is_refused(
    prof_client, graded, student, field, value
):
    before = snapshot()
    data = {
        "scores-TOTAL_FORMS": "1",
        "scores-INITIAL_FORMS": "1",
        "scores-0-student": str(student.pk),
        "scores-0-was": "",
        "scores-0-points": "8",
        "scores-0-comment": "fine",
        f"scores-0-{field}": value,
    }
    response = prof_client.post(f"/courses/cis6200/gradebook/items/{graded.pk}/", data)
    # Any value ticks the excused box, which points then contradict; a stale "was" is
    # the page's business; a comment only has to fit.
    long_or_nul = len(value) > 4000 or "\x00" in value
    must_refuse = field in ("points", "student", "excused") or (long_or_nul and field != "was")
    check(response, before, must_refuse=must_refuse or "\x00" in value)


@pytest.mark.parametrize("count", [str(2**63), "9" * 5000, "-1", "1e9", "\x00"])
@pytest.mark.parametrize(
    "which", ["TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"]
)
def test_score_entry_with_an_absurd_formset_count_is_refused(
    prof_client, graded, student, which, count
):
    before = snapshot()
    data = {
        "scores-TOTAL_FORMS": "1",
        "scores-INITIAL_FORMS": "1",
        "scores-0-student": str(student.pk),
        "scores-0-was": "",
        "scores-0-points": "5",
        f"scores-{which}_FORMS": count,
    }
    response = prof_client.post(f"/courses/cis6200/gradebook/items/{graded.pk}/", data)
    assert response.status_code < 500, response.content[:2000]
    if refused(response):
        assert snapshot() == before
