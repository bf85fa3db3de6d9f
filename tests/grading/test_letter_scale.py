"""A course's own letter scale decides the letter everywhere a letter is shown:
the student's grade page, the gradebook and the export. Alice has 91% in two
courses; A uses the default scale (A- from 90), B its own (A from 90)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from grading.services import score_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(two_courses):
    t = two_courses
    score_set(item=t.a_item, student=t.alice, points=Decimal("9.1"), by=t.carol)
    score_set(item=t.b_item, student=t.alice, points=Decimal("9.1"), by=t.dan)
    return t


def gradebook_letter(t, course, staff) -> str:
    page = t.client(staff).get(t.url("grading:gradebook", course))
    assert page.status_code == 200
    (row,) = [r for r in page.context["book"].students if r.student == t.alice]
    return row.current.letter


def exported_letter(t, course, staff) -> str:
    body = t.client(staff).get(t.url("grading:gradebook_export", course)).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    header = rows[0]
    (alice,) = [row for row in rows if row[1] == "alice"]
    return alice[header.index("Current Grade")]


def test_the_grade_page_the_gradebook_and_the_export_use_the_course_s_scale(t):
    page_a = t.client(t.alice).get(t.url("grading:my_grades", t.a))
    page_b = t.client(t.alice).get(t.url("grading:my_grades", t.b))
    assert "so the letter is A-." in page_a.content.decode()
    assert "so the letter is A." in page_b.content.decode()
    assert gradebook_letter(t, t.a, t.carol) == "A-"
    assert gradebook_letter(t, t.b, t.dan) == "A"
    assert exported_letter(t, t.a, t.carol) == "A-"
    assert exported_letter(t, t.b, t.dan) == "A"


def test_the_gradebook_page_shows_the_letter_in_alice_s_row(t):
    html = t.client(t.dan).get(t.url("grading:gradebook", t.b)).content.decode()
    row = html[html.index("alice") if "alice" in html else html.index("Alice") :]
    row = row[: row.index("</tr>")]
    assert ">A<" in row
