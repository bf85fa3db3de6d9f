"""Scoring a participation item from the in-class poll record: first a plan of
every change (old -> new, marked where the old score was released or entered
by hand), then, on confirmation of that same plan, all of it at once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser

from courses.selectors.polls import participation
from grading.domain.text import mark_text
from grading.models import GradeItem, Score
from grading.services.scores import GradingError, ScoreChange, score_token, scores_set

REASON = "From poll participation"


class PlanChanged(GradingError):
    """The record or the scores changed between the preview and its confirmation."""


@dataclass(frozen=True)
class ParticipationChange:
    student: AbstractBaseUser
    answered: int
    held: int
    old: str  # the stored score as the gradebook shows it; "" for none
    new: Decimal
    token: str  # the stored score's fingerprint, checked again when saving
    by_hand: bool  # the stored score was entered by a person, not from the record


@dataclass
class ParticipationPlan:
    item: GradeItem
    held: int
    changes: list[ParticipationChange] = field(default_factory=list)
    unchanged: int = 0
    excused: int = 0

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(f"{self.item.pk}:{self.held};".encode())
        for change in self.changes:
            digest.update(f"{change.student.pk}:{change.token}:{change.new};".encode())
        return digest.hexdigest()

    @property
    def overwrites(self) -> int:
        """Changes that replace a score someone entered, or one students see."""
        return sum(
            1 for change in self.changes if change.old and (change.by_hand or self.item.released)
        )


def _by_hand(item: GradeItem) -> set[int]:
    """The students whose stored score was last written by a person, not from the record."""
    latest: dict[int, str] = {}
    for student_id, reason in (
        Score.history.filter(item_id=item.pk)
        .order_by("history_date", "history_id")
        .values_list("student_id", "history_change_reason")
    ):
        latest[student_id] = reason or ""
    return {student_id for student_id, reason in latest.items() if not reason.startswith(REASON)}


def participation_plan(*, item: GradeItem) -> ParticipationPlan:
    """What scoring ``item`` from the poll record would change; writes nothing.
    Each student gets the item's points in proportion to the polls they
    answered (answered / held x points possible, to the cent); excused
    students are left alone."""
    course = item.component.course
    rows = participation(course)
    if not rows:
        raise GradingError("The course has no students yet.")
    held = max(row.held for row in rows.values())
    if not held:
        raise GradingError("No poll has been held yet, so there is nothing to score from.")
    scores = {s.student_id: s for s in Score.objects.filter(item=item)}
    by_hand = _by_hand(item)
    plan = ParticipationPlan(item=item, held=held)
    for student_id, row in sorted(
        rows.items(), key=lambda kv: (kv[1].student.last_name, kv[1].student.username)
    ):
        score = scores.get(student_id)
        if score is not None and score.excused:
            plan.excused += 1
            continue
        if row.rate is None:
            continue
        points = (item.points_possible * row.rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if score is not None and score.points == points:
            plan.unchanged += 1
            continue
        plan.changes.append(
            ParticipationChange(
                student=row.student,
                answered=row.answered,
                held=row.held,
                old=mark_text(score),
                new=points,
                token=score_token(score),
                by_hand=score is not None and score.points is not None and student_id in by_hand,
            )
        )
    return plan


def participation_score(*, item: GradeItem, by: AbstractBaseUser, fingerprint: str) -> list[Score]:
    """Apply the plan the grader confirmed, as a whole, through the score
    service (each score's history says where it came from). Raises PlanChanged
    when the record or a score changed since that plan was shown."""
    plan = participation_plan(item=item)
    if plan.fingerprint != fingerprint:
        raise PlanChanged(
            "The poll record or the scores changed since the preview; "
            "check this preview again before confirming."
        )
    changes = [
        ScoreChange(item, change.student, change.new, expected=change.token)
        for change in plan.changes
    ]
    return scores_set(changes=changes, by=by, reason=f"{REASON} ({plan.held} polls held)")
