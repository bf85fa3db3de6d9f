"""The course's schedule: themes and their topics, sessions, and the readings of each session."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from courses.models.course import MARKDOWN_HELP, Course


class Theme(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["course", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["theme", "order", "id"]

    def __str__(self) -> str:
        return self.title


# Callables, not fixed times: Django's check for a fixed default (fields.W161)
# warns about a fixed time during the ten seconds around it every day.
def usual_start_time() -> dt.time:
    return dt.time(15, 30)


def usual_end_time() -> dt.time:
    return dt.time(17, 0)


class SessionQuerySet(models.QuerySet):
    def upcoming(self, today: dt.date) -> SessionQuerySet:
        return self.filter(date__gte=today, cancelled=False)


class Session(models.Model):
    """One class meeting on the schedule."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    start_time = models.TimeField(default=usual_start_time)
    end_time = models.TimeField(default=usual_end_time)
    title = models.CharField(max_length=200, help_text="The topic of the session.")
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    location = models.CharField(
        max_length=200, blank=True, help_text="Leave blank to use the course's location."
    )
    notes = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    materials_url = models.URLField(blank=True, help_text="Slides or notes for this session.")
    cancelled = models.BooleanField(default=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["course", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=models.F("end_time")),
                name="courses_session_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%a %b %-d}: {self.title}"

    def clean(self) -> None:
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError({"end_time": "A session must end after it starts."})
        if self.theme_id and self.course_id and self.theme.course_id != self.course_id:
            raise ValidationError({"theme": "Choose a theme of this session's course."})

    @property
    def where(self) -> str:
        return self.location or self.course.location

    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=self.course.tz)

    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time, tzinfo=self.course.tz)


class Reading(models.Model):
    class Kind(models.TextChoices):
        REQUIRED = "required", "Required"
        OPTIONAL = "optional", "Optional"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="readings")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    authors = models.CharField(max_length=500, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(blank=True, max_length=500)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REQUIRED)
    presentable = models.BooleanField(
        default=False, help_text="Students may sign up to present this paper."
    )
    presenter_capacity = models.PositiveSmallIntegerField(
        default=1, help_text="How many students may present this paper."
    )

    class Meta:
        ordering = ["session__date", "session__start_time", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(presenter_capacity__gte=1),
                name="courses_reading_capacity_at_least_one",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["required", "optional"]),
                name="courses_reading_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def citation(self) -> str:
        """`Authors. Venue Year.`, as a reading list prints it."""
        where = " ".join(p for p in (self.venue, str(self.year) if self.year else "") if p)
        parts = [p.rstrip(".") for p in (self.authors, where) if p]
        return ". ".join(parts) + "." if parts else ""
