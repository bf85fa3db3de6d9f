"""The participation component is the one marked as such, not the one whose name
says so: the gradebook's "Polls answered" column sits beside it, the
participation page scores its items, and a course has at most one."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from courses.services import polls
from grading.models import GradeComponent
from tests.courses.admin_helpers import course_page, inline_row
from tests.factories import CourseFactory, GradeComponentFactory, GradeItemFactory, new_student

pytestmark = pytest.mark.django_db


def gradebook_headers(client: Client, course) -> list[str]:
    page = client.get(f"/courses/{course.slug}/gradebook/")
    return [name for name, _ in page.context["component_headers"]]


def one_poll_answered(course, student) -> None:
    poll = polls.poll_create(course=course, question="Ready?", kind="single", choices="AB")
    polls.poll_state_set(poll=poll, state="open")
    polls.poll_answer(poll=poll, student=student, choice_ids=[poll.choices.first().pk])


def test_the_polls_column_sits_beside_the_marked_component_whatever_its_name(
    course, student, as_ta
):
    GradeComponentFactory(course=course, name="Participation (old)", weight=5, order=1)
    GradeComponentFactory(
        course=course, name="Discussion", weight=15, order=2, is_participation=True
    )
    GradeComponentFactory(course=course, name="Final Project", weight=25, order=3)
    one_poll_answered(course, student)

    assert gradebook_headers(as_ta, course) == [
        "Participation (old)",
        "Discussion",
        "Polls answered",
        "Final Project",
    ]


def test_without_a_marked_component_the_polls_column_comes_last(course, student, as_ta):
    GradeComponentFactory(course=course, name="Class Participation", weight=15, order=1)
    GradeComponentFactory(course=course, name="Final Project", weight=25, order=2)
    one_poll_answered(course, student)

    assert gradebook_headers(as_ta, course) == [
        "Class Participation",
        "Final Project",
        "Polls answered",
    ]


def test_the_participation_page_offers_the_items_of_the_marked_component(
    course, student, as_instructor
):
    marked = GradeComponentFactory(course=course, name="Engagement", is_participation=True)
    other = GradeComponentFactory(course=course, name="Participation in name only")
    offered = GradeItemFactory(component=marked, title="Polls, weeks 1-7")
    GradeItemFactory(component=other, title="Not this one")

    page = as_instructor.get(f"/courses/{course.slug}/polls/participation/").content.decode()

    assert f'<option value="{offered.pk}">Engagement: Polls, weeks 1-7</option>' in page
    assert "Not this one" not in page


def test_the_database_holds_one_participation_component_per_course(course):
    GradeComponentFactory(course=course, name="Participation", is_participation=True)
    elsewhere = CourseFactory(slug="cis7000")
    GradeComponentFactory(course=elsewhere, name="Participation", is_participation=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        GradeComponentFactory(course=course, name="Discussion", is_participation=True)


def test_ticking_two_components_on_the_course_page_is_refused_and_saves_nothing(
    admin_client, course
):
    GradeComponentFactory(course=course, name="Participation", weight=15, is_participation=True)
    path, data = course_page(admin_client, course)
    index = int(data["components-TOTAL_FORMS"])
    inline_row(
        data,
        "components",
        index,
        order="2",
        name="Discussion",
        weight="10",
        drop_lowest="0",
        weighting="points",
        is_participation="on",
    )

    response = admin_client.post(path, data)

    assert response.status_code == 200
    assert "Mark one component as the participation component." in response.content.decode()
    assert list(GradeComponent.objects.filter(course=course).values_list("name", flat=True)) == [
        "Participation"
    ]


def test_a_student_s_record_counts_in_the_marked_component_s_row(course, student, as_ta):
    GradeComponentFactory(course=course, name="Discussion", is_participation=True)
    new_student(course, "bob")
    one_poll_answered(course, student)

    page = as_ta.get(f"/courses/{course.slug}/gradebook/")
    by_name = {row.student.username: row.components[1] for row in page.context["rows"]}
    assert by_name == {student.username: "1/1", "bob": "0/1"}


def test_upgrading_marks_the_component_whose_name_said_participation(course):
    """Courses made before the mark keep their polls column where it was."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("grading.migrations.0005_participation_component")
    GradeComponentFactory(course=course, name="Reading Responses", order=1)
    GradeComponentFactory(course=course, name="Class Participation", order=2)
    GradeComponentFactory(course=course, name="Participation bonus", order=3)
    other = CourseFactory(slug="cis7000")
    GradeComponentFactory(course=other, name="Final Project")

    migration.mark_by_name(apps, None)

    marked = GradeComponent.objects.filter(is_participation=True)
    assert [(c.course.slug, c.name) for c in marked] == [(course.slug, "Class Participation")]
