"""A course, its members, resources and announcements."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

MARKDOWN_HELP = "Markdown; indent nested list items by four spaces."


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"“{value}” is not a time zone name; use one such as America/New_York."
        ) from exc


class CourseQuerySet(models.QuerySet):
    def published(self) -> CourseQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user) -> CourseQuerySet:
        """Published courses, plus unpublished ones the user belongs to."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        if user.is_authenticated:
            return self.filter(Q(is_published=True) | Q(memberships__user=user)).distinct()
        return self.published()


class Course(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    code = models.CharField(max_length=30, help_text="For example CIS6200.")
    title = models.CharField(max_length=200)
    term = models.CharField(max_length=60, help_text="For example Spring 2026.")
    institution = models.CharField(max_length=200, blank=True)
    overview = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    prerequisites = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    meeting_times = models.CharField(
        max_length=200, blank=True, help_text="For example Tuesday/Thursday 3:30-5:00 PM."
    )
    location = models.CharField(max_length=200, blank=True)
    office_hours = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    timezone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_timezone],
        help_text="Session times and due dates are in this time zone.",
    )
    is_published = models.BooleanField(
        default=False, help_text="Published courses are visible to anyone, signed in or not."
    )
    signup_opens_at = models.DateTimeField(
        null=True, blank=True, help_text="Students can sign up to present papers from then."
    )
    signup_closes_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Sign-ups and withdrawals close then. Leave blank to keep them open.",
    )
    min_presentations = models.PositiveSmallIntegerField(
        default=1, help_text="Each student should present at least this many papers."
    )
    max_presentations = models.PositiveSmallIntegerField(
        default=2, help_text="A student may present at most this many papers."
    )

    class SignupMode(models.TextChoices):
        FIRST_COME = "first_come", "First come, first served (the sign-up board)"
        RANKED = "ranked", "Ranked preferences, assigned by the instructor after sign-ups close"

    signup_mode = models.CharField(
        max_length=12, choices=SignupMode.choices, default=SignupMode.FIRST_COME
    )
    rank_min = models.PositiveSmallIntegerField(
        default=3, help_text="Ranked mode: each student ranks at least this many papers."
    )
    rank_max = models.PositiveSmallIntegerField(
        default=8, help_text="Ranked mode: and at most this many."
    )
    min_days_between_presentations = models.PositiveSmallIntegerField(
        default=0,
        help_text="Ranked mode: one student's two presentations are at least this many days "
        "apart (they are never in the same session).",
    )
    late_days = models.PositiveSmallIntegerField(
        default=0,
        help_text="Days of lateness each student may use over the course without penalty; "
        "they are spent automatically, in the order work is handed in.",
    )
    join_code = models.CharField(
        max_length=20,
        blank=True,
        help_text="Anyone logged in who enters this code becomes a student of the course. "
        "Empty: joining by code is off. Rotate it from the roster page.",
    )
    share_response_names = models.BooleanField(
        default=False,
        help_text="Show the authors' names when a session's presenters read its responses.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-term", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_presentations__lte=models.F("max_presentations")),
                name="courses_course_min_presentations_at_most_max",
            ),
            models.CheckConstraint(
                condition=Q(signup_opens_at__isnull=True)
                | Q(signup_closes_at__isnull=True)
                | Q(signup_opens_at__lt=models.F("signup_closes_at")),
                name="courses_course_signup_opens_before_close",
            ),
            models.CheckConstraint(
                condition=Q(rank_min__gte=1) & Q(rank_min__lte=models.F("rank_max")),
                name="courses_course_rank_min_at_most_max",
            ),
            models.CheckConstraint(
                condition=Q(signup_mode__in=["first_come", "ranked"]),
                name="courses_course_signup_mode_valid",
            ),
            models.UniqueConstraint(
                fields=["join_code"],
                condition=~Q(join_code=""),
                name="courses_course_unique_join_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title} ({self.term})"

    def save(self, *args, update_fields=None, **kwargs) -> None:
        # Every save moves `updated_at`, even one naming only some fields.
        if update_fields is not None and "updated_at" not in update_fields:
            update_fields = [*update_fields, "updated_at"]
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("courses:home", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        return timezone.now().astimezone(self.tz).date()

    def clean(self) -> None:
        if self.min_presentations > self.max_presentations:
            raise ValidationError(
                {"min_presentations": "The minimum cannot be more than the maximum."}
            )
        if (
            self.signup_opens_at
            and self.signup_closes_at
            and self.signup_opens_at >= self.signup_closes_at
        ):
            raise ValidationError({"signup_closes_at": "Sign-ups must close after they open."})


class MembershipQuerySet(models.QuerySet):
    def students_of(self, course: Course | int) -> MembershipQuerySet:
        """The memberships of the course's students (a course or its id): the one
        definition of "a student of this course" that every rule uses."""
        return self.filter(course_id=getattr(course, "pk", course), role=Membership.Role.STUDENT)

    def is_student(self, course: Course | int, user) -> bool:
        return self.students_of(course).filter(user=user).exists()


class Membership(models.Model):
    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", "Instructor"
        TA = "ta", "Teaching assistant"
        STUDENT = "student", "Student"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["course", "role", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "user"], name="courses_membership_unique_course_user"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["instructor", "ta", "student"]),
                name="courses_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.course.code}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in (self.Role.INSTRUCTOR, self.Role.TA)


class Resource(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="resources")
    category = models.CharField(max_length=100, help_text="Resources are grouped by category.")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True, max_length=500)
    description = models.TextField(blank=True, help_text=MARKDOWN_HELP)

    class Meta:
        ordering = ["course", "category", "order", "id"]

    def __str__(self) -> str:
        return self.title


class AnnouncementQuerySet(models.QuerySet):
    def visible(self) -> AnnouncementQuerySet:
        return self.filter(published_at__lte=timezone.now())


class Announcement(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="announcements")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    published_at = models.DateTimeField(default=timezone.now, help_text="Hidden until this moment.")

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title
