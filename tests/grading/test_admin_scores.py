"""Scores and items changed in the admin follow the same rules, and leave the
same history, as the gradebook pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from courses.models import Membership
from courses.services.memberships import membership_set
from grading.models import GradeItem, Score
from grading.services import score_set
from tests.factories import GradeComponentFactory, GradeItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(course):
    component = GradeComponentFactory(course=course, name="Assignments")
    return GradeItemFactory(component=component, title="Assignment 1", points_possible=20)


def score_form(score, **changes):
    data = {
        "points": "" if score.points is None else str(score.points),
        "comment": score.comment,
    }
    if score.excused:
        data["excused"] = "on"
    data.update(changes)
    return data


def test_changing_a_score_in_the_admin_is_recorded_with_who_and_how(
    admin_client, prof, ta, item, student
):
    score = score_set(item=item, student=student, points=Decimal("12"), by=ta)
    response = admin_client.post(
        f"/admin/grading/score/{score.pk}/change/", score_form(score, points="15"), follow=True
    )
    assert response.status_code == 200
    score.refresh_from_db()
    assert score.points == Decimal("15")
    assert score.graded_by == prof
    latest = score.history.latest("history_date")
    assert latest.history_user == prof
    assert latest.history_change_reason == "Changed in the admin"
    assert score.history.count() == 2


def test_the_admin_refuses_points_over_the_cap_and_keeps_the_score(admin_client, ta, item, student):
    score = score_set(item=item, student=student, points=Decimal("12"), by=ta)
    response = admin_client.post(
        f"/admin/grading/score/{score.pk}/change/", score_form(score, points="41")
    )
    assert "At most 40 points" in response.content.decode()
    score.refresh_from_db()
    assert score.points == Decimal("12")


def test_the_admin_refuses_a_score_for_someone_who_is_not_a_student_here(
    admin_client, item, outsider
):
    response = admin_client.post(
        "/admin/grading/score/add/",
        {"item": item.pk, "student": outsider.pk, "points": "5", "comment": ""},
    )
    assert "is not a student in" in response.content.decode()
    assert not Score.objects.exists()


def test_scores_cannot_be_deleted_in_the_admin(admin_client, ta, item, student):
    score = score_set(item=item, student=student, points=Decimal("12"), by=ta)
    response = admin_client.post(f"/admin/grading/score/{score.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Score.objects.filter(pk=score.pk).exists()


def test_an_instructor_does_not_see_other_courses_scores(admin_client, ta, item, student):
    score_set(item=item, student=student, points=Decimal("12"), by=ta)
    other_item = GradeItemFactory(title="Elsewhere")
    other_student = UserFactory(username="zed")
    Membership.objects.create(
        course=other_item.component.course, user=other_student, role="student"
    )
    score_set(item=other_item, student=other_student, points=Decimal("3"), by=ta)
    page = admin_client.get("/admin/grading/score/").content.decode()
    assert "Assignment 1" in page
    assert "Elsewhere" not in page


def test_releasing_items_from_the_admin_goes_through_the_service(admin_client, prof, item):
    response = admin_client.post(
        "/admin/grading/gradeitem/",
        {"action": "release", "_selected_action": [item.pk]},
        follow=True,
    )
    assert "1 item(s) released." in response.content.decode()
    item.refresh_from_db()
    assert item.released
    assert item.history.latest("history_date").history_user == prof


def test_deleting_a_component_with_items_is_refused(course, item):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        item.component.delete()
    assert GradeItem.objects.filter(pk=item.pk).exists()


def test_another_courses_instructor_cannot_read_or_change_a_score_through_its_history(
    course, ta, item, student
):
    from tests.factories import CourseFactory

    score = score_set(item=item, student=student, points=Decimal("12"), by=ta)
    score_set(item=item, student=student, points=Decimal("13"), comment="private", by=ta)
    elsewhere = CourseFactory(slug="elsewhere")
    stranger = UserFactory(username="otherprof")
    membership_set(course=elsewhere, user=stranger, role=Membership.Role.INSTRUCTOR)
    client = Client()
    client.force_login(stranger)
    version = score.history.earliest("history_date").history_id
    assert client.get(f"/admin/grading/score/{score.pk}/history/").status_code == 403
    page = client.get(f"/admin/grading/score/{score.pk}/history/{version}/")
    assert page.status_code == 403
    assert "private" not in page.content.decode()
    client.post(
        f"/admin/grading/score/{score.pk}/history/{version}/", {"points": "0", "comment": "x"}
    )
    score.refresh_from_db()
    assert (score.points, score.comment) == (Decimal("13"), "private")
    assert client.get(f"/admin/grading/gradeitem/{item.pk}/history/").status_code == 403


def test_an_item_with_scores_cannot_be_deleted(admin_client, ta, item, student):
    score_set(item=item, student=student, points=Decimal("12"), by=ta)
    response = admin_client.post(f"/admin/grading/gradeitem/{item.pk}/delete/", {"post": "yes"})
    assert "Cannot delete grade item" in response.content.decode()
    assert GradeItem.objects.filter(pk=item.pk).exists()


def test_lowering_points_possible_below_half_a_score_is_refused(admin_client, ta, item, student):
    score_set(item=item, student=student, points=Decimal("30"), by=ta)  # cap: 2 x 20 = 40
    data = {
        "component": item.component_id,
        "title": item.title,
        "points_possible": "10",
        "order": "0",
        "submissions_open": "on",
        "allow_late": "on",
    }
    response = admin_client.post(f"/admin/grading/gradeitem/{item.pk}/change/", data)
    assert "A student already has 30 points" in response.content.decode()
    item.refresh_from_db()
    assert item.points_possible == Decimal("20")
