"""Ranked paper preferences: who sees whose ranking, and who may use the ranking
and assignment pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import AssignmentRun, Blackout, PresentationSignup
from tests.conftest import logged_in
from tests.courses.ranking_helpers import (
    page_ranking,
    placements,
    rank_url,
    ranks,
    run_url,
    section,
    text,
    url,
)
from tests.factories import CourseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def assert_sent_to_log_in(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


# ---------------------------------------------------------------- who sees what


class TestPrivacyAndAccess:
    def test_the_rank_page_shows_a_student_only_their_own_ranking(
        self, as_student, ranked, papers, student, bob
    ):
        student.first_name, student.last_name = "Alice", "Adams"
        student.save()
        ranks(ranked, student, papers[0])
        ranks(ranked, bob, papers[2], papers[1])
        Blackout.objects.create(course=ranked, student=bob, session=papers[3].session)

        response = as_student.get(rank_url(ranked), {"student": bob.pk, "user": bob.pk})

        assert [r.title for r in response.context["ranked"]] == ["Attention"]
        assert response.context["blackout"] == set()
        assert page_ranking(response) == ["Attention"]
        assert "Capsules" in text(section(response, "papers-heading"))
        page = response.content.decode()
        # What a reader sees (the raw HTML carries a random CSRF token, which
        # can spell anything), and no ticked box for Bob's blackout.
        assert "Bob" not in text(page)
        assert "Brown" not in text(page)
        assert not re.search(r"<input[^>]*\bchecked\b", page)

    @pytest.mark.parametrize(
        ("who", "expected"),
        [("ta", 403), ("instructor", 403), ("outsider", 404), ("anonymous", "login")],
    )
    def test_only_students_of_the_course_have_a_rank_page(self, request, ranked, who, expected):
        client = Client() if who == "anonymous" else logged_in(request.getfixturevalue(who))

        response = client.get(rank_url(ranked))

        if expected == "login":
            assert_sent_to_log_in(response)
        else:
            assert response.status_code == expected

    @pytest.mark.parametrize("page", ["assignment", "assignment_run"])
    @pytest.mark.parametrize(
        ("who", "expected"),
        [("student", 403), ("ta", 403), ("outsider", 404), ("anonymous", "login")],
    )
    def test_the_assignment_pages_are_the_instructors_alone(
        self, request, draft, instructor, page, who, expected
    ):
        client = Client() if who == "anonymous" else logged_in(request.getfixturevalue(who))
        address = run_url(draft) if page == "assignment_run" else url(draft.course, "assignment")
        before = placements(draft)

        for response in (
            client.get(address),
            client.post(address, {"action": "publish", "seed": "5"}),
        ):
            if expected == "login":
                assert_sent_to_log_in(response)
            else:
                assert response.status_code == expected
        assert AssignmentRun.objects.count() == 1
        draft.refresh_from_db()
        assert draft.published_at is None
        assert placements(draft) == before
        assert not PresentationSignup.objects.exists()

    def test_a_run_of_another_course_is_not_found(self, as_instructor, draft, instructor):
        other = CourseFactory(slug="cis7000")
        MembershipFactory(course=other, user=instructor, role="instructor")

        response = as_instructor.get(url(other, "assignment_run", run_id=draft.pk))

        assert response.status_code == 404
