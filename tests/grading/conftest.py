"""Fixtures that the test modules of one grading feature share; those of every
app are in tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.factories import GradeComponentFactory, new_student
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
