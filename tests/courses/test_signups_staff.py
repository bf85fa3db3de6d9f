"""The staff's sign-up pages: who is below the minimum and who presents which
paper, and the sign-up CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from tests.courses.signups_helpers import WAITLISTED, section, staff_url
from tests.factories import new_paper, new_student, seat

pytestmark = pytest.mark.django_db


def table_rows(fragment: str) -> list[list[str]]:
    """The body rows of a table, each cell as its text, line breaks as " / "."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", fragment.split("<tbody>", 1)[-1], re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c.replace("<br>", " / ")).strip() for c in cells])
    return rows


class TestStaffPages:
    def test_it_lists_students_below_the_minimum(self, as_ta, course, student):
        full = new_paper(course)
        seat(full, student)
        waiting = new_student(course, "waiting", first_name="Wai", last_name="Ting")
        seat(full, waiting, WAITLISTED)
        new_student(course, "idle", first_name="Idle", last_name="Ida")

        below = section(as_ta.get(staff_url(course, "paper_assignments")), "below-heading")

        assert "Below the minimum (1)" in below
        assert "Wai Ting (waiting): presents 0, waiting for 1" in below
        assert "Idle Ida (idle): presents 0" in below
        assert "(alice)" not in below

    def test_it_says_so_when_everyone_has_the_minimum(self, as_ta, course, student):
        seat(new_paper(course), student)
        below = section(as_ta.get(staff_url(course, "paper_assignments")), "below-heading")
        assert "Every student presents at least 1 paper." in below

    def test_it_shows_who_is_on_which_paper(self, as_instructor, course):
        paper = new_paper(course, capacity=2, title="Scaling Laws", date=dt.date(2026, 3, 3))
        seat(paper, new_student(course, first_name="Grace", last_name="Hopper"))
        seat(paper, new_student(course, first_name="Alan", last_name="Kay"))
        seat(paper, new_student(course, first_name="Ada", last_name="Byron"), WAITLISTED)

        response = as_instructor.get(staff_url(course, "paper_assignments"))

        assert table_rows(section(response, "papers-heading")) == [
            ["Mar 3", "Scaling Laws", "2/2", "Grace Hopper, Alan Kay", "1. Ada Byron"],
        ]
        by_student = table_rows(section(response, "students-heading"))
        assert ["Grace Hopper", "Mar 3: Scaling Laws", "—"] in by_student
        assert ["Alan Kay", "Mar 3: Scaling Laws", "—"] in by_student
        assert ["Ada Byron", "—", "Scaling Laws"] in by_student


class TestCsv:
    def rows(self, response) -> list[list[str]]:
        body = response.content.decode("utf-8").removeprefix("\ufeff")
        return list(csv.reader(io.StringIO(body)))

    def test_it_has_a_header_and_one_row_per_signup(self, as_ta, course):
        paper = new_paper(course, capacity=1, title="Scaling Laws", date=dt.date(2026, 3, 3))
        grace = new_student(course, "grace", first_name="Grace", last_name="Hopper")
        ada = new_student(course, "ada", first_name="Ada", last_name="Byron")
        seat(paper, grace)
        seat(paper, ada, WAITLISTED)
        new_paper(course, title="Nobody's paper")

        response = as_ta.get(staff_url(course, "paper_assignments_csv"))

        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        session_title = paper.session.title
        assert self.rows(response) == [
            ["Date", "Session", "Paper", "Student", "Username", "Email", "Status"],
            [
                "2026-03-03",
                session_title,
                "Scaling Laws",
                "Grace Hopper",
                "grace",
                "grace@example.edu",
                "Presenting",
            ],
            [
                "2026-03-03",
                session_title,
                "Scaling Laws",
                "Ada Byron",
                "ada",
                "ada@example.edu",
                "On the waitlist",
            ],
        ]

    def test_it_starts_with_a_byte_order_mark_for_excel(self, as_ta, course):
        response = as_ta.get(staff_url(course, "paper_assignments_csv"))
        assert response.content.startswith(b"\xef\xbb\xbfDate,")

    def test_a_name_that_looks_like_a_formula_stays_text(self, as_instructor, course):
        formula = '=HYPERLINK("https://evil.example/","Click")'
        student = new_student(course, "eve", first_name=formula, last_name="Eve")
        seat(new_paper(course), student)

        response = as_instructor.get(staff_url(course, "paper_assignments_csv"))

        student_cells = [row[3] for row in self.rows(response)[1:]]
        assert student_cells == [f"'{formula} Eve"]
