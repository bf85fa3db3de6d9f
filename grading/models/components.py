"""The grading scheme: a course's weighted components, their items, and the
letter scale."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from simple_history.models import HistoricalRecords

from courses.models import Course
from grading.domain.calculation import DEFAULT_LETTER_SCALE, Weighting

# A score may be at most twice its item's points (extra credit, not a typo).
SCORE_CAP_FACTOR = 2
SCORE_POINTS_LIMIT = Decimal("2000")  # twice the largest points_possible


class GradeComponentQuerySet(models.QuerySet):
    def total_weight(self) -> Decimal:
        return self.aggregate(total=Sum("weight"))["total"] or Decimal("0")


class GradeComponent(models.Model):
    """One weighted part of the course grade, such as Paper Presentations 25%."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="components")
    name = models.CharField(max_length=100)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Percent of the course grade.",
    )
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    grace_minutes = models.PositiveIntegerField(
        default=0, help_text="Work handed in this many minutes after the due time is not late."
    )
    late_percent_per_day = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Suggested deduction, in percent of the points possible, for each day late "
        "(a started day counts as a whole day). 0 for none.",
    )
    late_floor_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="A late deduction never takes a score below this percent of the points possible.",
    )
    drop_lowest = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(50)],
        help_text="Drop this many graded items, the ones that raise the percentage most; "
        "the last graded item is never dropped.",
    )
    weighting = models.CharField(
        max_length=10,
        choices=[
            (Weighting.POINTS.value, "By points (items with more points count more)"),
            (Weighting.EQUAL.value, "Equally (every item counts the same)"),
        ],
        default=Weighting.POINTS.value,
    )
    is_participation = models.BooleanField(
        "participation component",
        default=False,
        help_text="The component scored from poll participation: the gradebook shows "
        "the polls each student answered beside it, and the participation page scores "
        "its items. At most one per course.",
    )

    objects = GradeComponentQuerySet.as_manager()

    class Meta:
        ordering = ["course", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "name"], name="grading_component_unique_course_name"
            ),
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(is_participation=True),
                name="grading_component_one_participation_per_course",
                violation_error_message="A course has one participation component.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100),
                name="grading_component_weight_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(weighting__in=[w.value for w in Weighting]),
                name="grading_component_weighting_valid",
            ),
            models.CheckConstraint(
                condition=Q(late_percent_per_day__gte=0)
                & Q(late_percent_per_day__lte=100)
                & Q(late_floor_percent__gte=0)
                & Q(late_floor_percent__lte=100),
                name="grading_component_late_policy_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight.normalize():f}%)"


class GradeItemQuerySet(models.QuerySet):
    def of_course(self, course: Course) -> GradeItemQuerySet:
        return self.filter(component__course=course)

    def in_gradebook_order(self) -> GradeItemQuerySet:
        return self.select_related("component").order_by(
            "component__order", "component_id", "order", "due_at", "id"
        )


class GradeItem(models.Model):
    """Something graded: one reading response, an assignment, the project report."""

    component = models.ForeignKey(GradeComponent, on_delete=models.PROTECT, related_name="items")
    title = models.CharField(max_length=200)
    points_possible = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000"))],
    )
    due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Once it has passed, the projected grade counts a missing score as zero.",
    )
    released = models.BooleanField(
        default=False, help_text="Students see their scores and comments only once released."
    )
    order = models.PositiveSmallIntegerField(default=0)
    session = models.ForeignKey(
        "courses.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grade_items",
        help_text="For reading responses: the session whose readings this responds to; its "
        "presenters can read the responses.",
    )
    accepts_text = models.BooleanField(
        default=False, help_text="Students can write their submission (Markdown) on the site."
    )
    accepts_url = models.BooleanField(default=False, help_text="Students can submit a link.")
    accepts_file = models.BooleanField(default=False, help_text="Students can upload a file.")
    submissions_open = models.BooleanField(
        default=True, help_text="Untick to stop all submissions, whatever the due date."
    )
    allow_late = models.BooleanField(
        default=True,
        help_text="Accept (and resubmit) work after the due time and grace period; it is "
        "marked late.",
    )

    objects = GradeItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["component__order", "component_id", "order", "due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "title"], name="grading_item_unique_component_title"
            ),
            models.CheckConstraint(
                condition=Q(points_possible__gt=0), name="grading_item_points_possible_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Lowering the points possible must not leave a score above the cap.
        if self.pk and self.points_possible:
            top = self.scores.aggregate(top=models.Max("points"))["top"]
            if top is not None and top > Decimal(self.points_possible) * SCORE_CAP_FACTOR:
                raise ValidationError(
                    {
                        "points_possible": f"A student already has {top.normalize():f} points; "
                        "scores may be at most twice the points possible."
                    }
                )

    @property
    def max_points(self) -> Decimal:
        """The most a score may be: twice the points possible, room for extra credit."""
        return Decimal(self.points_possible) * SCORE_CAP_FACTOR

    @property
    def takes_submissions(self) -> bool:
        return self.accepts_text or self.accepts_url or self.accepts_file

    @property
    def column_title(self) -> str:
        """The item's column in CSV files, as large LMS exports name it."""
        return f"{self.title} ({self.pk})"


class LetterCutoff(models.Model):
    """One step of a course's letter scale; a course without any uses the default
    scale (A 94, A- 90, ... F 0)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="letter_cutoffs")
    letter = models.CharField(max_length=3)
    minimum = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Lowest percentage (rounded to two decimals) that earns this letter.",
    )

    class Meta:
        ordering = ["course", "-minimum"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "letter"], name="grading_cutoff_unique_course_letter"
            ),
            models.UniqueConstraint(
                fields=["course", "minimum"], name="grading_cutoff_unique_course_minimum"
            ),
            models.CheckConstraint(
                condition=Q(minimum__gte=0) & Q(minimum__lte=100),
                name="grading_cutoff_minimum_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter} from {self.minimum.normalize():f}%"


def letter_scale(course: Course) -> tuple[tuple[str, Decimal], ...]:
    cutoffs = tuple((c.letter, c.minimum) for c in course.letter_cutoffs.all())
    return cutoffs or DEFAULT_LETTER_SCALE
