"""Reads for handed-in work: a student's list of work, an item's grading queue,
and the late-day ledger both use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from courses.models import Course
from grading.domain.lateness import ON_TIME, Lateness, LatePolicy, late_days_spend, lateness
from grading.models import GradeItem, Score, Submission
from grading.selectors.gradebook import course_students


def late_policy(item: GradeItem) -> LatePolicy:
    component = item.component
    return LatePolicy(
        grace=dt.timedelta(minutes=component.grace_minutes),
        percent_per_day=component.late_percent_per_day,
        floor_percent=component.late_floor_percent,
    )


def late_ledger(course: Course, student_ids: Iterable[int]) -> dict[tuple[int, int], Lateness]:
    """Every hand-in's lateness, by (student id, item id), with the course's late
    days spent in the order the work was handed in. Two queries."""
    items = {
        item.pk: item
        for item in GradeItem.objects.of_course(course).select_related("component")
        if item.due_at is not None
    }
    hand_ins: dict[int, list] = {}
    rows = Submission.objects.filter(
        item__in=list(items), student_id__in=list(student_ids)
    ).values_list("student_id", "item_id", "submitted_at")
    for student_id, item_id, submitted_at in rows:
        item = items[item_id]
        late = lateness(submitted_at, item.due_at, late_policy(item).grace)
        hand_ins.setdefault(student_id, []).append((item_id, submitted_at, late))
    ledger = {}
    for student_id, entries in hand_ins.items():
        for item_id, late in late_days_spend(entries, course.late_days).items():
            ledger[student_id, item_id] = late
    return ledger


@dataclass(frozen=True)
class HandIn:
    """One student's hand-in for one item: what they handed in (if anything), how
    late, and the score (for a student's own view: only once released)."""

    item: GradeItem
    student: AbstractBaseUser
    submission: Submission | None
    lateness: Lateness
    score: Score | None

    @property
    def graded(self) -> bool:
        return self.score is not None and (self.score.points is not None or self.score.excused)

    @property
    def status(self) -> str:
        if self.graded:
            return "graded"
        if self.submission is None:
            return "not submitted"
        return "late" if self.lateness.is_late else "submitted"


def student_work(
    *, course: Course, student: AbstractBaseUser, item: GradeItem | None = None
) -> list[HandIn]:
    """The items a student hands in on the site (or just ``item``), with what
    they handed in, how late, and the score once released."""
    items = GradeItem.objects.of_course(course).filter(
        Q(accepts_text=True) | Q(accepts_url=True) | Q(accepts_file=True)
    )
    if item is not None:
        items = items.filter(pk=item.pk)
    items = list(items.in_gradebook_order())
    submissions = {s.item_id: s for s in Submission.objects.filter(item__in=items, student=student)}
    scores = {
        s.item_id: s
        for s in Score.objects.filter(item__in=items, student=student, item__released=True)
    }
    ledger = late_ledger(course, [student.pk])
    return [
        HandIn(
            one,
            student,
            submissions.get(one.pk),
            ledger.get((student.pk, one.pk), ON_TIME),
            scores.get(one.pk),
        )
        for one in items
    ]


QUEUE_FILTERS = {
    "all": "Everyone",
    "submitted": "Handed in",
    "ungraded": "Handed in, not graded",
    "late": "Late",
}


def item_queue(*, item: GradeItem, show: str = "all") -> list[HandIn]:
    """Every student of the item's course with their hand-in and score, in the
    gradebook's order, narrowed by ``show`` (one of QUEUE_FILTERS)."""
    return queue_filter(_item_rows(item), show)


def queue_filter(rows: list[HandIn], show: str) -> list[HandIn]:
    """The rows a filter of the grading queue keeps."""
    if show == "submitted":
        return [r for r in rows if r.submission]
    if show == "ungraded":
        return [r for r in rows if r.submission and not r.graded]
    if show == "late":
        return [r for r in rows if r.lateness.is_late]
    return rows


def _item_rows(item: GradeItem) -> list[HandIn]:
    course = item.component.course
    students = course_students(course)
    submissions = {s.student_id: s for s in Submission.objects.filter(item=item)}
    scores = {s.student_id: s for s in Score.objects.filter(item=item)}
    ledger = late_ledger(course, [s.pk for s in students])
    return [
        HandIn(
            item,
            student,
            submissions.get(student.pk),
            ledger.get((student.pk, item.pk), ON_TIME),
            scores.get(student.pk),
        )
        for student in students
    ]
