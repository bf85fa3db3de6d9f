"""Importing a gradebook CSV: our own export, or a Canvas gradebook export.

The import is two steps. `import_plan` reads the file and works out exactly
which cells would change (old to new) and which rows or columns are rejected
and why; it writes nothing. `gradebook_import` applies a plan only when it has
no problem at all, in one transaction through `scores_set`, and only if the
gradebook still gives the plan the person confirmed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from courses.models import Course
from courses.spreadsheets import FORMULA_STARTS
from coursesite.converters import id_or_none

from ..models import GradeImport, GradeItem, Score
from ..selectors import course_items, course_students, mark_text, points_text
from .scores import (
    EXCUSED,
    GradingError,
    ScoreChange,
    score_parse,
    score_token,
    scores_set,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024

# Columns that identify the student, by their header (case-insensitive).
USERNAME_HEADERS = {"username", "sis login id", "login id"}
EMAIL_HEADERS = {"email", "email address"}
NAME_HEADERS = {"student", "name"}
# Columns that are read and never written back: ours and Canvas's.
READ_ONLY_HEADERS = {"id", "sis user id", "section", "integration id", "root account"}
READ_ONLY_SUFFIXES = (
    "current score",
    "projected score",
    "final score",
    "unposted current score",
    "unposted final score",
    "current grade",
    "final grade",
    "unposted current grade",
    "unposted final grade",
    "current points",
    "final points",
    "unposted current points",
    "unposted final points",
)
# Canvas puts these rows under the header; they carry no scores.
META_ROW_NAMES = {"points possible", "student, test", "test student"}
ITEM_HEADER = re.compile(r"^(?P<title>.*\S)\s*\((?P<id>\d+)\)$")


@dataclass(frozen=True)
class CellChange:
    line: int
    student: AbstractBaseUser
    item: GradeItem
    old: str
    new: str
    points: Decimal | None
    excused: bool
    old_token: str = ""  # the stored score as the plan read it (`score_token`)


@dataclass(frozen=True)
class Problem:
    line: int  # 1 is the header
    message: str


@dataclass
class ImportPlan:
    changes: list[CellChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    items: list[GradeItem] = field(default_factory=list)
    students_read: int = 0
    unchanged_cells: int = 0
    skipped_rows: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def fingerprint(self) -> str:
        """Names this exact set of changes, so a confirmation applies what was shown."""
        digest = hashlib.sha256()
        for change in sorted(self.changes, key=lambda c: (c.student.pk, c.item.pk)):
            digest.update(
                f"{change.student.pk}:{change.item.pk}:{change.old}>{change.new};".encode()
            )
        return digest.hexdigest()


def import_file_read(upload: UploadedFile) -> str:
    """The text of an uploaded CSV, or a GradingError saying why it is refused."""
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        raise GradingError("The file is larger than 5 MB; export fewer columns and try again.")
    if not (upload.name or "").lower().endswith(".csv"):
        raise GradingError("Upload a .csv file (a spreadsheet saved as CSV).")
    raw = upload.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise GradingError("The file is larger than 5 MB; export fewer columns and try again.")
    return import_text_decode(raw)


def import_text_decode(raw: bytes) -> str:
    if not raw.strip():
        raise GradingError("The file is empty.")
    if b"\x00" in raw:
        raise GradingError("This is not a CSV text file. Save the spreadsheet as CSV and retry.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV" in this code page rather than UTF-8.
        return raw.removeprefix(b"\xef\xbb\xbf").decode("cp1252")
    except UnicodeDecodeError as exc:
        raise GradingError(
            "The file's text encoding is not recognised. Save it as “CSV UTF-8” and retry."
        ) from exc


class _Columns:
    """What each header of the file means for this course."""

    def __init__(
        self, header: list[str], course: Course, items: list[GradeItem], plan: ImportPlan
    ) -> None:
        keys = {title.strip().casefold() for title in header}
        # Our export names items "Title (our id)"; another system's ids are its own,
        # so there only an exact title match counts.
        self.own_ids = "username" in keys and "id" not in keys
        # Our ids of another course's items: that course's export, which must not
        # land on this course's items of the same title.
        foreign = (
            _other_course_item_ids(header, course, {item.pk for item in items})
            if self.own_ids
            else set()
        )
        self.username: int | None = None
        self.email: int | None = None
        self.name: int | None = None
        self.items: list[tuple[int, GradeItem]] = []
        by_id = {item.pk: item for item in items}
        by_title: dict[str, list[GradeItem]] = {}
        for item in items:
            by_title.setdefault(item.title, []).append(item)
        used: dict[int, str] = {}

        for index, raw in enumerate(header):
            title = raw.strip()
            key = title.casefold()
            if not title:
                continue
            if key in USERNAME_HEADERS and self.username is None:
                self.username = index
            elif key in EMAIL_HEADERS and self.email is None:
                self.email = index
            elif key in NAME_HEADERS and self.name is None:
                self.name = index
            elif key in READ_ONLY_HEADERS or key.endswith(READ_ONLY_SUFFIXES):
                plan.ignored_columns.append(title)
            else:
                item = self._item(title, by_id, by_title, foreign, plan, own_ids=self.own_ids)
                if item is None:
                    continue
                if item.pk in used:
                    plan.problems.append(
                        Problem(1, f"Columns “{used[item.pk]}” and “{title}” are the same item.")
                    )
                    continue
                used[item.pk] = title
                self.items.append((index, item))
        if self.username is None and self.email is None:
            plan.problems.append(
                Problem(1, "The file has no Username (or SIS Login ID) and no Email column.")
            )

    @staticmethod
    def _item(
        title, by_id, by_title, foreign: set[int], plan: ImportPlan, *, own_ids: bool
    ) -> GradeItem | None:
        match = ITEM_HEADER.match(title)
        if match:
            named, pk = match["title"], int(match["id"])
            if pk in foreign:
                plan.problems.append(
                    Problem(
                        1,
                        f"Column “{title}” is an item of another course's gradebook, not of "
                        "this one. Import the file into its own course, or copy the scores "
                        "into this course's export.",
                    )
                )
                return None
            item = by_id.get(pk) if own_ids else None
            if item is not None and item.title == named:
                return item
            if len(by_title.get(named, [])) == 1:
                return by_title[named][0]
            if item is not None:
                return item  # our own export, the item renamed since
            plan.problems.append(
                Problem(1, f"Column “{title}” is not an item of this course (unknown item).")
            )
            return None
        candidates = by_title.get(title, [])
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            plan.problems.append(
                Problem(
                    1,
                    f"Column “{title}” matches {len(candidates)} items; name it "
                    "“Title (id)” as the export does.",
                )
            )
            return None
        plan.ignored_columns.append(title)
        return None


def _other_course_item_ids(header: list[str], course: Course, own: set[int]) -> set[int]:
    """The ids in "Title (id)" headers that are items of another course."""
    named = {id_or_none(m["id"]) for m in map(ITEM_HEADER.match, (t.strip() for t in header)) if m}
    unknown = named - own - {None}
    if not unknown:
        return set()
    return set(
        GradeItem.objects.filter(pk__in=unknown)
        .exclude(component__course=course)
        .values_list("pk", flat=True)
    )


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    value = row[index].strip()
    # Undo the export's guard against formulas ("'-dash" was "-dash").
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:
        value = value[1:]
    return value


def _has_scores(row: list[str], columns: _Columns) -> bool:
    """Whether any item cell of the row holds a number or EX."""
    for index, _ in columns.items:
        cell = _cell(row, index)
        if cell.upper() == EXCUSED:
            return True
        try:
            Decimal(cell)
        except InvalidOperation:
            continue
        return True
    return False


def import_plan(*, course: Course, text: str) -> ImportPlan:
    """Read a gradebook CSV against the course as it is now; writes nothing."""
    plan = ImportPlan()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            plan.problems.append(Problem(1, "The file is empty."))
            return plan
        items = course_items(course)
        columns = _Columns(header, course, items, plan)
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

        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            username, email = _cell(row, columns.username), _cell(row, columns.email)
            student = (by_username.get(username.casefold()) if username else None) or (
                by_email.get(email.casefold()) if email else None
            )
            if student is None:
                name = _cell(row, columns.name).casefold()
                if name in META_ROW_NAMES or (
                    not username and not email and not _has_scores(row, columns)
                ):
                    # "Points Possible", Canvas's test student, its posting-policy row.
                    plan.skipped_rows.append(line)
                elif not username and not email:
                    plan.problems.append(Problem(line, "No username or email on this row."))
                else:
                    plan.problems.append(
                        Problem(
                            line,
                            f"Unknown student “{username or email}”: not a student of this course.",
                        )
                    )
                continue
            if student.pk in seen:
                plan.problems.append(
                    Problem(
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
                text_value = _cell(row, index)
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
                        line,
                        student,
                        item,
                        mark_text(score),
                        new,
                        points,
                        excused,
                        score_token(score),
                    )
                )
            if row_problems:
                plan.problems.extend(Problem(line, message) for message in row_problems)
            else:
                plan.changes.extend(row_changes)
    except csv.Error as exc:
        plan.problems.append(Problem(reader.line_num, f"This line cannot be read as CSV ({exc})."))
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
