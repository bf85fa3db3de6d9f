"""Handing work in: the one write path for submissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from courses.models import Membership
from grading.domain.lateness import late_deduction
from grading.domain.text import points_text
from grading.models import GradeItem, Score, Submission
from grading.selectors.work import late_ledger, late_policy
from grading.services.scores import GradingError, score_set


def item_deadline(item: GradeItem) -> dt.datetime | None:
    """The moment after which work is late: the due time plus the grace period."""
    if item.due_at is None:
        return None
    return item.due_at + dt.timedelta(minutes=item.component.grace_minutes)


def submission_problem(item: GradeItem, now: dt.datetime) -> str | None:
    """Why a student cannot hand in (or replace) work for this item now, or None."""
    if not item.takes_submissions:
        return "This item does not take submissions on the site."
    if not item.submissions_open:
        return "Submissions for this item are closed."
    deadline = item_deadline(item)
    if deadline is not None and now > deadline and not item.allow_late:
        when = date_format(timezone.localtime(item.due_at), "l, F j, g:i A")
        return f"The deadline was {when}, and this item does not accept late work."
    return None


@transaction.atomic
def submission_save(
    *,
    item: GradeItem,
    student: AbstractBaseUser,
    text: str = "",
    url: str = "",
    file: UploadedFile | None = None,
    keep_file: bool = True,
    now: dt.datetime | None = None,
) -> Submission:
    """Hand in work, or replace what was handed in: only by a student of the
    item's course, only in the forms the item accepts, only while submissions
    are open, and after the deadline only if the item takes late work. The
    earlier version stays in the history (with its file) for the staff.
    ``keep_file`` keeps the current file when no new one is uploaded."""
    now = now or timezone.now()
    if not Membership.objects.is_student(item.component.course_id, student):
        raise GradingError("Only students of this course can hand in work.")
    problem = submission_problem(item, now)
    if problem:
        raise GradingError(problem)
    text = text if item.accepts_text else ""
    url = url if item.accepts_url else ""
    if file is not None and not item.accepts_file:
        raise GradingError("This item does not take files.")

    submission = Submission.objects.select_for_update().filter(item=item, student=student).first()
    if submission is None:
        submission = Submission(item=item, student=student)
    elif not keep_file and file is None:
        submission.file = ""
    submission.text = text.strip()
    submission.url = url.strip()
    if file is not None:
        submission.file = file
    if not (submission.text or submission.url or submission.file):
        raise GradingError("There is nothing to hand in: write something, add a link or a file.")
    submission.submitted_at = now
    submission._history_user = student
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError as exc:
        raise GradingError(
            "This was handed in twice at the same moment; reload the page to see what was saved."
        ) from exc
    return submission


@transaction.atomic
def submission_score_set(
    *,
    item: GradeItem,
    student: AbstractBaseUser,
    points: Decimal | None,
    excused: bool,
    comment: str,
    late_penalty: bool,
    by: AbstractBaseUser,
) -> tuple[Score | None, Decimal | None]:
    """Grade one hand-in through the score service. With ``late_penalty``, the
    item's late policy deducts for the days the work was late beyond the
    student's late days, and the score's history says what was taken from what.
    Returns the score (None if nothing changed) and the points saved."""
    reason = ""
    if points is not None and late_penalty:
        late = late_ledger(item.component.course, [student.pk]).get((student.pk, item.pk))
        days = late.penalized if late else 0
        deduction = (
            late_deduction(points, item.points_possible, days, late_policy(item)) if days else 0
        )
        if deduction:
            reason = (
                f"Late deduction −{points_text(deduction)} applied to "
                f"{points_text(points)} ({days} day(s) late)"
            )
            points -= deduction
    score = score_set(
        item=item,
        student=student,
        points=points,
        excused=excused,
        comment=comment,
        by=by,
        reason=reason,
    )
    return score, points
