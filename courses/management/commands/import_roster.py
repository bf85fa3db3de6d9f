"""``manage.py import_roster COURSE FILE``: the roster page's import, from a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from courses.models import Course
from courses.services import CourseError, rosters


class Command(BaseCommand):
    help = "Add people to a course from a CSV roster (name, email, role), all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("course", help="The course's slug, as in its URL.")
        parser.add_argument("file", type=Path, help="The roster CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000/",
            help="The site's address, for the links in invitation emails.",
        )

    def handle(self, *args: Any, course: str, file: Path, dry_run: bool, base_url: str, **o):
        try:
            the_course = Course.objects.get(slug=course)
        except Course.DoesNotExist as exc:
            raise CommandError(f"No course with the slug “{course}”.") from exc
        try:
            text = rosters.roster_text(file.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        except CourseError as exc:
            raise CommandError(str(exc)) from exc
        plan = rosters.roster_plan(course=the_course, text=text)
        for problem in plan.problems:
            self.stderr.write(f"line {problem.line}: {problem.message}")
        if not plan.ok:
            raise CommandError(f"{len(plan.problems)} row(s) rejected; nothing was imported.")
        summary = (
            f"{len(plan.added)} new (invited), {len(plan.enrolled)} existing added, "
            f"{len(plan.updated)} role change(s), {len(plan.unchanged)} unchanged"
        )
        if dry_run:
            self.stdout.write(f"Would import: {summary}.")
            return
        try:
            rosters.roster_import(course=the_course, text=text, base_url=base_url)
        except CourseError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported into {the_course.code}: {summary}."))
