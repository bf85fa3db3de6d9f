"""Importing a gradebook CSV: our own export, or a Canvas gradebook export.

The import is two steps. `import_plan` reads the file and works out exactly
which cells would change (old to new) and which rows or columns are rejected
and why; it writes nothing. `gradebook_import` applies a plan only when it has
no problem at all, in one transaction through `scores_set`, and only if the
gradebook still gives the plan the person confirmed.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from courses.models import Course
from courses.spreadsheets import (
    LineProblem,
    SpreadsheetError,
    SpreadsheetReader,
    spreadsheet_upload_text,
)
from grading.domain.text import mark_text, points_text
from grading.models import GradeImport, Score
from grading.selectors.gradebook import course_items, course_students
from grading.services.csv_plan import (
    META_ROW_NAMES,
    CellChange,
    Columns,
    ImportPlan,
    has_scores,
    row_cell,
)
from grading.services.scores import (
    EXCUSED,
    GradingError,
    ScoreChange,
    score_parse,
    score_token,
    scores_set,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def import_file_read(upload: UploadedFile) -> str:
    """The text of an uploaded CSV, or a GradingError saying why it is refused."""
    try:
        return spreadsheet_upload_text(
            upload,
            max_bytes=MAX_IMPORT_BYTES,
            too_large="The file is larger than 5 MB; export fewer columns and try again.",
        )
    except SpreadsheetError as exc:
        raise GradingError(str(exc)) from exc


def grade_import_upload(
    *, course: Course, upload: UploadedFile, by: AbstractBaseUser
) -> GradeImport:
    """Keep an uploaded gradebook CSV for its preview; nothing is scored yet.
    Raises GradingError, saying why, for a file that cannot be read."""
    return GradeImport.objects.create(
        course=course,
        uploaded_by=by,
        filename=(upload.name or "")[:255],
        content=import_file_read(upload),
    )


def import_plan(*, course: Course, text: str) -> ImportPlan:
    """Read a gradebook CSV against the course as it is now; writes nothing."""
    plan = ImportPlan()
    reader = SpreadsheetReader(text)
    if reader.header is None:
        plan.problems.extend(reader.problems)
        return plan
    items = course_items(course)
    columns = Columns(reader.header, course, items, plan)
    plan.items = [item for _, item in columns.items]
    if columns.username is None and columns.email is None:
        return plan

    students = course_students(course)
    by_username = {s.get_username().casefold(): s for s in students}
    by_email: dict[str, AbstractBaseUser] = {}
    for student in students:
        if student.email:
            by_email.setdefault(student.email.casefold(), student)
    existing = {
        (s.student_id, s.item_id): s
        for s in Score.objects.filter(item__in=plan.items, student__in=students)
    }
    seen: dict[int, int] = {}

    for line, row in reader.rows():
        username, email = row_cell(row, columns.username), row_cell(row, columns.email)
        student = (by_username.get(username.casefold()) if username else None) or (
            by_email.get(email.casefold()) if email else None
        )
        if student is None:
            name = row_cell(row, columns.name).casefold()
            if name in META_ROW_NAMES or (
                not username and not email and not has_scores(row, columns)
            ):
                # "Points Possible", Canvas's test student, its posting-policy row.
                plan.skipped_rows.append(line)
            elif not username and not email:
                plan.problems.append(LineProblem(line, "No username or email on this row."))
            else:
                plan.problems.append(
                    LineProblem(
                        line,
                        f"Unknown student “{username or email}”: not a student of this course.",
                    )
                )
            continue
        if student.pk in seen:
            plan.problems.append(
                LineProblem(
                    line,
                    f"Duplicate row: {student.get_username()} is already on "
                    f"line {seen[student.pk]}.",
                )
            )
            continue
        seen[student.pk] = line
        plan.students_read += 1

        row_changes: list[CellChange] = []
        row_problems: list[str] = []
        for index, item in columns.items:
            text_value = row_cell(row, index)
            if not text_value:
                continue  # an empty cell leaves the score as it is
            parsed = score_parse(item, text_value)
            if isinstance(parsed, str):
                row_problems.append(f"{item.column_title}: {parsed}")
                continue
            points, excused = parsed
            score = existing.get((student.pk, item.pk))
            if score is not None and score.points == points and score.excused == excused:
                plan.unchanged_cells += 1
                continue
            new = EXCUSED if excused else points_text(points)
            row_changes.append(
                CellChange(
                    line, student, item, mark_text(score), new, points, excused, score_token(score)
                )
            )
        if row_problems:
            plan.problems.extend(LineProblem(line, message) for message in row_problems)
        else:
            plan.changes.extend(row_changes)
    plan.problems.extend(reader.problems)
    return plan


@transaction.atomic
def gradebook_import(*, grade_import: GradeImport, by: AbstractBaseUser, fingerprint: str) -> int:
    """Apply an uploaded file, all or nothing: refused if any row or column has a
    problem, if it was applied already, or if the gradebook changed since the
    preview that was confirmed (``fingerprint``). Returns the number of cells
    changed; each is in the score history with the importing user."""
    grade_import = GradeImport.objects.select_for_update().get(pk=grade_import.pk)
    if grade_import.applied_at is not None:
        raise GradingError("This file was already imported.")
    plan = import_plan(course=grade_import.course, text=grade_import.content)
    if not plan.ok:
        raise GradingError("The file has problems; fix them and upload it again. Nothing changed.")
    if plan.fingerprint != fingerprint:
        raise GradingError(
            "The gradebook changed since this preview. Check the new preview and confirm again."
        )
    scores_set(
        changes=[
            ScoreChange(
                change.item,
                change.student,
                change.points,
                change.excused,
                expected=change.old_token,
            )
            for change in plan.changes
        ],
        by=by,
        reason=f"Imported from {grade_import.filename}",
    )
    grade_import.applied_at = timezone.now()
    grade_import.changed_cells = len(plan.changes)
    grade_import.save(update_fields=["applied_at", "changed_cells"])
    return len(plan.changes)
