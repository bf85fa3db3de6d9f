"""The one reader of uploaded CSV files (courses/spreadsheets.py), on its own and
through the two features that use it: the roster import and the gradebook import.
Both must show a person the same thing for the same trouble in a file."""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.services import CourseError
from courses.services.rosters import roster_text
from courses.spreadsheets import (
    LineProblem,
    SpreadsheetError,
    SpreadsheetReader,
    cell,
    spreadsheet_text,
)
from grading.models import GradeImport
from grading.services import GradingError
from grading.services.csv_import import import_file_read
from tests.factories import GradeComponentFactory, GradeItemFactory

LIMIT = 1000
TOO_LARGE = "The file is larger than 1000 bytes."
NOT_CSV = "This is not a CSV text file. Save the spreadsheet as CSV and retry."
NOT_DECODED = "The file's text encoding is not recognised. Save it as “CSV UTF-8” and retry."
LIMIT_TEXT = f"field larger than field limit ({csv.field_size_limit()})"
UNREADABLE = f"This line cannot be read as CSV ({LIMIT_TEXT})."
# A cell past the csv module's field limit: the one line it cannot read.
HUGE_ROW = "x" * (csv.field_size_limit() + 1)


def text_of(raw: bytes) -> str:
    return spreadsheet_text(raw, max_bytes=LIMIT, too_large=TOO_LARGE)


# --- the text of a file --------------------------------------------------------------------


class TestSpreadsheetText:
    @pytest.mark.parametrize(
        "raw",
        [
            pytest.param("Name,Email\nZoë,zoe@example.edu\n".encode(), id="utf-8"),
            pytest.param("Name,Email\nZoë,zoe@example.edu\n".encode("utf-8-sig"), id="utf-8-bom"),
            pytest.param("Name,Email\nZoë,zoe@example.edu\n".encode("cp1252"), id="windows-1252"),
            pytest.param(
                b"\xef\xbb\xbf" + "Name,Email\nZoë,zoe@example.edu\n".encode("cp1252"),
                id="windows-1252-after-a-utf-8-bom",
            ),
        ],
    )
    def test_utf8_with_or_without_a_bom_and_windows_1252_read_the_same(self, raw):
        assert text_of(raw) == "Name,Email\nZoë,zoe@example.edu\n"

    @pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
    def test_every_kind_of_line_break_comes_back_as_one(self, newline):
        raw = newline.join(["Name,Email", "Zoë,zoe@example.edu", ""]).encode()

        assert text_of(raw) == "Name,Email\nZoë,zoe@example.edu\n"

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            pytest.param(b"", "The file is empty.", id="empty"),
            pytest.param(b" \r\n\t\n", "The file is empty.", id="blank"),
            pytest.param(b"Name,Email\nA\x00,a@example.edu\n", NOT_CSV, id="nul-byte"),
            pytest.param("Name\n".encode("utf-16"), NOT_CSV, id="utf-16"),
            pytest.param(b"Name,Email\n\x81,a@example.edu\n", NOT_DECODED, id="no-encoding"),
            pytest.param(b"x" * (LIMIT + 1), TOO_LARGE, id="over-the-limit"),
        ],
    )
    def test_a_file_is_refused_with_a_reason_for_the_person(self, raw, message):
        with pytest.raises(SpreadsheetError) as refused:
            text_of(raw)

        assert str(refused.value) == message

    def test_a_file_of_exactly_the_limit_is_read(self):
        assert text_of(b"x" * LIMIT) == "x" * LIMIT

    def test_each_feature_turns_a_refusal_into_its_own_error_with_the_same_message(self):
        raw = b"Name,Email\nA\x00,a@example.edu\n"

        with pytest.raises(CourseError) as roster:
            roster_text(raw)
        with pytest.raises(GradingError) as gradebook:
            import_file_read(SimpleUploadedFile("grades.csv", raw))

        assert str(roster.value) == str(gradebook.value) == NOT_CSV


# --- the header, the columns and the rows ---------------------------------------------------


class TestSpreadsheetReader:
    def test_columns_are_found_by_header_in_any_case_and_spacing(self):
        reader = SpreadsheetReader(" Student , SIS Login ID,EMAIL,Role\n")

        assert reader.header == [" Student ", " SIS Login ID", "EMAIL", "Role"]
        assert reader.column(("name", "student")) == 0
        assert reader.column(("role",)) == 3
        assert reader.column(("section",)) is None

    def test_the_first_of_the_names_the_header_has_wins_wherever_it_is(self):
        reader = SpreadsheetReader("SIS Login ID,Email\n")

        assert reader.column(("email", "sis login id")) == 1

    def test_rows_come_with_their_line_and_blank_rows_are_skipped(self):
        reader = SpreadsheetReader("Name,Email\nAda,a@x.edu\n\n , \nBo,b@x.edu\n")

        assert list(reader.rows()) == [(2, ["Ada", "a@x.edu"]), (5, ["Bo", "b@x.edu"])]
        assert reader.problems == []

    def test_a_row_with_a_line_break_in_a_cell_is_numbered_by_its_last_line(self):
        reader = SpreadsheetReader('Name,Note\nAda,"two\nlines"\nBo,x\n')

        assert list(reader.rows()) == [(3, ["Ada", "two\nlines"]), (4, ["Bo", "x"])]

    def test_a_line_that_cannot_be_read_is_a_problem_and_ends_the_rows(self):
        reader = SpreadsheetReader(f"Name,Email\nAda,a@x.edu\n\n{HUGE_ROW}\nBo,b@x.edu\n")

        assert list(reader.rows()) == [(2, ["Ada", "a@x.edu"])]
        assert reader.problems == [LineProblem(4, UNREADABLE)]

    def test_a_header_that_cannot_be_read_gives_no_header_and_no_rows(self):
        reader = SpreadsheetReader(f"{HUGE_ROW}\nAda,a@x.edu\n")

        assert reader.header is None
        assert reader.column(("name",)) is None
        assert list(reader.rows()) == []
        assert reader.problems == [LineProblem(1, UNREADABLE)]

    def test_a_text_with_no_line_has_no_header_and_says_so(self):
        reader = SpreadsheetReader("")

        assert reader.header is None
        assert list(reader.rows()) == []
        assert reader.problems == [LineProblem(1, "The file is empty.")]

    def test_a_cell_is_trimmed_and_a_missing_one_is_empty(self):
        assert cell([" Ada ", "a@x.edu"], 0) == "Ada"
        assert cell(["Ada"], 1) == ""
        assert cell(["Ada"], None) == ""


# --- through the roster import and the gradebook import -------------------------------------


@dataclass(frozen=True)
class Feature:
    """One page that reads an uploaded CSV, and how a person meets its problems."""

    url: str
    header: str
    good_row: str
    rejected_row: str  # a row naming {text} that the feature rejects,
    rejection: str  # and what it says about it

    def upload(self, client, content: bytes):
        """The page after an upload: the preview, or the upload form with its error."""
        return client.post(
            self.url,
            {"file": SimpleUploadedFile("file.csv", content, content_type="text/csv")},
            follow=True,
        )

    def bad_row(self, text: str) -> tuple[str, str]:
        return self.rejected_row.format(text=text), self.rejection.format(text=text)


ROSTER = Feature(
    url="/courses/cis6200/roster/",
    header="Name,Email",
    good_row="Carol,carol@example.edu",
    rejected_row="Someone,{text}",
    rejection="“{text}” is not an email address.",
)
GRADEBOOK = Feature(
    url="/courses/cis6200/gradebook/import/",
    header="Username,Response 1",
    good_row="alice,5",
    rejected_row="{text},5",
    rejection="Unknown student “{text}”: not a student of this course.",
)


@pytest.fixture(params=[ROSTER, GRADEBOOK], ids=["roster", "gradebook"])
def feature(request, course, student) -> Feature:
    component = GradeComponentFactory(course=course, name="Reading Responses", weight=20)
    GradeItemFactory(component=component, title="Response 1")
    return request.param


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def lines(*rows: str, newline: str = "\n") -> str:
    return newline.join(rows) + newline


def shown_problems(page) -> list[LineProblem]:
    plan = page.context["plan"]
    assert plan is not None, page.context["form"].errors
    text = page_text(page)
    for problem in plan.problems:
        assert f"Line {problem.line}: {problem.message}" in text
    return plan.problems


def stored() -> int:
    return GradeImport.objects.count()


@pytest.mark.django_db
class TestBothImports:
    def test_a_line_that_cannot_be_read_is_shown_with_its_line_and_nothing_after_it(
        self, feature, as_instructor
    ):
        bad, says = feature.bad_row("zoe")
        later, _ = feature.bad_row("later")
        content = lines(feature.header, bad, feature.good_row, "", HUGE_ROW, later)

        page = feature.upload(as_instructor, content.encode())

        assert shown_problems(page) == [LineProblem(2, says), LineProblem(5, UNREADABLE)]
        assert not page.context["plan"].ok

    @pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
    def test_blank_lines_count_in_the_line_numbers(self, feature, as_instructor, newline):
        bad, says = feature.bad_row("zoe")
        content = lines(feature.header, "", feature.good_row, " , ", "", bad, newline=newline)

        page = feature.upload(as_instructor, content.encode())

        assert shown_problems(page) == [LineProblem(6, says)]

    @pytest.mark.parametrize(
        "encode",
        [
            pytest.param(lambda text: text.encode("cp1252"), id="windows-1252"),
            pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("cp1252"), id="bom-then-1252"),
            pytest.param(lambda text: text.encode("utf-8-sig"), id="utf-8-bom"),
        ],
    )
    def test_windows_1252_and_utf8_with_a_bom_are_read_as_the_person_wrote_them(
        self, feature, as_instructor, encode
    ):
        bad, says = feature.bad_row("zoë")

        page = feature.upload(as_instructor, encode(lines(feature.header, "", bad)))

        assert shown_problems(page) == [LineProblem(3, says)]
        assert "zoë" in says

    def test_the_byte_order_mark_is_not_part_of_the_first_column_header(
        self, feature, as_instructor
    ):
        content = lines(feature.header, feature.good_row).encode("utf-8-sig")

        page = feature.upload(as_instructor, content)

        assert shown_problems(page) == []
        assert page.context["plan"].ok

    def test_a_file_of_only_a_byte_order_mark_is_empty_on_line_1(self, feature, as_instructor):
        page = feature.upload(as_instructor, b"\xef\xbb\xbf")

        assert shown_problems(page) == [LineProblem(1, "The file is empty.")]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            pytest.param(b"Name,Email\nA\x00,a@example.edu\n", NOT_CSV, id="nul-byte"),
            pytest.param(b"PK\x03\x04\x00\x00binary", NOT_CSV, id="xlsx"),
            pytest.param(b"Name,Email\n\x81\x8d,a@example.edu\n", NOT_DECODED, id="no-encoding"),
            pytest.param(b" \n\r\n", "The file is empty.", id="blank"),
        ],
    )
    def test_a_file_that_is_not_csv_text_is_refused_with_the_same_reason(
        self, feature, as_instructor, content, message
    ):
        page = feature.upload(as_instructor, content)

        assert page.context["form"].errors["file"] == [message]
        assert message in page_text(page)
        assert page.context.get("plan") is None
        assert stored() == 0


@pytest.mark.django_db
class TestWhatEachPreviewKeepsOfAFileWithAnUnreadableLine:
    def test_the_roster_preview_lists_no_change_at_all(self, course, instructor, as_instructor):
        content = lines(ROSTER.header, ROSTER.good_row, HUGE_ROW)

        page = ROSTER.upload(as_instructor, content.encode())

        assert shown_problems(page) == [LineProblem(3, UNREADABLE)]
        assert page.context["plan"].rows == []
        assert "carol@example.edu" not in page_text(page).split("Preview of the import")[1]

    def test_the_gradebook_preview_lists_the_changes_read_before_it(
        self, course, student, as_instructor
    ):
        component = GradeComponentFactory(course=course, name="Reading Responses", weight=20)
        GradeItemFactory(component=component, title="Response 1")
        content = lines(GRADEBOOK.header, GRADEBOOK.good_row, HUGE_ROW)

        page = GRADEBOOK.upload(as_instructor, content.encode())

        assert shown_problems(page) == [LineProblem(3, UNREADABLE)]
        assert [(c.student.username, c.new) for c in page.context["plan"].changes] == [
            ("alice", "5")
        ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("feature", "limit", "message"),
    [
        pytest.param(ROSTER, 1024 * 1024, "The roster is larger than 1 MB.", id="roster"),
        pytest.param(
            GRADEBOOK,
            5 * 1024 * 1024,
            "The file is larger than 5 MB; export fewer columns and try again.",
            id="gradebook",
        ),
    ],
)
def test_each_import_keeps_its_own_size_limit_and_message(
    course, as_instructor, feature, limit, message
):
    head = lines(feature.header, feature.good_row).encode()

    too_large = feature.upload(as_instructor, head + b"\n" * (limit + 1 - len(head)))
    at_the_limit = feature.upload(as_instructor, head + b"\n" * (limit - len(head)))

    assert too_large.context["form"].errors["file"] == [message]
    assert at_the_limit.context["plan"] is not None
