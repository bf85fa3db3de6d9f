"""An import's plan (the cells it changes, the problems it found) and which
column of an uploaded gradebook is what: this site's own export, or a large
LMS's (Canvas), recognised by their headers."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser

from courses.models import Course
from courses.spreadsheets import FORMULA_STARTS, LineProblem, cell
from coursesite.converters import id_or_none
from grading.models import GradeItem
from grading.services.scores import EXCUSED


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


@dataclass
class ImportPlan:
    changes: list[CellChange] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
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


class Columns:
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
                        LineProblem(
                            1, f"Columns “{used[item.pk]}” and “{title}” are the same item."
                        )
                    )
                    continue
                used[item.pk] = title
                self.items.append((index, item))
        if self.username is None and self.email is None:
            plan.problems.append(
                LineProblem(1, "The file has no Username (or SIS Login ID) and no Email column.")
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
                    LineProblem(
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
                LineProblem(1, f"Column “{title}” is not an item of this course (unknown item).")
            )
            return None
        candidates = by_title.get(title, [])
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            plan.problems.append(
                LineProblem(
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


def row_cell(row: list[str], index: int | None) -> str:
    value = cell(row, index)
    # Undo the export's guard against formulas ("'-dash" was "-dash").
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:
        value = value[1:]
    return value


def has_scores(row: list[str], columns: Columns) -> bool:
    """Whether any item cell of the row holds a number or EX."""
    for index, _ in columns.items:
        cell = row_cell(row, index)
        if cell.upper() == EXCUSED:
            return True
        try:
            Decimal(cell)
        except InvalidOperation:
            continue
        return True
    return False
