"""What the hand-in tests share: items to hand work in to, their students, the
addresses of the pages, and reading what a page or a download sent back."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grading.services.submissions import submission_save
from tests.factories import GradeItemFactory


def new_item(component, title="Response 1", **fields):
    fields.setdefault("accepts_text", True)
    fields.setdefault("due_at", timezone.now() + dt.timedelta(days=2))
    return GradeItemFactory(component=component, title=title, **fields)


def url(course, path=""):
    return f"/courses/{course.slug}/{path}"


def work_url(course, item):
    return url(course, f"work/{item.pk}/")


def queue_url(course, item, show=None):
    path = url(course, f"gradebook/items/{item.pk}/submissions/")
    return f"{path}?show={show}" if show else path


def grade_url(course, item, student, show=None):
    path = url(course, f"gradebook/items/{item.pk}/submissions/{student.pk}/")
    return f"{path}?show={show}" if show else path


def text_of(response) -> str:
    return response.content.decode()


def hand_in_at(item, student, moment, text="My response.", **fields):
    return submission_save(item=item, student=student, text=text, now=moment, **fields)
