"""Writing scores: the one path that the item form, the admin and the CSV import
share, so every change is checked the same way and lands in the history."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from courses.models import Membership
from grading.domain.text import mark_text
from grading.models import GradeItem, Score

EXCUSED = "EX"


class GradingError(Exception):
    """A score or release that breaks a rule; the message is for the person grading."""


class ScoreConflict(GradingError):
    """Some scores changed, or students left the course, since the grader's page
    was drawn: nothing was saved. ``stale`` holds the current score (or None) of
    each such (item id, student id); ``gone`` the ids of students no longer in
    the course."""

    def __init__(
        self,
        message: str,
        *,
        stale: dict[tuple[int, int], Score | None] | None = None,
        gone: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(message)
        self.stale = stale or {}
        self.gone = gone


@dataclass(frozen=True)
class ScoreChange:
    item: GradeItem
    student: AbstractBaseUser
    points: Decimal | None
    excused: bool = False
    comment: str | None = None  # None leaves the comment as it is
    # What the grader saw (`score_token`); if the stored score no longer matches,
    # someone changed it meanwhile and the change is refused. None: no check.
    expected: str | None = None


def score_token(score: Score | None) -> str:
    """A short fingerprint of a stored score (points, excused, comment)."""
    return token_of(mark_text(score), score.comment if score else "")


def token_of(shown: str, comment: str) -> str:
    """The fingerprint of a score as a page showed it: its cell text and comment."""
    return f"{shown}|{hashlib.sha256(comment.encode()).hexdigest()[:16]}"


COMMENT_MAX_LENGTH = Score._meta.get_field("comment").max_length


def score_problem(
    item: GradeItem, points: Decimal | None, excused: bool, comment: str | None = None
) -> str | None:
    """What is wrong with this score for this item, in words, or None."""
    if comment is not None and len(comment) > COMMENT_MAX_LENGTH:
        return f"Keep the comment under {COMMENT_MAX_LENGTH} characters."
    if points is None:
        return None
    if excused:
        return "A score is either excused or has points, not both."
    if not points.is_finite():
        return "Enter a number."
    if points < 0:
        return "Points cannot be negative."
    if points > item.max_points:
        return (
            f"At most {item.max_points.normalize():f} points "
            f"(twice the {Decimal(item.points_possible).normalize():f} possible, for extra credit)."
        )
    if points != points.quantize(Decimal("0.01")):
        return "Use at most two decimals."
    return None


def score_parse(item: GradeItem, text: str) -> tuple[Decimal | None, bool] | str:
    """Points as typed in a form or a CSV cell: a number, EX for excused, or empty.
    Returns (points, excused), or a message saying what is wrong."""
    text = text.strip()
    if not text:
        return None, False
    if text.upper() == EXCUSED:
        return None, True
    try:
        points = Decimal(text)
    except InvalidOperation:
        points = None
    if points is None or not points.is_finite():
        return f"“{text[:40]}” is not a number (write points like 8.5, or EX for excused)."
    problem = score_problem(item, points, False)
    return problem or (points, False)


def _same(score: Score | None, change: ScoreChange) -> bool:
    if score is None:
        return change.points is None and not change.excused and not change.comment
    return (
        score.points == change.points
        and score.excused == change.excused
        and (change.comment is None or change.comment == score.comment)
    )


@transaction.atomic
def scores_set(
    *, changes: Sequence[ScoreChange], by: AbstractBaseUser, reason: str = ""
) -> list[Score]:
    """Write many scores as one: every change is checked first (points between 0
    and twice the points possible, excused without points, the student enrolled
    as a student of the item's course) and either all are saved, each with a
    history record naming ``by``, or none is. Unchanged cells are not written.
    Returns the scores that changed."""
    if not changes:
        return []
    courses = {change.item.component.course_id for change in changes}
    if len(courses) != 1:
        raise GradingError("Scores can only be saved for one course at a time.")
    enrolled = set(Membership.objects.students_of(courses.pop()).values_list("user_id", flat=True))
    gone = [change.student for change in changes if change.student.pk not in enrolled]
    if gone:
        raise ScoreConflict(
            f"{gone[0]} is not a student in this course.",
            gone=frozenset(student.pk for student in gone),
        )
    seen: set[tuple[int, int]] = set()
    for change in changes:
        key = (change.item.pk, change.student.pk)
        if key in seen:
            raise GradingError(f"{change.student} appears twice for “{change.item}”.")
        seen.add(key)
        problem = score_problem(change.item, change.points, change.excused, change.comment)
        if problem:
            raise GradingError(f"{change.student}, “{change.item}”: {problem}")

    # Lock the rows we may overwrite, so two people saving at once cannot both
    # read the old value; the history then shows both changes in order.
    existing = {
        (s.item_id, s.student_id): s
        for s in Score.objects.select_for_update().filter(
            item__in={c.item.pk for c in changes}, student__in={c.student.pk for c in changes}
        )
    }
    stale = [
        change
        for change in changes
        if change.expected is not None
        and score_token(existing.get((change.item.pk, change.student.pk))) != change.expected
    ]
    if stale:
        names = ", ".join(sorted({str(change.student) for change in stale}))
        raise ScoreConflict(
            f"Someone else changed the score of {names} while you were working. "
            "Nothing was saved; reload to see the current scores and try again.",
            stale={
                (change.item.pk, change.student.pk): existing.get(
                    (change.item.pk, change.student.pk)
                )
                for change in stale
            },
        )
    changed: list[Score] = []
    try:
        with transaction.atomic():
            for change in changes:
                score = existing.get((change.item.pk, change.student.pk))
                if _same(score, change):
                    continue
                if score is None:
                    score = Score(item=change.item, student=change.student)
                score.points = change.points
                score.excused = change.excused
                if change.comment is not None:
                    score.comment = change.comment
                score.graded_by = by
                score._history_user = by
                if reason:
                    score._change_reason = reason
                score.save()
                changed.append(score)
    except IntegrityError as exc:
        raise GradingError(
            "Someone else saved scores for these students at the same moment. "
            "Nothing was saved; reload the page and try again."
        ) from exc
    return changed


def score_set(
    *,
    item: GradeItem,
    student: AbstractBaseUser,
    points: Decimal | None,
    excused: bool = False,
    comment: str | None = None,
    by: AbstractBaseUser,
    reason: str = "",
) -> Score | None:
    """One score, by the same rules as `scores_set`; None when nothing changed."""
    changed = scores_set(
        changes=[ScoreChange(item, student, points, excused, comment)], by=by, reason=reason
    )
    return changed[0] if changed else None


@transaction.atomic
def item_release(*, item: GradeItem, released: bool, by: AbstractBaseUser) -> bool:
    """Show (or hide again) an item's scores and comments to its students.
    Returns whether anything changed; the item's history records who did it."""
    item = GradeItem.objects.select_for_update().get(pk=item.pk)
    if item.released == released:
        return False
    item.released = released
    item._history_user = by
    item._change_reason = "released" if released else "unreleased"
    item.save(update_fields=["released"])
    return True
