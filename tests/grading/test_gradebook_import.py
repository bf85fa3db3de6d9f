"""CSV export and import: the layout, the preview, all-or-nothing application."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grading.models import GradeImport, Score
from grading.services import GradingError, item_release, score_set
from tests.conftest import logged_in
from tests.factories import GradeComponentFactory, GradeItemFactory, new_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(course):
    responses = GradeComponentFactory(course=course, name="Reading Responses", weight=20)
    project = GradeComponentFactory(course=course, name="Final Project", weight=25)
    return {
        "r1": GradeItemFactory(component=responses, title="Response 1"),
        "r2": GradeItemFactory(component=responses, title="Response 2"),
        "report": GradeItemFactory(component=project, title="Report", points_possible=60),
    }


@pytest.fixture
def roster(course, student):
    bob = new_student(course, "bob", first_name="Bob", last_name="Ross")
    return {"alice": student, "bob": bob}


def export(client, course) -> list[list[str]]:
    response = client.get(f"/courses/{course.slug}/gradebook/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def to_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(client, course, content: bytes, name="grades.csv"):
    """Upload a file; return the preview page (or the upload page with its error)."""
    return client.post(
        f"/courses/{course.slug}/gradebook/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        follow=True,
    )


def confirm(client, course, preview):
    grade_import = preview.context["grade_import"]
    return client.post(
        f"/courses/{course.slug}/gradebook/import/{grade_import.pk}/",
        {"fingerprint": preview.context["plan"].fingerprint},
        follow=True,
    )


def scores(course):
    return {
        (s.student.username, s.item.title): (s.points, s.excused)
        for s in Score.objects.filter(item__component__course=course).select_related(
            "student", "item"
        )
    }


# --- export ------------------------------------------------------------------------------


def test_export_has_one_row_per_student_with_items_totals_and_points_possible(
    course, items, roster, ta, as_ta
):
    score_set(item=items["r1"], student=roster["alice"], points=Decimal("9.5"), by=ta)
    score_set(item=items["r2"], student=roster["alice"], points=None, excused=True, by=ta)
    score_set(item=items["report"], student=roster["alice"], points=Decimal("45"), by=ta)
    rows = export(as_ta, course)
    r1, r2, report = items["r1"], items["r2"], items["report"]
    assert rows[0] == [
        "Student",
        "Username",
        "Email",
        f"Response 1 ({r1.pk})",
        f"Response 2 ({r2.pk})",
        f"Report ({report.pk})",
        "Reading Responses Current Score",
        "Final Project Current Score",
        "Current Score",
        "Projected Score",
        "Current Grade",
    ]
    assert rows[1][:6] == ["Points Possible", "", "", "10", "10", "60"]
    alice = next(row for row in rows if row[1] == "alice")
    # Responses: 9.5/10 = 95%; project 45/60 = 75%; (20 x 95 + 25 x 75) / 45 = 83.89, B-
    assert alice[3:] == ["9.5", "EX", "45", "95.00", "75.00", "83.89", "83.89", "B-"]
    bob = next(row for row in rows if row[1] == "bob")
    assert bob[3:6] == ["", "", ""]


def test_export_neutralizes_cells_that_spreadsheets_would_run_as_formulas(course, items, as_ta):
    new_student(course, "eve", first_name='=HYPERLINK("http://x")', last_name="Doe")
    rows = export(as_ta, course)
    eve = next(row for row in rows if row[1] == "eve")
    assert eve[0].startswith("'=")


# --- import: the happy path --------------------------------------------------------------


def test_import_previews_each_change_then_applies_it_with_history(course, items, roster, ta, as_ta):
    score_set(item=items["r1"], student=roster["alice"], points=Decimal("7"), by=ta)
    rows = export(as_ta, course)
    alice = next(row for row in rows if row[1] == "alice")
    alice[3] = "8"  # was 7
    alice[5] = "50"  # was empty
    preview = upload(as_ta, course, to_csv(rows))
    plan = preview.context["plan"]
    assert plan.ok
    shown = {(c.student.username, c.item.title, c.old, c.new) for c in plan.changes}
    assert shown == {("alice", "Response 1", "7", "8"), ("alice", "Report", "", "50")}
    assert "Import 2 changes" in preview.content.decode()
    assert scores(course)[("alice", "Response 1")] == (Decimal("7"), False)  # not yet

    done = confirm(as_ta, course, preview)
    assert "2 score(s) changed" in done.content.decode()
    after = scores(course)
    assert after[("alice", "Response 1")] == (Decimal("8"), False)
    assert after[("alice", "Report")] == (Decimal("50"), False)
    record = Score.objects.get(student=roster["alice"], item=items["report"]).history.get()
    assert record.history_user == ta
    assert record.history_change_reason == "Imported from grades.csv"


def test_export_then_import_round_trips_with_zero_changes(course, items, roster, ta, as_ta):
    score_set(item=items["r1"], student=roster["alice"], points=Decimal("9.25"), by=ta)
    score_set(item=items["r2"], student=roster["bob"], points=None, excused=True, by=ta)
    score_set(item=items["report"], student=roster["bob"], points=Decimal("120"), by=ta)
    before = scores(course)
    preview = upload(as_ta, course, to_csv(export(as_ta, course)))
    plan = preview.context["plan"]
    assert plan.ok
    assert plan.changes == []
    assert plan.unchanged_cells == 3
    assert "Nothing to import" in preview.content.decode()
    assert scores(course) == before


def test_the_same_import_twice_changes_nothing_the_second_time(course, items, roster, as_ta):
    rows = [
        ["Student", "Username", "Email", f"Response 1 ({items['r1'].pk})"],
        ["Alice", "alice", "", "6"],
    ]
    confirm(as_ta, course, upload(as_ta, course, to_csv(rows)))
    history_rows = Score.history.count()
    second = upload(as_ta, course, to_csv(rows))
    assert second.context["plan"].changes == []
    assert Score.history.count() == history_rows


def test_empty_cells_leave_scores_alone_and_ex_excuses(course, items, roster, ta, as_ta):
    score_set(item=items["r1"], student=roster["alice"], points=Decimal("7"), by=ta)
    rows = [
        ["Username", f"Response 1 ({items['r1'].pk})", f"Response 2 ({items['r2'].pk})"],
        ["alice", "", "ex"],
    ]
    confirm(as_ta, course, upload(as_ta, course, to_csv(rows)))
    after = scores(course)
    assert after[("alice", "Response 1")] == (Decimal("7"), False)
    assert after[("alice", "Response 2")] == (None, True)


def test_students_match_by_email_when_there_is_no_username(course, items, roster, as_ta):
    rows = [["Email", "Response 1"], ["BOB@example.edu", "4"]]
    preview = upload(as_ta, course, to_csv(rows))
    [change] = preview.context["plan"].changes
    assert change.student == roster["bob"]


def test_canvas_export_layout_is_understood(course, items, roster, as_ta):
    rows = [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
         "Response 1 (874512)", "Report (874599)", "Homework Current Score",
         "Current Score", "Final Grade", "Attendance notes"],
        ["    Points Possible", "", "", "", "", "10.00", "60.00", "(read only)", "(read only)",
         "(read only)", ""],
        ["Student, Test", "999", "", "", "CIS6200", "", "", "", "", "", ""],
        ["Ross, Bob", "5512", "881", "bob", "CIS6200", "8.00", "55", "80", "80", "B-", "ok"],
    ]  # fmt: skip
    preview = upload(as_ta, course, to_csv(rows))
    plan = preview.context["plan"]
    assert plan.ok, plan.problems
    assert {(c.item.title, c.new) for c in plan.changes} == {("Response 1", "8"), ("Report", "55")}
    assert {"ID", "SIS User ID", "Section", "Current Score", "Final Grade"} <= set(
        plan.ignored_columns
    )
    assert "Attendance notes" in plan.ignored_columns
    assert plan.skipped_rows == [2, 3]
    html = preview.content.decode()
    assert "Ignored columns" in html
    assert "Attendance notes" in html


def test_cp1252_files_from_excel_are_read(course, items, as_ta):
    new_student(course, "jose", first_name="José")
    content = "Student,Username,Response 1\r\nJosé,jose,7\r\n".encode("cp1252")
    preview = upload(as_ta, course, content)
    assert [c.new for c in preview.context["plan"].changes] == ["7"]


# --- import: every problem blocks everything --------------------------------------------


def test_one_bad_row_among_fifty_changes_nothing_and_reports_the_line(course, items, as_ta):
    students = [new_student(course, f"s{n:02d}") for n in range(50)]
    rows = [["Student", "Username", f"Response 1 ({items['r1'].pk})"]]
    rows += [["", s.username, "7"] for s in students]
    rows[31][2] = "seven"  # the file's line 32
    preview = upload(as_ta, course, to_csv(rows))
    plan = preview.context["plan"]
    assert not plan.ok
    [problem] = plan.problems
    assert problem.line == 32
    assert "“seven” is not a number" in problem.message
    html = preview.content.decode()
    assert "Line 32:" in html
    assert "nothing can be imported" in html
    assert "Import 49" not in html
    # Even a hand-made confirmation cannot apply it.
    confirm(as_ta, course, preview)
    assert not Score.objects.exists()
    assert preview.context["grade_import"].__class__.objects.get().applied_at is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["nobody", "5"], "Unknown student “nobody”"),
        (["alice", "-2"], "cannot be negative"),
        (["alice", "25"], "At most 20 points"),
        (["alice", "1e400"], "At most 20 points"),
        (["alice", "NaN"], "is not a number"),
        (["", "5"], "No username or email"),
    ],
)
def test_each_bad_row_is_rejected_with_its_reason(row, message, course, items, roster, as_ta):
    rows = [["Username", f"Response 1 ({items['r1'].pk})"], ["bob", "5"], row]
    plan = upload(as_ta, course, to_csv(rows)).context["plan"]
    assert [p.line for p in plan.problems] == [3]
    assert message in plan.problems[0].message


def test_a_duplicate_row_is_rejected(course, items, roster, as_ta):
    rows = [["Username", "Response 1"], ["alice", "5"], ["bob", "6"], ["ALICE", "7"]]
    plan = upload(as_ta, course, to_csv(rows)).context["plan"]
    [problem] = plan.problems
    assert problem.line == 4
    assert "already on line 2" in problem.message


def test_an_unknown_item_column_is_rejected(course, items, roster, as_ta):
    rows = [["Username", "Response 9 (424242)"], ["alice", "5"]]
    plan = upload(as_ta, course, to_csv(rows)).context["plan"]
    assert not plan.ok
    assert "unknown item" in plan.problems[0].message


def test_a_file_without_a_student_column_is_rejected(course, items, as_ta):
    plan = upload(as_ta, course, to_csv([["Name", "Response 1"], ["x", "1"]])).context["plan"]
    assert "no Username" in plan.problems[0].message


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "grades.csv", "The submitted file is empty."),
        (b"   \n", "grades.csv", "The file is empty."),
        (b"Username,Response 1\nalice,5\n", "grades.xlsx", "Upload a .csv file"),
        (b"PK\x03\x04\x00\x00binary", "grades.csv", "not a CSV text file"),
        (b"Username,Response 1\n" + b"x" * (5 * 1024 * 1024), "big.csv", "larger than 5 MB"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(content, name, message, course, as_ta):
    page = upload(as_ta, course, content, name=name)
    assert message in page.content.decode()
    assert not GradeImport.objects.exists()


def test_a_preview_goes_stale_when_the_gradebook_changes(course, items, roster, ta, as_ta):
    rows = [["Username", "Response 1"], ["alice", "5"]]
    preview = upload(as_ta, course, to_csv(rows))
    score_set(item=items["r1"], student=roster["alice"], points=Decimal("9"), by=ta)
    page = confirm(as_ta, course, preview)
    assert "changed since this preview" in page.content.decode()
    assert scores(course)[("alice", "Response 1")] == (Decimal("9"), False)


def test_a_file_cannot_be_applied_twice(course, items, roster, as_ta):
    preview = upload(as_ta, course, to_csv([["Username", "Response 1"], ["alice", "5"]]))
    confirm(as_ta, course, preview)
    score_set(item=items["r1"], student=roster["alice"], points=Decimal("9"), by=roster["alice"])
    page = confirm(as_ta, course, preview)
    assert "already imported" in page.content.decode()


def test_import_pages_are_staff_only_and_scoped_to_the_course(course, items, roster, ta):
    content = to_csv([["Username", "Response 1"], ["alice", "5"]])
    preview = upload(logged_in(ta), course, content)
    grade_import = preview.context["grade_import"]
    student = logged_in(roster["alice"])
    assert upload(student, course, content).status_code == 403
    path = f"/courses/{course.slug}/gradebook/import/{grade_import.pk}/"
    assert student.get(path).status_code == 403
    other = GradeComponentFactory().course
    from tests.factories import MembershipFactory

    other_ta = logged_in(MembershipFactory(course=other, role="ta").user)
    assert (
        other_ta.get(f"/courses/{other.slug}/gradebook/import/{grade_import.pk}/").status_code
        == 404
    )


def test_released_items_stay_released_after_an_import(course, items, roster, ta, as_ta):
    item_release(item=items["r1"], released=True, by=ta)
    confirm(
        as_ta, course, upload(as_ta, course, to_csv([["Username", "Response 1"], ["bob", "3"]]))
    )
    items["r1"].refresh_from_db()
    assert items["r1"].released


def test_a_username_the_export_guarded_against_formulas_imports_again(course, items, ta, as_ta):
    dash = new_student(course, "-dash")
    score_set(item=items["r1"], student=dash, points=Decimal("4"), by=ta)
    rows = export(as_ta, course)
    row = next(r for r in rows if r[1] == "'-dash")
    row[3] = "5"
    plan = upload(as_ta, course, to_csv(rows)).context["plan"]
    assert plan.ok, plan.problems
    assert [(c.student.username, c.old, c.new) for c in plan.changes] == [("-dash", "4", "5")]


def test_canvas_posting_policy_rows_are_skipped_not_rejected(course, items, roster, as_ta):
    rows = [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Response 1 (874512)"],
        ["", "", "", "", "", "Manual Posting"],
        ["    Points Possible", "", "", "", "", "10.00"],
        ["Ross, Bob", "5512", "881", "bob", "CIS6200", "8"],
    ]
    plan = upload(as_ta, course, to_csv(rows)).context["plan"]
    assert plan.ok, plan.problems
    assert plan.skipped_rows == [2, 3]
    assert [c.new for c in plan.changes] == ["8"]


def test_another_systems_id_never_picks_our_item_with_that_id(course, items, roster, as_ta):
    # A Canvas column whose id happens to be one of ours, for an item we do not have.
    header = f"Quiz 2 ({items['r1'].pk})"
    rows = [["Student", "ID", "SIS Login ID", header], ["Ross, Bob", "1", "bob", "7"]]
    plan = upload(as_ta, course, to_csv(rows)).context["plan"]
    assert not plan.ok
    assert "unknown item" in plan.problems[0].message
    assert plan.changes == []


def test_a_windows_file_with_a_utf8_byte_order_mark_is_read(course, items, as_ta):
    new_student(course, "jose", first_name="José")
    content = b"\xef\xbb\xbf" + "Username,Response 1\r\njose,6\r\n".encode("cp1252")
    plan = upload(as_ta, course, content).context["plan"]
    assert plan.ok, plan.problems
    assert [c.new for c in plan.changes] == ["6"]


def test_a_score_changed_between_plan_and_write_is_not_overwritten(course, items, roster, ta):
    """The confirmation re-reads the file; the write then checks each score is
    still what the plan read, under the row lock."""
    from grading.services import ScoreChange, scores_set
    from grading.services.scores import score_token

    score_set(item=items["r1"], student=roster["alice"], points=Decimal("5"), by=ta)
    seen = score_token(Score.objects.get())
    score_set(item=items["r1"], student=roster["alice"], points=Decimal("9"), by=ta)
    with pytest.raises(GradingError, match="Someone else changed the score"):
        scores_set(
            changes=[ScoreChange(items["r1"], roster["alice"], Decimal("6"), expected=seen)],
            by=ta,
        )
    assert Score.objects.get().points == Decimal("9")
