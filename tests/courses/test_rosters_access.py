"""Who may use the roster pages: the instructor and a superuser, nobody else,
and never without the CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import logged_in
from tests.courses.rosters_helpers import (
    IMPORT,
    JOIN_CODE,
    ROSTER,
    STUDENT,
    confirm,
    confirm_fields,
    csv_bytes,
    page_text,
    roles,
    state,
    upload,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
