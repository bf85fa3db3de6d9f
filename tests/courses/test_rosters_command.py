"""The import_roster command: it imports and invites, dry-runs, and refuses what
the import page refuses."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.courses.rosters_helpers import INVITE_LINK, SUBJECT, TA, User, csv_bytes, roles, state

pytestmark = pytest.mark.django_db


class TestImportCommand:
    @pytest.fixture
    def roster_file(self, tmp_path):
        path = tmp_path / "roster.csv"
        path.write_bytes(csv_bytes("name,email,role", "Carol Chen,carol@example.edu,ta"))
        return path

    def test_the_command_imports_a_roster_and_invites_new_people(
        self, course, instructor, roster_file, mailoutbox, django_capture_on_commit_callbacks
    ):
        out = io.StringIO()

        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_roster", "cis6200", str(roster_file), stdout=out)

        assert "Imported into CIS6200: 1 new (invited)" in out.getvalue()
        assert roles(course)["carol"] == TA
        assert not User.objects.get(username="carol").has_usable_password()
        (invitation,) = mailoutbox
        assert invitation.to == ["carol@example.edu"]
        assert invitation.subject == SUBJECT
        assert INVITE_LINK.search(invitation.body)

    def test_a_dry_run_says_what_would_change_and_changes_nothing(
        self, course, instructor, roster_file, mailoutbox, django_capture_on_commit_callbacks
    ):
        before = state(course)
        out = io.StringIO()

        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_roster", "cis6200", str(roster_file), "--dry-run", stdout=out)

        assert "Would import: 1 new (invited)" in out.getvalue()
        assert state(course) == before
        assert mailoutbox == []

    def test_an_unknown_course_is_an_error(self, course, instructor, roster_file, mailoutbox):
        before = state(course)

        with pytest.raises(CommandError, match="No course with the slug “nope”"):
            call_command("import_roster", "nope", str(roster_file))

        assert state(course) == before
        assert mailoutbox == []

    def test_a_bad_row_is_an_error_and_nothing_is_imported(
        self, course, instructor, tmp_path, mailoutbox, django_capture_on_commit_callbacks
    ):
        path = tmp_path / "roster.csv"
        path.write_bytes(
            csv_bytes("name,email,role", "Carol,carol@example.edu,ta", "Dan,dan@x,professor")
        )
        before = state(course)
        err = io.StringIO()

        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(CommandError, match=r"1 row\(s\) rejected; nothing was imported"),
        ):
            call_command("import_roster", "cis6200", str(path), stderr=err)

        assert "line 3:" in err.getvalue()
        assert state(course) == before
        assert mailoutbox == []

    def test_a_missing_file_is_an_error(self, course, instructor, tmp_path):
        with pytest.raises(CommandError, match="Cannot read"):
            call_command("import_roster", "cis6200", str(tmp_path / "missing.csv"))
