"""The admin is just another caller: the letter scale on the course page goes
through the letter scale service, and an item, a session or a paper takes only
what its own course has."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from courses.models import Session
from grading.models import GradeItem, LetterCutoff
from grading.services import GradingError, letter_scale_set
from tests.courses.admin_helpers import course_page, form_errors, inline_row, page_as_posted
from tests.factories import (
    GradeComponentFactory,
    GradeItemFactory,
    SessionFactory,
    ThemeFactory,
    new_paper,
    new_student,
    seat,
)

pytestmark = pytest.mark.django_db


# --- the letter scale, the items, the schedule ----------------------------------------------------


NO_ZERO = "The lowest letter starts at 0, so that every percentage has a letter."


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ([("A", "90"), ("a", "80"), ("F", "0")], "Two cut-offs have the same letter."),
        ([("A", "90"), ("B", "80")], NO_ZERO),
        # Caught by the database's constraint, which Django's form checks first.
        ([("A", "90"), ("B", "90"), ("F", "0")], "Please correct the duplicate data for minimum."),
    ],
    ids=["same-letter", "no-zero", "same-minimum"],
)  # fmt: skip
def test_a_letter_scale_that_breaks_a_rule_is_refused_on_the_course_page(
    admin_client, course, scale, message
):
    path, data = course_page(admin_client, course)
    for n, (letter, minimum) in enumerate(scale):
        inline_row(data, "letter_cutoffs", n, letter=letter, minimum=minimum)

    response = admin_client.post(path, data)

    assert response.status_code == 200
    assert message in form_errors(response)
    assert not LetterCutoff.objects.exists()


def test_a_letter_scale_that_keeps_the_rules_is_saved(admin_client, course):
    path, data = course_page(admin_client, course)
    for n, (letter, minimum) in enumerate([("A", "90"), ("B", "80"), ("F", "0")]):
        inline_row(data, "letter_cutoffs", n, letter=letter, minimum=minimum)
    response = admin_client.post(path, data)
    assert response.status_code == 302, form_errors(response)
    assert list(course.letter_cutoffs.values_list("letter", "minimum")) == [
        ("A", Decimal("90")),
        ("B", Decimal("80")),
        ("F", Decimal("0")),
    ]


def test_an_item_takes_a_session_of_its_own_course_only(admin_client, course, second_course):
    item = GradeItemFactory(component=GradeComponentFactory(course=course), title="Response 1")
    elsewhere = SessionFactory(course=second_course)
    data = {
        "component": item.component_id,
        "title": item.title,
        "points_possible": "10",
        "order": "0",
        "session": elsewhere.pk,
        "submissions_open": "on",
        "allow_late": "on",
    }
    response = admin_client.post(f"/admin/grading/gradeitem/{item.pk}/change/", data)
    assert "Choose a session of the item's course." in form_errors(response)
    assert GradeItem.objects.get(pk=item.pk).session is None


def test_a_session_takes_a_theme_of_its_own_course_only(admin_client, course, second_course):
    session = SessionFactory(course=course, date=dt.date(2026, 2, 3))
    own, foreign = ThemeFactory(course=course), ThemeFactory(course=second_course)
    path = f"/admin/courses/session/{session.pk}/change/"
    shown = admin_client.get(path)
    menu = shown.context["adminform"].form.fields["theme"].queryset
    assert list(menu) == [own]
    data = page_as_posted(shown)
    data["theme"] = str(foreign.pk)
    response = admin_client.post(path, data)
    assert response.status_code == 200
    assert Session.objects.get(pk=session.pk).theme is None


def test_a_papers_seats_do_not_drop_below_its_presenters(admin_client, course):
    paper = new_paper(course, capacity=2)
    for name in ("first", "second"):
        seat(paper, new_student(course, name))
    data = {
        "session": paper.session_id,
        "order": "0",
        "kind": "required",
        "title": paper.title,
        "presentable": "on",
        "presenter_capacity": "1",
    }
    response = admin_client.post(f"/admin/courses/reading/{paper.pk}/change/", data)
    assert (
        "2 students present this paper; move or withdraw presenters before taking seats away."
        in form_errors(response)
    )
    paper.refresh_from_db()
    assert paper.presenter_capacity == 2


def test_the_letter_scale_service_refuses_a_scale_that_breaks_a_rule(course):
    LetterCutoff.objects.create(course=course, letter="P", minimum=Decimal("0"))
    with pytest.raises(GradingError, match="The lowest letter starts at 0"):
        letter_scale_set(course=course, cutoffs=[("A", Decimal("90")), ("B", Decimal("80"))])
    assert list(course.letter_cutoffs.values_list("letter", flat=True)) == ["P"]
