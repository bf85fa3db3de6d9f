"""Presentation sign-ups: a student presenting a reading, confirmed or on its waitlist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from courses.models.course import Course
from courses.models.schedule import Reading


class PresentationSignupQuerySet(models.QuerySet):
    def confirmed(self) -> PresentationSignupQuerySet:
        return self.filter(status=PresentationSignup.Status.CONFIRMED)

    def waitlisted(self) -> PresentationSignupQuerySet:
        return self.filter(status=PresentationSignup.Status.WAITLISTED)

    def of_course(self, course: Course) -> PresentationSignupQuerySet:
        return self.filter(reading__session__course=course)


class PresentationSignup(models.Model):
    """A student presenting a paper, or waiting for a seat on it.

    Written only through `courses.services.signups`, which holds the capacity and
    per-student limits under concurrent requests.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Presenting"
        WAITLISTED = "waitlisted", "On the waitlist"

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="signups")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presentation_signups"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PresentationSignupQuerySet.as_manager()

    class Meta:
        # The waitlist is served in this order.
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reading", "student"], name="courses_signup_unique_student_reading"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="courses_signup_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.reading} ({self.get_status_display()})"
