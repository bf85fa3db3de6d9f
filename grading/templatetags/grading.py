from django import template

from grading.selectors.gradebook import points_text

register = template.Library()


@register.filter
def points(value) -> str:
    """8.50 -> 8.5, 100.00 -> 100: numbers as a person writes them."""
    return points_text(value)
