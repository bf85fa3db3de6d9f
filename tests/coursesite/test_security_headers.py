"""Answers that show one person's data are never stored, and every answer
carries a Content-Security-Policy that keeps scripts, styles and images on
this site."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from grading.services.submissions import submission_save
from tests.conftest import PDF, logged_in
from tests.factories import GradeComponentFactory, GradeItemFactory, new_paper

pytestmark = pytest.mark.django_db


def assert_never_stored(response) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]


@pytest.fixture
def item(course):
    component = GradeComponentFactory(course=course, name="Assignments", weight=15)
    return GradeItemFactory(
        component=component,
        title="Assignment 1",
        accepts_file=True,
        accepts_text=True,
        due_at=timezone.now() + dt.timedelta(days=3),
    )


@pytest.mark.parametrize(
    "path",
    [
        "/courses/cis6200/grades/",
        "/courses/cis6200/work/",
        "/my-courses/",
        "/courses/cis6200/",  # the menu carries the person's name
    ],
)
def test_a_student_s_own_pages_are_never_stored(course, as_student, item, path):
    response = as_student.get(path)
    assert response.status_code == 200
    assert_never_stored(response)


@pytest.mark.parametrize(
    "path",
    [
        "/courses/cis6200/gradebook/",
        "/courses/cis6200/gradebook/export.csv",
        "/courses/cis6200/papers/assignments.csv",
        "/courses/cis6200/roster/",
    ],
)
def test_staff_pages_and_exports_are_never_stored(course, instructor, item, path):
    response = logged_in(instructor).get(path)
    assert response.status_code == 200
    assert_never_stored(response)


def test_a_handed_in_file_is_never_stored(course, student, ta, item, media):
    submission = submission_save(
        item=item, student=student, file=SimpleUploadedFile("essay.pdf", PDF)
    )
    for client in (logged_in(student), logged_in(ta)):
        response = client.get(f"/courses/cis6200/submissions/{submission.pk}/file")
        assert response.status_code == 200
        assert_never_stored(response)


def test_public_pages_for_visitors_stay_cacheable(course):
    new_paper(course)
    response = Client().get("/courses/cis6200/schedule/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("path", ["/", "/courses/cis6200/", "/accounts/login/", "/admin/login/"])
def test_every_page_carries_the_content_security_policy(course, path):
    client = Client()
    for _ in range(2):  # the second visit of a public page is a cached copy
        response = client.get(path)
        assert response.status_code == 200
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["default-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_a_logged_in_page_carries_it_too(course, as_student):
    assert _policy(as_student.get("/courses/cis6200/grades/"))["script-src"] == ["'self'"]


def test_refusals_to_a_logged_in_person_are_never_stored_either(course, as_student, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    refused = [
        as_student.get("/courses/cis6200/?x=%00"),  # 400: a NUL in the address
        as_student.post("/join/", {"code": "x" * 2000}),  # 413: too large
    ]
    assert [r.status_code for r in refused] == [400, 413]
    for response in refused:
        assert_never_stored(response)
