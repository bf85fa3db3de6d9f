"""Hand-ins: a student's text, link or file for an item that takes submissions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grading.models.components import GradeItem


def submission_upload_to(submission: Submission, filename: str) -> str:
    # A fresh directory per upload: earlier versions keep their files, and two
    # students' files with the same name never meet. Only the base name of what
    # the browser sent is kept (the form has checked it).
    return f"submissions/{submission.item_id}/{uuid.uuid4().hex}/{filename}"


class Submission(models.Model):
    """A student's current hand-in for one item; earlier versions are in its history.
    Written only through `grading.submissions.submission_save`."""

    item = models.ForeignKey(GradeItem, on_delete=models.PROTECT, related_name="submissions")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    text = models.TextField(blank=True, max_length=50_000, help_text="Markdown.")
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to=submission_upload_to, blank=True, max_length=300)
    submitted_at = models.DateTimeField(help_text="When this version was handed in.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "student"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "student"], name="grading_submission_unique_item_student"
            ),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(url="") | ~Q(file=""),
                name="grading_submission_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} on {self.item}"

    @property
    def file_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
