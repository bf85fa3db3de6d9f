"""Gradebook CSV export and import stay in their course (tests/two_courses.py):
an export holds the course's own students and items, and an import into one
course matches only its students and items and never touches the other's
scores, even when both have an item of the same title."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grading.models import GradeImport, Score
from grading.services import import_plan, score_set

pytestmark = pytest.mark.django_db


def export(client, t, course) -> list[list[str]]:
    body = client.get(t.url("grading:gradebook_export", course)).content.decode("utf-8")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def to_csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def upload(client, t, course, text: str):
    return client.post(
        t.url("grading:gradebook_import", course),
        {"file": SimpleUploadedFile("grades.csv", text.encode(), content_type="text/csv")},
        follow=True,
    )


def confirm(client, t, course, preview):
    return client.post(
        t.url("grading:gradebook_import_preview", course, preview.context["grade_import"].pk),
        {"fingerprint": preview.context["plan"].fingerprint},
        follow=True,
    )


def all_scores() -> set[tuple[str, str, str, Decimal | None]]:
    return {
        (s.item.component.course.code, s.item.title, s.student.username, s.points)
        for s in Score.objects.select_related("item__component__course", "student")
    }


@pytest.fixture
def scored(two_courses):
    t = two_courses
    score_set(item=t.a_item, student=t.alice, points=Decimal("9"), by=t.bob)
    score_set(item=t.b_item, student=t.alice, points=Decimal("3"), by=t.dan)
    score_set(item=t.b_item, student=t.frank, points=Decimal("8"), by=t.dan)
    return t


def test_as_export_holds_as_students_and_items_only(scored):
    t = scored
    rows = export(t.client(t.bob), t, t.a)

    assert rows[0][:4] == ["Student", "Username", "Email", f"Response 1 ({t.a_item.pk})"]
    assert f"Response 1 ({t.b_item.pk})" not in rows[0]
    assert not any("Final" in cell for cell in rows[0])
    assert [(row[1], row[3]) for row in rows[2:]] == [("alice", "9"), ("erin", "")]


def test_importing_into_a_changes_as_scores_and_leaves_bs_as_they_were(scored):
    t = scored
    client = t.client(t.bob)
    rows = export(client, t, t.a)
    rows[2][3] = "7"  # alice
    rows[3][3] = "6"  # erin

    preview = upload(client, t, t.a, to_csv(rows))
    assert preview.context["plan"].ok, preview.context["plan"].problems
    confirm(client, t, t.a, preview)

    assert all_scores() == {
        ("CIS6200", "Response 1", "alice", Decimal("7")),
        ("CIS6200", "Response 1", "erin", Decimal("6")),
        ("CIS7000", "Response 1", "alice", Decimal("3")),
        ("CIS7000", "Response 1", "frank", Decimal("8")),
    }


@pytest.mark.parametrize("username", ["frank", "bob", "carol", "dan"])
def test_a_row_for_someone_who_is_not_a_student_of_a_is_refused(scored, username):
    t = scored
    text = to_csv([["Username", "Response 1"], ["alice", "5"], [username, "10"]])

    plan = import_plan(course=t.a, text=text)

    assert [p.message for p in plan.problems] == [
        f"Unknown student “{username}”: not a student of this course."
    ]
    preview = upload(t.client(t.bob), t, t.a, text)
    assert "not a student of this course" in preview.content.decode()
    before = all_scores()
    confirm(t.client(t.bob), t, t.a, preview)
    assert all_scores() == before


def test_bs_export_imported_into_a_is_refused_and_changes_nothing(scored):
    t = scored
    # B's export cut down to Alice, a student of both, and its Response 1
    # column, which A has by title too: every name in it is known to A.
    exported = export(t.client(t.dan), t, t.b)
    rows = [row[:4] for row in exported if row[1] in ("Username", "", "alice")]
    assert [row[1] for row in rows] == ["Username", "", "alice"]
    assert rows[0][3] == f"Response 1 ({t.b_item.pk})"
    rows[2][3] = "10"
    before = all_scores()
    client = t.client(t.carol)  # instructs A, is a student of B

    preview = upload(client, t, t.a, to_csv(rows))

    plan = preview.context["plan"]
    assert [p.message for p in plan.problems] == [
        f"Column “Response 1 ({t.b_item.pk})” is an item of another course's gradebook, not "
        "of this one. Import the file into its own course, or copy the scores into this "
        "course's export."
    ]
    assert plan.changes == []
    confirm(client, t, t.a, preview)
    assert all_scores() == before


def test_a_column_named_only_by_title_matches_as_item_and_never_bs(scored):
    t = scored
    plan = import_plan(course=t.a, text=to_csv([["Username", "Response 1"], ["alice", "4"]]))

    assert plan.ok, plan.problems
    assert [(c.item, c.student, c.old, c.new) for c in plan.changes] == [
        (t.a_item, t.alice, "9", "4")
    ]


def test_an_import_of_b_is_404_through_as_address(scored):
    t = scored
    grade_import = GradeImport.objects.create(
        course=t.b,
        uploaded_by=t.dan,
        filename="b.csv",
        content=to_csv([["Username", "Response 1"], ["alice", "1"]]),
    )
    client = t.client(t.carol)
    url = t.url("grading:gradebook_import_preview", t.a, grade_import.pk)

    assert client.get(url).status_code == 404
    assert client.post(url, {"fingerprint": "x"}).status_code == 404
    grade_import.refresh_from_db()
    assert grade_import.applied_at is None
    assert ("CIS7000", "Response 1", "alice", Decimal("3")) in all_scores()
