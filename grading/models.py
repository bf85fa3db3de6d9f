from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum

from courses.models import Course


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

    objects = GradeComponentQuerySet.as_manager()

    class Meta:
        ordering = ["course", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "name"], name="grading_component_unique_course_name"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100),
                name="grading_component_weight_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight.normalize():f}%)"
