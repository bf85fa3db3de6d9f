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


class SessionQuerySet(models.QuerySet):
    def upcoming(self, today: dt.date) -> SessionQuerySet:
        return self.filter(date__gte=today, cancelled=False)


class Session(models.Model):
    """One class meeting on the schedule."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    start_time = models.TimeField(default=dt.time(15, 30))
    end_time = models.TimeField(default=dt.time(17, 0))
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


class PresentationSignupQuerySet(models.QuerySet):
    def confirmed(self) -> PresentationSignupQuerySet:
        return self.filter(status=PresentationSignup.Status.CONFIRMED)

    def waitlisted(self) -> PresentationSignupQuerySet:
        return self.filter(status=PresentationSignup.Status.WAITLISTED)

    def of_course(self, course: Course) -> PresentationSignupQuerySet:
        return self.filter(reading__session__course=course)


class PresentationSignup(models.Model):
    """A student presenting a paper, or waiting for a seat on it.

    Written only through `courses.signups`, which holds the capacity and
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
