"""The gradebook pages: who may see them, and what a wrong role, another course
or a missing CSRF token gets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from grading.models import Score
from grading.services import item_release, score_set
from tests.conftest import logged_in
from tests.factories import GradeItemFactory, new_student
from tests.grading.gradebook_helpers import entry_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(components):
    """A gradebook item, in place of the hand-in tests' `item` from conftest.py."""
    return GradeItemFactory(component=components["responses"], title="Response 1")


# --- who may see what ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["gradebook/", "gradebook/export.csv", "gradebook/import/", "gradebook/items/{item}/"],
)
def test_staff_pages_answer_ta_and_instructor_and_refuse_others(
    path, course, item, ta, instructor, student, outsider
):
    path = url(course, path.format(item=item.pk))
    assert logged_in(ta).get(path).status_code == 200
    assert logged_in(instructor).get(path).status_code == 200
    assert logged_in(student).get(path).status_code == 403
    assert logged_in(outsider).get(path).status_code == 404
    anonymous = Client().get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_a_ta_of_another_course_gets_404_for_this_gradebook(course, item, ta):
    from tests.factories import CourseFactory, MembershipFactory

    other = CourseFactory(slug="elsewhere")
    other_ta = MembershipFactory(course=other, role="ta").user
    client = logged_in(other_ta)
    assert client.get(url(course, "gradebook/")).status_code == 404
    assert client.get(url(course, f"gradebook/items/{item.pk}/")).status_code == 404
    assert client.post(url(course, f"gradebook/items/{item.pk}/release/")).status_code == 404


def test_an_item_of_another_course_is_404_even_for_staff(course, as_ta):
    other_item = GradeItemFactory()  # its component belongs to a different course
    response = as_ta.get(url(course, f"gradebook/items/{other_item.pk}/"))
    assert response.status_code == 404


def test_my_grades_is_for_students_only(course, item, as_ta, as_student, as_outsider):
    assert as_student.get(url(course, "grades/")).status_code == 200
    assert as_ta.get(url(course, "grades/")).status_code == 403
    assert as_outsider.get(url(course, "grades/")).status_code == 404
    assert Client().get(url(course, "grades/")).status_code == 302


def test_a_student_guessing_another_students_pages_gets_404(course, item, ta, student):
    bob = new_student(course, "bob")
    score = score_set(item=item, student=bob, points=Decimal("3"), by=ta)
    item_release(item=item, released=True, by=ta)
    client = logged_in(student)
    assert client.get(url(course, f"gradebook/students/{bob.pk}/")).status_code == 404
    assert client.get(url(course, f"gradebook/scores/{score.pk}/history/")).status_code == 404
    # Query strings are not a way in either: the page is always the viewer's own.
    page = client.get(url(course, f"grades/?student={bob.pk}"))
    assert page.status_code == 200
    assert page.context["student"] == student
    assert "3 / 10" not in page.content.decode()


def test_score_history_of_another_course_is_404_for_staff(course, as_ta):
    other_item = GradeItemFactory()
    other_course = other_item.component.course
    from tests.factories import MembershipFactory

    other_student = MembershipFactory(course=other_course, role="student").user
    other_ta = MembershipFactory(course=other_course, role="ta").user
    score = score_set(item=other_item, student=other_student, points=Decimal("1"), by=other_ta)
    assert as_ta.get(url(course, f"gradebook/scores/{score.pk}/history/")).status_code == 404


def test_release_is_post_only_and_csrf_protected(course, item, ta):
    assert logged_in(ta).get(url(course, f"gradebook/items/{item.pk}/release/")).status_code == 405
    client = Client(enforce_csrf_checks=True)
    client.force_login(ta)
    response = client.post(url(course, f"gradebook/items/{item.pk}/release/"), {"released": "1"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert not item.released


def test_saving_scores_without_csrf_token_fails_and_saves_nothing(course, item, ta, student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ta)
    data = entry_data([(student, "|" + "e3b0c44298fc1c14", "9", False, "")])
    response = client.post(url(course, f"gradebook/items/{item.pk}/"), data)
    assert response.status_code == 403
    assert not Score.objects.exists()
