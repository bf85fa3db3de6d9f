"""Rosters: the instructor's import page previews every change, and confirming
applies it and invites new people, once."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from tests.courses.rosters_helpers import (
    IMPORT,
    INSTRUCTOR,
    INVITE_LINK,
    ROSTER,
    STUDENT,
    SUBJECT,
    TA,
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
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def summary(response) -> str:
    match = re.search(r'<p data-testid="roster-summary">(.*?)</p>', response.content.decode(), re.S)
    assert match, "the page shows no preview summary"
    return html.unescape(match.group(1))


@pytest.fixture
def bob(db):
    """An account that exists but is not in the course."""
    return UserFactory(username="bob", email="bob@example.edu", first_name="Bob")


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
