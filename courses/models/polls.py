"""In-class polls: a question in a session, answered on phones, once per student."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from courses.models.course import Course
from courses.models.schedule import Session


class PollQuerySet(models.QuerySet):
    def held(self) -> PollQuerySet:
        """Polls the class was asked: open now or closed (drafts do not count)."""
        return self.exclude(state=Poll.State.DRAFT)


class Poll(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TEXT = "text", "Short text"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Results(models.TextChoices):
        # From the narrowest to the widest: once a poll has answers, its results
        # may only move to the left (`courses.services.polls.poll_update`).
        NEVER = "never", "Never shown to students"
        AFTER_CLOSE = "after_close", "Shown to students once closed"
        LIVE = "live", "Shown to students live"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="polls")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="polls"
    )
    question = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    anonymous = models.BooleanField(
        default=False, help_text="Names are never shown with answers, to anyone, nor exported."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    results = models.CharField(max_length=12, choices=Results.choices, default=Results.AFTER_CLOSE)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = PollQuerySet.as_manager()
    # Who changed what and when: the admin's history page shows it. Choice edits
    # are summed up in the poll's own record (`courses.services.polls.poll_update`).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple", "text"]), name="courses_poll_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "open", "closed"]),
                name="courses_poll_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(results__in=["never", "after_close", "live"]),
                name="courses_poll_results_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def has_choices(self) -> bool:
        return self.kind != self.Kind.TEXT

    def results_visible_to_students(self) -> bool:
        if self.results == self.Results.LIVE:
            return self.state != self.State.DRAFT
        if self.results == self.Results.AFTER_CLOSE:
            return self.state == self.State.CLOSED
        return False


class PollChoice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["poll", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "text"], name="courses_pollchoice_unique_text")
        ]

    def __str__(self) -> str:
        return self.text


class PollAnswer(models.Model):
    """One student's answer to one poll; answering again while it is open
    replaces it. Written only through `courses.services.polls.poll_answer`."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_answers"
    )
    choices = models.ManyToManyField(PollChoice, blank=True, related_name="answers")
    text = models.CharField(max_length=1000, blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["poll", "answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "student"], name="courses_pollanswer_one_per_student"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} on {self.poll}"
