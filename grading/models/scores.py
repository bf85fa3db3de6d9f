"""Scores, with their history, and the record of each gradebook CSV import."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from courses.models import Course
from grading.models.components import SCORE_POINTS_LIMIT, GradeItem


class Score(models.Model):
    """One student's result on one item. Written only through `grading.services`,
    so that every change is in its history."""

    # An item with scores cannot be deleted: its grades would go with it.
    item = models.ForeignKey(GradeItem, on_delete=models.PROTECT, related_name="scores")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scores"
    )
    points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    excused = models.BooleanField(default=False)
    comment = models.TextField(blank=True, max_length=5000)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "student"], name="grading_score_unique_item_student"
            ),
            # The cap relative to the item (twice its points) needs the item's row,
            # which a check constraint cannot see: services enforce it, the
            # database holds the absolute bounds.
            models.CheckConstraint(
                condition=Q(points__isnull=True)
                | (Q(points__gte=0) & Q(points__lte=SCORE_POINTS_LIMIT)),
                name="grading_score_points_in_range",
            ),
            models.CheckConstraint(
                condition=Q(excused=False) | Q(points__isnull=True),
                name="grading_score_excused_has_no_points",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} on {self.item}"


class GradeImport(models.Model):
    """An uploaded gradebook CSV, kept from preview to confirmation (and after,
    as a record of who imported what)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="grade_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    changed_cells = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applied_at__isnull=True) | Q(applied_at__gte=F("created_at")),
                name="grading_import_applied_after_upload",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
