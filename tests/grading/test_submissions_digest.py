"""A session's reading responses for its presenters and the staff, and who may
open the work and queue pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from grading.models import Score, Submission
from tests.conftest import logged_in
from tests.factories import GradeItemFactory, ReadingFactory, SessionFactory, new_student, seat
from tests.grading.submissions_helpers import (
    grade_url,
    hand_in_at,
    new_item,
    queue_url,
    text_of,
    url,
    work_url,
)

pytestmark = pytest.mark.django_db


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uploads_in_their_own_folder(media):
    return media


# --- presenters' digest -----------------------------------------------------------------------


@pytest.fixture
def digest(course, component, alice, bob):
    """Alice presents in the session; Bob responded to its readings."""
    session = SessionFactory(course=course, title="Scaling laws")
    seat(ReadingFactory(session=session, presentable=True), alice)
    item = new_item(component, "Response: scaling laws", session=session)
    other_session = SessionFactory(course=course, title="Mixture of experts")
    other_item = new_item(component, "Response: experts", session=other_session)
    hand_in_at(item, bob, timezone.now(), text="Compute-optimal models are **smaller**.")
    hand_in_at(other_item, bob, timezone.now(), text="Routing is fragile.")
    return session


def responses_url(course, session):
    return url(course, f"sessions/{session.pk}/responses/")


def test_a_presenter_reads_the_sessions_responses_without_names(course, digest, as_student):
    response = as_student.get(responses_url(course, digest))
    assert response.status_code == 200
    page = text_of(response)
    assert "Compute-optimal models are <strong>smaller</strong>." in page
    assert "Routing is fragile." not in page
    assert "Bob Baker" not in page
    assert "Response 1 · Response: scaling laws" in page
    assert "Names are not shown" in page


def test_a_presenter_sees_names_when_the_course_shares_them(course, digest, as_student):
    course.share_response_names = True
    course.save()
    page = text_of(as_student.get(responses_url(course, digest)))
    assert "Bob Baker · Response: scaling laws" in page
    assert "Names are not shown" not in page


def test_staff_see_the_responses_with_names(course, digest, as_ta, as_instructor):
    for client in (as_ta, as_instructor):
        page = text_of(client.get(responses_url(course, digest)))
        assert "Bob Baker · Response: scaling laws" in page


def test_a_student_who_does_not_present_there_gets_403(course, digest, bob, alice):
    assert logged_in(bob).get(responses_url(course, digest)).status_code == 403
    waiting = new_student(course, "wendy")
    seat(ReadingFactory(session=digest, presentable=True), waiting, status="waitlisted")
    assert logged_in(waiting).get(responses_url(course, digest)).status_code == 403
    elsewhere = new_student(course, "elsa")
    seat(ReadingFactory(session=SessionFactory(course=course), presentable=True), elsewhere)
    assert logged_in(elsewhere).get(responses_url(course, digest)).status_code == 403


def test_the_digest_is_404_to_outsiders_and_anonymous_visitors_must_log_in(
    course, digest, as_outsider
):
    assert as_outsider.get(responses_url(course, digest)).status_code == 404
    anonymous = Client().get(responses_url(course, digest))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_a_session_of_another_course_is_404(course, as_ta):
    assert as_ta.get(responses_url(course, SessionFactory())).status_code == 404


def test_a_session_without_responses_says_so(course, as_ta):
    session = SessionFactory(course=course)
    page = text_of(as_ta.get(responses_url(course, session)))
    assert "No reading response is attached to this session." in page


# --- who may open which page ------------------------------------------------------------------


def test_work_pages_are_for_students_only(course, item, ta, instructor, as_outsider):
    for path in (url(course, "work/"), work_url(course, item)):
        assert logged_in(ta).get(path).status_code == 403
        assert logged_in(instructor).get(path).status_code == 403
        assert as_outsider.get(path).status_code == 404
        anonymous = Client().get(path)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
    assert logged_in(ta).post(work_url(course, item), {"text": "x"}).status_code == 403
    assert not Submission.objects.exists()


def test_queue_pages_are_for_staff_only(course, item, student, as_student, as_outsider, as_ta):
    for path in (queue_url(course, item), grade_url(course, item, student)):
        assert as_ta.get(path).status_code == 200
        assert as_student.get(path).status_code == 403
        assert as_outsider.get(path).status_code == 404
        anonymous = Client().get(path)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
    assert as_student.post(grade_url(course, item, student), {"points": "10"}).status_code == 403
    assert not Score.objects.exists()


def test_queue_pages_of_an_item_of_another_course_are_404(course, student, as_ta):
    elsewhere = GradeItemFactory(accepts_text=True)
    assert as_ta.get(queue_url(course, elsewhere)).status_code == 404
    assert as_ta.get(grade_url(course, elsewhere, student)).status_code == 404
