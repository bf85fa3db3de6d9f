"""A course's letter scale: the one write path (the course's admin page and
anything else that sets one), replacing the scale as a whole."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from courses.models import Course
from grading.models import LetterCutoff
from grading.services.scores import GradingError


def letter_scale_problem(cutoffs: Sequence[tuple[str, Decimal]]) -> str | None:
    """What is wrong with a letter scale, or None. Empty means the default
    scale; otherwise every letter is different (in any case), every minimum is
    different and from 0 to 100, and the lowest is 0, so that every percentage
    has a letter."""
    if not cutoffs:
        return None
    letters = [letter.strip() for letter, _ in cutoffs]
    minimums = [minimum for _, minimum in cutoffs]
    if any(not letter for letter in letters):
        return "Write each letter, or delete its row."
    if len({letter.casefold() for letter in letters}) != len(letters):
        return "Two cut-offs have the same letter."
    if any(not Decimal(0) <= minimum <= Decimal(100) for minimum in minimums):
        return "Each minimum is a percentage from 0 to 100."
    if len(set(minimums)) != len(minimums):
        return "Two letters have the same minimum."
    if min(minimums) != 0:
        return "The lowest letter starts at 0, so that every percentage has a letter."
    return None


@transaction.atomic
def letter_scale_set(*, course: Course, cutoffs: Sequence[tuple[str, Decimal]]) -> None:
    """Replace a course's letter scale as a whole, under `letter_scale_problem`'s
    rule, one scale change at a time per course."""
    problem = letter_scale_problem(cutoffs)
    if problem:
        raise GradingError(problem)
    Course.objects.select_for_update().get(pk=course.pk)
    LetterCutoff.objects.filter(course=course).delete()
    for letter, minimum in cutoffs:
        LetterCutoff.objects.create(course=course, letter=letter.strip(), minimum=minimum)
