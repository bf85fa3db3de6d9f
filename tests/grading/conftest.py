"""Fixtures that the test modules of one grading feature share; those of every
app are in tests/conftest.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import GradeComponentFactory, GradeItemFactory, new_student
from tests.grading.submissions_helpers import new_item

# --- hand-ins (test_submissions*.py) -------------------------------------------------------------


@pytest.fixture
def component(course):
    return GradeComponentFactory(course=course, name="Reading Responses", weight=20)


@pytest.fixture
def item(component):
    return new_item(component)


@pytest.fixture
def alice(student):
    student.first_name, student.last_name = "Alice", "Adams"
    student.save()
    return student


@pytest.fixture
def bob(course):
    return new_student(course, "bob", first_name="Bob", last_name="Baker")


# --- the gradebook pages (test_gradebook_views*.py) -----------------------------------------------
# Their modules define their own `item`, on the "Reading Responses" component below.


@pytest.fixture
def components(course):
    return {
        "responses": GradeComponentFactory(course=course, name="Reading Responses", weight=20),
        "project": GradeComponentFactory(course=course, name="Final Project", weight=25),
    }


@pytest.fixture
def project(components):
    return GradeItemFactory(
        component=components["project"], title="Report", points_possible=Decimal("60")
    )
