"""Roster files: bad rows reported with their line, other layouts (Canvas, the
registrar's list), and file types, sizes and encodings."""

from __future__ import annotations

import html
import re

import pytest

from tests.courses.rosters_helpers import (
    STUDENT,
    User,
    confirm,
    confirm_fields,
    csv_bytes,
    forced_fields,
    messages_shown,
    page_text,
    roles,
    state,
    upload,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def problems(response) -> list[str]:
    found = re.findall(r"<li>(Line \d+: .*?)</li>", response.content.decode(), re.S)
    return [html.unescape(text) for text in found]


@pytest.fixture
def bob(db):
    """An account that exists but is not in the course."""
    return UserFactory(username="bob", email="bob@example.edu", first_name="Bob")


BAD_ROWS = [
    pytest.param(",,student", "Line 3: No email address on this row.", id="missing-email"),
    pytest.param(
        "Bad Mail,not-an-email,student",
        "Line 3: “not-an-email” is not an email address.",
        id="invalid-email",
    ),
    pytest.param(
        "Prof X,x@example.edu,professor",
        "Line 3: Unknown role “professor”; use student, ta or instructor.",
        id="unknown-role",
    ),
    pytest.param(
        "Carol Again,CAROL@Example.edu,ta",
        "Line 3: carol@example.edu is already on line 2.",
        id="duplicate-email",
    ),
]


class TestBadRows:
    @pytest.mark.parametrize(("bad_row", "reported"), BAD_ROWS)
    def test_a_bad_row_is_reported_with_its_line_and_blocks_the_whole_import(
        self,
        as_instructor,
        course,
        members,
        mailoutbox,
        django_capture_on_commit_callbacks,
        bad_row,
        reported,
    ):
        before = state(course)
        content = csv_bytes("name,email,role", "Carol Chen,carol@example.edu,student", bad_row)

        preview = upload(as_instructor, content)

        assert problems(preview) == [reported]
        assert "1 row rejected: nothing can be imported until the file is fixed." in page_text(
            preview
        )
        assert 'name="content"' not in preview.content.decode()
        page = confirm(as_instructor, forced_fields(preview), django_capture_on_commit_callbacks)
        assert messages_shown(page) == [
            "The roster has problems; fix them and upload it again. Nothing changed."
        ]
        assert state(course) == before
        assert not User.objects.filter(email="carol@example.edu").exists()
        assert mailoutbox == []

    def test_every_bad_row_of_a_file_is_reported_at_once(self, as_instructor, course, members):
        content = csv_bytes(
            "name,email,role",
            "Carol Chen,carol@example.edu,student",
            *(param.values[0] for param in BAD_ROWS),
        )

        preview = upload(as_instructor, content)

        assert problems(preview) == [
            "Line 3: No email address on this row.",
            "Line 4: “not-an-email” is not an email address.",
            "Line 5: Unknown role “professor”; use student, ta or instructor.",
            "Line 6: carol@example.edu is already on line 2.",
        ]
        assert "4 rows rejected" in page_text(preview)

    def test_a_file_without_an_email_column_is_refused(self, as_instructor, course, members):
        preview = upload(as_instructor, csv_bytes("name,role", "Carol Chen,student"))

        assert problems(preview) == [
            "Line 1: The file has no email column (Email or SIS Login ID)."
        ]


class TestOtherLayouts:
    def test_a_canvas_export_imports_students_named_last_comma_first(
        self, as_instructor, course, instructor, mailoutbox, django_capture_on_commit_callbacks
    ):
        content = csv_bytes(
            "Student,ID,SIS User ID,SIS Login ID,Section",
            "    Points Possible,,,,",
            '"Ross, Bob",1234,55501,bob.ross@upenn.edu,CIS6200-001',
            '"Student, Test",9999,,,CIS6200-001',
        )

        preview = upload(as_instructor, content)
        assert [(row.name, row.email) for row in preview.context["plan"].added] == [
            ("Ross, Bob", "bob.ross@upenn.edu")
        ]
        assert preview.context["plan"].problems == []
        confirm(as_instructor, confirm_fields(preview), django_capture_on_commit_callbacks)

        bob = User.objects.get(email="bob.ross@upenn.edu")
        assert (bob.first_name, bob.last_name) == ("Bob", "Ross")
        assert roles(course)[bob.username] == STUDENT
        assert [message.to for message in mailoutbox] == [["bob.ross@upenn.edu"]]

    def test_a_registrar_list_without_a_role_column_imports_students(
        self, as_instructor, course, instructor, django_capture_on_commit_callbacks
    ):
        content = csv_bytes(
            '"Name","Email"', '"Chen, Carol","carol@example.edu"', '"Dan Diaz","dan@example.edu"'
        )

        preview = upload(as_instructor, content)
        confirm(as_instructor, confirm_fields(preview), django_capture_on_commit_callbacks)

        carol = User.objects.get(email="carol@example.edu")
        dan = User.objects.get(email="dan@example.edu")
        assert (carol.first_name, carol.last_name) == ("Carol", "Chen")
        assert (dan.first_name, dan.last_name) == ("Dan", "Diaz")
        assert roles(course)["carol"] == STUDENT
        assert roles(course)["dan"] == STUDENT


class TestFiles:
    @pytest.mark.parametrize(
        ("name", "content", "error"),
        [
            pytest.param(
                "roster.xlsx",
                csv_bytes("name,email", "Carol,carol@example.edu"),
                "Upload a .csv file (a spreadsheet saved as CSV).",
                id="not-csv",
            ),
            pytest.param(
                "roster.csv",
                b"name,email\n" + b"\n" * (1024 * 1024),
                "The roster is larger than 1 MB.",
                id="over-1-MB",
            ),
            pytest.param("roster.csv", b"", "The submitted file is empty.", id="empty"),
            pytest.param("roster.csv", b"\n  \r\n", "The file is empty.", id="blank"),
        ],
    )
    def test_an_unacceptable_file_is_refused_with_a_reason(
        self, as_instructor, course, members, name, content, error
    ):
        before = state(course)

        page = upload(as_instructor, content, name=name)

        assert page.status_code == 200
        assert page.context["plan"] is None
        assert page.context["form"].errors["file"] == [error]
        assert error in page_text(page)
        assert state(course) == before

    def test_a_file_of_exactly_1_MB_is_accepted(self, as_instructor, course, members):
        head = csv_bytes("name,email", "Carol,carol@example.edu")
        content = head + b"\n" * (1024 * 1024 - len(head))

        preview = upload(as_instructor, content)

        assert preview.context["form"].errors == {}
        assert [row.email for row in preview.context["plan"].added] == ["carol@example.edu"]

    def test_a_windows_1252_file_is_accepted_with_its_accents(
        self, as_instructor, course, instructor, django_capture_on_commit_callbacks
    ):
        content = csv_bytes("Name,Email", "José Núñez,jose@example.edu", encoding="cp1252")
        content.decode("cp1252")  # a real cp1252 file, not UTF-8
        with pytest.raises(UnicodeDecodeError):
            content.decode("utf-8")

        preview = upload(as_instructor, content)
        assert "José Núñez" in page_text(preview)
        confirm(as_instructor, confirm_fields(preview), django_capture_on_commit_callbacks)

        jose = User.objects.get(email="jose@example.edu")
        assert (jose.first_name, jose.last_name) == ("José", "Núñez")

    def test_a_utf8_file_with_a_byte_order_mark_is_read(self, as_instructor, course, instructor):
        content = "\ufeffName,Email\nZoë Zhang,zoe@example.edu\n".encode()

        preview = upload(as_instructor, content)

        assert [(row.name, row.email) for row in preview.context["plan"].added] == [
            ("Zoë Zhang", "zoe@example.edu")
        ]
