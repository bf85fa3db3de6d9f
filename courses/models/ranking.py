"""Ranked paper preferences, blackout sessions, and assignment runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from courses.models.course import Course
from courses.models.schedule import Reading, Session


class PaperPreference(models.Model):
    """One paper a student ranked: rank 1 is their first choice. Written only
    through `courses.services.ranking.preferences_set`."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="preferences")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="paper_preferences"
    )
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["course", "student", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "student", "reading"], name="courses_preference_unique_paper"
            ),
            models.UniqueConstraint(
                fields=["course", "student", "rank"], name="courses_preference_unique_rank"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1), name="courses_preference_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.rank}. {self.reading}"


class Blackout(models.Model):
    """A session a student cannot present in."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="blackouts")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blackouts"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="blackouts")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "session"], name="courses_blackout_unique_student_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} cannot present on {self.session.date}"


class AssignmentRun(models.Model):
    """One run of the optimal assignment: its inputs' seed, the result the
    instructor previews and adjusts, and when it was published."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignment_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    seed = models.PositiveIntegerField()
    solve_seconds = models.FloatField(default=0)
    # {"placements": [[student_id, reading_id, rank_or_null], ...], "adjusted": bool}
    result = models.JSONField(default=dict)
    # The same preferences through first come, first served, for comparison.
    first_come = models.JSONField(default=dict)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Assignment of {self.course.code}, seed {self.seed}"
