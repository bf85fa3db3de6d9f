"""Rosters: the instructor's import page and command, invitations, and join codes."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from courses.models import Membership
from tests.conftest import logged_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

ROSTER = "/courses/cis6200/roster/"
IMPORT = "/courses/cis6200/roster/import/"
JOIN_CODE = "/courses/cis6200/roster/join-code/"
COURSE_HOME = "/courses/cis6200/"
CODE_PATTERN = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")
INVITE_LINK = re.compile(r"https?://[^\s/]+/accounts/reset/(?P<uid>[\w-]+)/(?P<token>[\w-]+)/")
SUBJECT = "You are invited to CIS6200: Deep Learning at Scale"

STUDENT = Membership.Role.STUDENT
TA = Membership.Role.TA
INSTRUCTOR = Membership.Role.INSTRUCTOR


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def upload(client, content: bytes, name: str = "roster.csv"):
    """Upload a roster on the roster page; the answer is the page with its preview."""
    return client.post(ROSTER, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


class _HiddenFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.values[attributes.get("name", "")] = attributes.get("value") or ""


def confirm_fields(preview) -> dict[str, str]:
    """The hidden fields of the preview's confirm button, as a browser would send them."""
    parser = _HiddenFields()
    parser.feed(preview.content.decode())
    assert "content" in parser.values, "the preview has no confirm button"
    return {"content": parser.values["content"], "fingerprint": parser.values["fingerprint"]}


def confirm(client, fields: dict[str, str], capture):
    """Press confirm; invitation emails go out once the import has committed."""
    with capture(execute=True):
        return client.post(IMPORT, fields, follow=True)


def forced_fields(preview) -> dict[str, str]:
    """What a confirm would carry for a preview that shows no confirm button."""
    initial = preview.context["confirm"].initial
    return {"content": initial["content"], "fingerprint": initial["fingerprint"]}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def summary(response) -> str:
    match = re.search(r'<p data-testid="roster-summary">(.*?)</p>', response.content.decode(), re.S)
    assert match, "the page shows no preview summary"
    return html.unescape(match.group(1))


def problems(response) -> list[str]:
    found = re.findall(r"<li>(Line \d+: .*?)</li>", response.content.decode(), re.S)
    return [html.unescape(text) for text in found]


def messages_shown(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def roles(course) -> dict[str, str]:
    return dict(
        Membership.objects.filter(course=course).values_list("user__username", "role").order_by()
    )


def state(course) -> tuple:
    """Everything an import could change: accounts, memberships, staff flags."""
    return (
        sorted(User.objects.values_list("username", "email", "is_staff")),
        sorted(roles(course).items()),
    )


@pytest.fixture
def bob(db):
    """An account that exists but is not in the course."""
    return UserFactory(username="bob", email="bob@example.edu", first_name="Bob")


@pytest.fixture
def members(course, instructor, ta, student):
    return {"instructor": instructor, "ta": ta, "student": student}


GOOD_FILE = csv_bytes(
    "name,email,role",
    "Carol Chen,carol@example.edu,student",
    "Dan Diaz,Dan@Example.edu,instructor",
    "Bob Brown,bob@example.edu,ta",
    "Alice Adams,alice@example.edu,student",
    "Tess Tran,ta@example.edu,student",
)


class TestPreviewAndConfirm:
    def test_a_good_file_previews_every_kind_of_change_and_changes_nothing_yet(
        self, as_instructor, course, members, bob, mailoutbox
    ):
        before = state(course)

        preview = upload(as_instructor, GOOD_FILE)

        assert preview.status_code == 200
        plan = preview.context["plan"]
        assert [row.email for row in plan.added] == ["carol@example.edu", "dan@example.edu"]
        assert [row.email for row in plan.enrolled] == ["bob@example.edu"]
        assert [(row.email, row.role, row.was) for row in plan.updated] == [
            ("ta@example.edu", STUDENT, "Teaching assistant")
        ]
        assert [row.email for row in plan.unchanged] == ["alice@example.edu"]
        assert plan.problems == []
        assert summary(preview) == (
            "2 new accounts (each gets an invitation email), 1 existing account added, "
            "1 role change, 1 unchanged."
        )
        text = page_text(preview)
        assert "existing account (bob) added" in text
        assert "Import 4 changes" in text
        assert state(course) == before
        assert mailoutbox == []

    def test_confirming_creates_invited_accounts_and_memberships_with_their_roles(
        self, as_instructor, course, members, bob, mailoutbox, django_capture_on_commit_callbacks
    ):
        preview = upload(as_instructor, GOOD_FILE)

        page = confirm(as_instructor, confirm_fields(preview), django_capture_on_commit_callbacks)

        assert page.redirect_chain == [(ROSTER, 302)]
        assert messages_shown(page) == [
            "Roster imported: 2 new account(s) invited, 1 existing account(s) added, "
            "1 role(s) changed, 1 unchanged."
        ]
        assert roles(course) == {
            "prof": INSTRUCTOR,
            "ta": STUDENT,
            "alice": STUDENT,
            "carol": STUDENT,
            "dan": INSTRUCTOR,
            "bob": TA,
        }
        carol = User.objects.get(email="carol@example.edu")
        dan = User.objects.get(email="dan@example.edu")
        assert (carol.username, carol.first_name, carol.last_name) == ("carol", "Carol", "Chen")
        assert not carol.has_usable_password()
        assert not dan.has_usable_password()
        assert not carol.is_staff
        assert dan.is_staff
        assert dan.groups.filter(name="Instructors").exists()
        bob.refresh_from_db()
        assert bob.check_password(PASSWORD)
        assert "invited" in page_text(page)

    def test_each_new_account_gets_one_invitation_and_existing_accounts_get_none(
        self, as_instructor, course, members, bob, mailoutbox, django_capture_on_commit_callbacks
    ):
        preview = upload(as_instructor, GOOD_FILE)

        confirm(as_instructor, confirm_fields(preview), django_capture_on_commit_callbacks)

        assert sorted(message.to[0] for message in mailoutbox) == [
            "carol@example.edu",
            "dan@example.edu",
        ]
        assert all(len(message.to) == 1 for message in mailoutbox)
        for message in mailoutbox:
            assert message.subject == SUBJECT
            link = INVITE_LINK.search(message.body)
            assert link, message.body
            user = User.objects.get(pk=force_str(urlsafe_base64_decode(link["uid"])))
            assert user.email == message.to[0]
            assert f"Your username is {user.username}" in message.body

    def test_the_invitation_link_lets_the_new_person_choose_a_password_once(
        self, as_instructor, course, members, mailoutbox, django_capture_on_commit_callbacks
    ):
        preview = upload(as_instructor, csv_bytes("name,email", "Carol Chen,carol@example.edu"))
        confirm(as_instructor, confirm_fields(preview), django_capture_on_commit_callbacks)
        (invitation,) = mailoutbox
        link = INVITE_LINK.search(invitation.body).group(0)
        carol = Client()

        form = carol.get(link, follow=True)
        assert "Choose a new password" in page_text(form)
        done = carol.post(
            form.redirect_chain[-1][0],
            {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
        )
        assert done.status_code == 302
        login = Client().post(
            "/accounts/login/", {"username": "carol", "password": "a long new passphrase"}
        )
        assert login.status_code == 302
        again = Client().get(link, follow=True)
        assert "This link has expired or was already used." in page_text(again)

    def test_reimporting_the_same_file_previews_nothing_and_changes_nothing(
        self, as_instructor, course, members, bob, mailoutbox, django_capture_on_commit_callbacks
    ):
        first = upload(as_instructor, GOOD_FILE)
        confirm(as_instructor, confirm_fields(first), django_capture_on_commit_callbacks)
        after_first = state(course)
        assert len(mailoutbox) == 2

        again = upload(as_instructor, GOOD_FILE)

        assert again.context["plan"].changes == []
        assert summary(again) == (
            "0 new accounts (each gets an invitation email), 0 existing accounts added, "
            "0 role changes, 5 unchanged."
        )
        assert "Nothing to import" in page_text(again)
        assert 'name="content"' not in again.content.decode()
        page = confirm(as_instructor, forced_fields(again), django_capture_on_commit_callbacks)
        assert page.status_code == 200
        assert state(course) == after_first
        assert len(mailoutbox) == 2

    def test_pressing_confirm_twice_invites_only_once(
        self, as_instructor, course, members, mailoutbox, django_capture_on_commit_callbacks
    ):
        preview = upload(as_instructor, csv_bytes("name,email", "Carol Chen,carol@example.edu"))
        fields = confirm_fields(preview)
        confirm(as_instructor, fields, django_capture_on_commit_callbacks)
        after_first = state(course)

        second = confirm(as_instructor, fields, django_capture_on_commit_callbacks)

        assert messages_shown(second) == [
            "The course changed since this preview. Check the new preview."
        ]
        assert state(course) == after_first
        assert len(mailoutbox) == 1

    def test_a_role_change_of_a_member_is_previewed_as_an_update_and_applied(
        self, as_instructor, course, student, mailoutbox, django_capture_on_commit_callbacks
    ):
        preview = upload(as_instructor, csv_bytes("name,email,role", "Alice,alice@example.edu,TA"))

        assert [row.email for row in preview.context["plan"].updated] == ["alice@example.edu"]
        assert "1 role change," in summary(preview)
        assert "role: Student →" in page_text(preview)
        assert roles(course)["alice"] == STUDENT

        confirm(as_instructor, confirm_fields(preview), django_capture_on_commit_callbacks)

        assert roles(course)["alice"] == TA
        assert mailoutbox == []

    def test_a_stale_preview_is_refused_at_confirm_and_changes_nothing(
        self, as_instructor, course, members, mailoutbox, django_capture_on_commit_callbacks
    ):
        preview = upload(as_instructor, csv_bytes("name,email,role", "Carol,carol@example.edu,ta"))
        # Meanwhile, someone else adds Carol by hand, as a student.
        carol = UserFactory(username="carol", email="carol@example.edu")
        MembershipFactory(course=course, user=carol, role=STUDENT)
        before = state(course)

        page = confirm(as_instructor, confirm_fields(preview), django_capture_on_commit_callbacks)

        assert messages_shown(page) == [
            "The course changed since this preview. Check the new preview."
        ]
        assert state(course) == before
        assert roles(course)["carol"] == STUDENT
        assert mailoutbox == []

    def test_a_confirm_without_its_content_is_refused(self, as_instructor, course, members):
        before = state(course)

        page = as_instructor.post(IMPORT, {"fingerprint": "0" * 64}, follow=True)

        assert messages_shown(page) == ["The roster was not imported: upload it again."]
        assert state(course) == before

    def test_an_existing_account_is_found_whatever_the_letter_case_of_its_address(
        self, as_instructor, course, members, mailoutbox, django_capture_on_commit_callbacks
    ):
        dana = UserFactory(username="dana", email="Dana@example.edu")

        preview = upload(as_instructor, csv_bytes("name,email", "Dana Diaz,dana@example.edu"))
        confirm(as_instructor, forced_fields(preview), django_capture_on_commit_callbacks)

        assert [row.user for row in preview.context["plan"].enrolled] == [dana]
        assert User.objects.filter(email__iexact="dana@example.edu").count() == 1
        assert roles(course)["dana"] == STUDENT
        assert mailoutbox == []

    def test_a_new_account_gets_a_username_that_django_accepts(
        self, as_instructor, course, instructor, django_capture_on_commit_callbacks
    ):
        preview = upload(as_instructor, csv_bytes("name,email", "Sean O'Brien,o'brien@example.edu"))
        assert [row.email for row in preview.context["plan"].added] == ["o'brien@example.edu"]
        confirm(as_instructor, confirm_fields(preview), django_capture_on_commit_callbacks)

        sean = User.objects.get(email="o'brien@example.edu")
        sean.full_clean()


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


ROSTER_REQUESTS = [
    pytest.param("get", ROSTER, {}, id="roster-page"),
    pytest.param("post", ROSTER, {"file": "x"}, id="upload"),
    pytest.param("post", IMPORT, {"content": "name,email\n", "fingerprint": "x"}, id="import"),
    pytest.param("post", JOIN_CODE, {"action": "rotate"}, id="join-code"),
]


class TestWhoMayUseTheRosterPages:
    @pytest.mark.parametrize(("method", "url", "data"), ROSTER_REQUESTS)
    @pytest.mark.parametrize(("who", "status"), [("ta", 403), ("student", 403), ("outsider", 404)])
    def test_only_the_instructor_may_use_them(
        self, request, course, instructor, method, url, data, who, status
    ):
        client = logged_in(request.getfixturevalue(who))
        before = state(course)

        response = getattr(client, method)(url, data)

        assert response.status_code == status
        assert state(course) == before
        course.refresh_from_db()
        assert course.join_code == ""

    @pytest.mark.parametrize(("method", "url", "data"), ROSTER_REQUESTS)
    def test_anonymous_visitors_are_sent_to_log_in(self, client, course, method, url, data):
        response = getattr(client, method)(url, data)

        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"

    def test_the_instructor_sees_the_roster_page_with_the_members(
        self, as_instructor, course, members
    ):
        page = as_instructor.get(ROSTER)

        assert page.status_code == 200
        text = page_text(page)
        assert "Members (3)" in text
        assert "Teaching assistant" in text
        assert "Joining by code is off." in text

    def test_a_superuser_may_import_without_being_a_member(
        self, course, mailoutbox, django_capture_on_commit_callbacks
    ):
        admin = logged_in(UserFactory(username="root", is_superuser=True, is_staff=True))

        preview = upload(admin, csv_bytes("name,email", "Carol,carol@example.edu"))
        confirm(admin, confirm_fields(preview), django_capture_on_commit_callbacks)

        assert roles(course) == {"carol": STUDENT}
        assert len(mailoutbox) == 1

    @pytest.mark.parametrize(
        ("url", "data"),
        [
            pytest.param(ROSTER, {"file": "x"}, id="upload"),
            pytest.param(
                IMPORT, {"content": "name,email\nc,c@example.edu", "fingerprint": "x"}, id="import"
            ),
            pytest.param(JOIN_CODE, {"action": "rotate"}, id="join-code"),
        ],
    )
    def test_a_post_without_the_csrf_token_is_refused(self, course, instructor, url, data):
        client = Client(enforce_csrf_checks=True)
        client.force_login(instructor)
        before = state(course)

        response = client.post(url, data)

        assert response.status_code == 403
        assert state(course) == before
        course.refresh_from_db()
        assert course.join_code == ""


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


class TestJoinCodes:
    @pytest.fixture
    def code(self, as_instructor, course):
        as_instructor.post(JOIN_CODE, {"action": "rotate"}, follow=True)
        course.refresh_from_db()
        return course.join_code

    @pytest.fixture
    def newcomer(self, db):
        return UserFactory(username="nina")

    def join(self, user, code):
        return logged_in(user).post("/join/", {"code": code}, follow=True)

    def test_the_instructor_turns_on_a_code_and_sees_it(self, as_instructor, course):
        response = as_instructor.post(JOIN_CODE, {"action": "rotate"}, follow=True)

        course.refresh_from_db()
        assert CODE_PATTERN.match(course.join_code)
        assert response.redirect_chain == [(ROSTER, 302)]
        assert messages_shown(response) == [
            f"The join code is now {course.join_code}; the old one no longer works."
        ]
        assert f'data-testid="join-code">{course.join_code}<' in response.content.decode()

    @pytest.mark.parametrize(
        "typed",
        [
            pytest.param(lambda code: code, id="as-shown"),
            pytest.param(lambda code: code.lower(), id="lower-case"),
            pytest.param(lambda code: code.replace("-", ""), id="without-dash"),
            pytest.param(lambda code: f"  {code[:4].lower()} {code[5:]} ", id="with-spaces"),
        ],
    )
    def test_a_logged_in_person_joins_as_a_student_with_the_code(
        self, course, code, newcomer, typed
    ):
        response = self.join(newcomer, typed(code))

        assert response.redirect_chain == [(COURSE_HOME, 302)]
        assert messages_shown(response) == ["Welcome to CIS6200: you are a student now."]
        assert roles(course)["nina"] == STUDENT

    def test_joining_again_says_already_in(self, course, code, newcomer):
        self.join(newcomer, code)

        response = self.join(newcomer, code)

        assert response.redirect_chain == [(COURSE_HOME, 302)]
        assert messages_shown(response) == ["You are already in CIS6200."]
        assert Membership.objects.filter(course=course, user=newcomer).count() == 1

    def test_a_ta_who_enters_the_code_stays_a_ta(self, course, code, ta):
        response = self.join(ta, code)

        assert messages_shown(response) == ["You are already in CIS6200."]
        assert roles(course)["ta"] == TA

    @pytest.mark.parametrize(
        ("typed", "error"),
        [
            ("ABCD-1234", "No course has this join code. Check it with your instructor."),
            ("ABC", "That is not a join code: it has eight letters and digits."),
        ],
    )
    def test_a_wrong_code_shows_a_message_and_changes_nothing(
        self, course, code, newcomer, typed, error
    ):
        before = state(course)

        response = self.join(newcomer, typed)

        assert response.status_code == 200
        assert response.redirect_chain == []
        assert error in page_text(response)
        assert state(course) == before

    def test_after_a_new_code_the_old_one_no_longer_works(
        self, as_instructor, course, code, newcomer
    ):
        as_instructor.post(JOIN_CODE, {"action": "rotate"})
        course.refresh_from_db()
        assert course.join_code != code

        old = self.join(newcomer, code)
        assert "No course has this join code." in page_text(old)
        assert "nina" not in roles(course)
        new = self.join(newcomer, course.join_code)
        assert new.redirect_chain == [(COURSE_HOME, 302)]
        assert roles(course)["nina"] == STUDENT

    def test_after_turning_joining_off_no_code_works(self, as_instructor, course, code, newcomer):
        response = as_instructor.post(JOIN_CODE, {"action": "disable"}, follow=True)

        course.refresh_from_db()
        assert course.join_code == ""
        assert messages_shown(response) == ["Joining by code is off."]
        assert "Joining by code is off." in page_text(response)
        for typed in (code, "", "----"):
            page = self.join(newcomer, typed)
            assert page.redirect_chain == []
        assert "nina" not in roles(course)

    def test_anonymous_visitors_of_the_join_page_are_sent_to_log_in(self, client, course, code):
        for response in (client.get("/join/"), client.post("/join/", {"code": code})):
            assert response.status_code == 302
            assert response["Location"] == "/accounts/login/?next=/join/"
        assert roles(course) == {"prof": INSTRUCTOR}

    @pytest.mark.parametrize("who", ["as_ta", "as_student"])
    @pytest.mark.parametrize("action", ["rotate", "disable"])
    def test_tas_and_students_cannot_change_the_code(self, request, course, code, who, action):
        client = request.getfixturevalue(who)

        response = client.post(JOIN_CODE, {"action": action})

        assert response.status_code == 403
        course.refresh_from_db()
        assert course.join_code == code

    def test_the_join_page_shows_the_form(self, newcomer):
        page = logged_in(newcomer).get("/join/")

        assert page.status_code == 200
        assert "Join a course" in page_text(page)
        assert "Join code" in page_text(page)
