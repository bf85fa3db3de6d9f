from django import template

from courses.models import Course
from grading.domain.text import points_text
from grading.models import GradeComponent

register = template.Library()


@register.filter
def points(value) -> str:
    """8.50 -> 8.5, 100.00 -> 100: numbers as a person writes them."""
    return points_text(value)


@register.inclusion_tag("grading/course/grading_scheme.html")
def grading_scheme(course: Course) -> dict:
    """The course's grade components and their weights, for its home page."""
    return {"components": list(GradeComponent.objects.filter(course=course))}
