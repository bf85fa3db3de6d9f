"""Reads that the gradebook pages, the student's grade page and the CSV export
share. Each loads a whole course in a fixed number of queries and hands the
numbers to `grading.domain.calculation`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Membership
from grading.domain import calculation as calc
from grading.domain.text import mark_text, percent_text, points_text
from grading.models import GradeComponent, GradeItem, Score, letter_scale

User = get_user_model()


def calc_component(component: GradeComponent) -> calc.Component:
    return calc.Component(
        id=component.pk,
        name=component.name,
        weight=component.weight,
        drop_lowest=component.drop_lowest,
        weighting=calc.Weighting(component.weighting),
        is_participation=component.is_participation,
    )


def calc_item(item: GradeItem, now: dt.datetime) -> calc.Item:
    return calc.Item(
        id=item.pk,
        component_id=item.component_id,
        points_possible=item.points_possible,
        released=item.released,
        past_due=item.due_at is not None and item.due_at <= now,
    )


def calc_mark(score: Score) -> calc.Mark:
    return calc.Mark(points=score.points, excused=score.excused)


@dataclass
class StudentGrades:
    """One student's marks and both totals."""

    student: AbstractBaseUser
    marks: dict[int, calc.Mark]  # by item id
    current: calc.CourseGrade
    projected: calc.CourseGrade
    scores: dict[int, Score] = field(default_factory=dict)  # with comments, when loaded
    cells: list[str] = field(default_factory=list)  # one per item, gradebook order


@dataclass
class Gradebook:
    course: Course
    components: list[GradeComponent]
    items: list[GradeItem]
    students: list[StudentGrades]
    scale: tuple[tuple[str, Decimal], ...]

    def items_of(self, component: GradeComponent) -> list[GradeItem]:
        return [item for item in self.items if item.component_id == component.pk]


def course_students(course: Course) -> list[AbstractBaseUser]:
    return list(
        User.objects.filter(memberships__in=Membership.objects.students_of(course)).order_by(
            "last_name", "first_name", "username"
        )
    )


def course_items(course: Course) -> list[GradeItem]:
    return list(GradeItem.objects.of_course(course).in_gradebook_order())


def _grades(
    student: AbstractBaseUser,
    marks: dict[int, calc.Mark],
    components: Sequence[calc.Component],
    items: Sequence[calc.Item],
    scale: Sequence[tuple[str, Decimal]],
    *,
    student_view: bool,
) -> StudentGrades:
    current, projected = (
        calc.course_grade(
            components, items, marks, projected=projected, student_view=student_view, scale=scale
        )
        for projected in (False, True)
    )
    return StudentGrades(student, marks, current, projected)


def gradebook(
    *, course: Course, students: Iterable[AbstractBaseUser] | None = None, now=None
) -> Gradebook:
    """Every student's scores and totals as staff see them (released or not)."""
    now = now or timezone.now()
    components = list(GradeComponent.objects.filter(course=course).order_by("order", "id"))
    items = course_items(course)
    students = course_students(course) if students is None else list(students)
    scale = letter_scale(course)
    by_student: dict[int, dict[int, calc.Mark]] = {student.pk: {} for student in students}
    # Plain tuples, not model instances: a large course has tens of thousands of cells.
    scores = Score.objects.filter(
        item__component__course=course, student__in=list(by_student)
    ).values_list("student_id", "item_id", "points", "excused")
    for student_id, item_id, points, excused in scores:
        by_student[student_id][item_id] = calc.Mark(points, excused)

    calc_components = [calc_component(c) for c in components]
    calc_items = [calc_item(item, now) for item in items]
    rows = []
    for student in students:
        row = _grades(
            student,
            by_student[student.pk],
            calc_components,
            calc_items,
            scale,
            student_view=False,
        )
        row.cells = [mark_text(row.marks.get(item.pk)) for item in items]
        rows.append(row)
    return Gradebook(course, components, items, rows, scale)


def student_grades(
    *, course: Course, student: AbstractBaseUser, student_view: bool, now=None
) -> tuple[list[GradeItem], StudentGrades, tuple[tuple[str, Decimal], ...]]:
    """One student's grade page: with ``student_view`` only released items count,
    and unreleased scores are left out entirely (not even loaded)."""
    now = now or timezone.now()
    components = list(GradeComponent.objects.filter(course=course).order_by("order", "id"))
    items = course_items(course)
    scores = Score.objects.filter(item__component__course=course, student=student)
    if student_view:
        scores = scores.filter(item__released=True)
    by_item = {score.item_id: score for score in scores}
    scale = letter_scale(course)
    grades = _grades(
        student,
        {item_id: calc_mark(score) for item_id, score in by_item.items()},
        [calc_component(c) for c in components],
        [calc_item(item, now) for item in items],
        scale,
        student_view=student_view,
    )
    grades.scores = by_item
    return items, grades, scale


@dataclass(frozen=True)
class GradebookRow:
    student: AbstractBaseUser
    name: str
    url: str
    cells: list[str]
    components: list[str]  # current percentage per component
    current: str
    current_letter: str
    projected: str
    projected_letter: str


def participation_index(components: Sequence[GradeComponent | calc.Component]) -> int:
    """Where the polls column goes: right after the participation component,
    else after the last component."""
    for index, component in enumerate(components):
        if component.is_participation:
            return index + 1
    return len(components)


def gradebook_table(book: Gradebook, polls: dict | None = None) -> dict:
    """The grid as plain strings, so the template only places them. With
    ``polls`` (courses.selectors.polls.participation), a "Polls answered" column sits
    beside the participation component."""
    groups = [(component, book.items_of(component)) for component in book.components]
    headers = [(c.name, f"{points_text(c.weight)}%") for c in book.components]
    at = participation_index(book.components)
    if polls is not None:
        headers.insert(at, ("Polls answered", "of held"))
    rows = []
    for grades in book.students:
        components = [percent_text(result.percentage) for result in grades.current.components]
        if polls is not None:
            record = polls.get(grades.student.pk)
            components.insert(at, f"{record.answered}/{record.held}" if record else "")
        rows.append(
            GradebookRow(
                student=grades.student,
                name=grades.student.get_full_name() or grades.student.get_username(),
                url=reverse("grading:student_grades", args=[book.course.slug, grades.student.pk]),
                cells=grades.cells,
                components=components,
                current=percent_text(grades.current.percentage),
                current_letter=grades.current.letter or "",
                projected=percent_text(grades.projected.percentage),
                projected_letter=grades.projected.letter or "",
            )
        )
    return {"groups": [g for g in groups if g[1]], "rows": rows, "component_headers": headers}


def gradebook_csv_rows(book: Gradebook) -> Iterable[list[str]]:
    """The export: our own layout, close to what large LMSs export, so the same
    file can be edited in a spreadsheet and imported again."""
    yield [
        "Student",
        "Username",
        "Email",
        *(item.column_title for item in book.items),
        *(f"{component.name} Current Score" for component in book.components),
        "Current Score",
        "Projected Score",
        "Current Grade",
    ]
    yield [
        "Points Possible",
        "",
        "",
        *(points_text(item.points_possible) for item in book.items),
        *("" for _ in book.components),
        "",
        "",
        "",
    ]
    for grades in book.students:
        student = grades.student
        yield [
            student.get_full_name() or student.get_username(),
            student.get_username(),
            student.email,
            *grades.cells,
            *(percent_text(result.percentage) for result in grades.current.components),
            percent_text(grades.current.percentage),
            percent_text(grades.projected.percentage),
            grades.current.letter or "",
        ]
