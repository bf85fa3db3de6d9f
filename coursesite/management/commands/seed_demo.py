"""``manage.py seed_demo``: build the CIS6200 demo course with its people, schedule and grades.

The building lives in ``coursesite.demo.build``; running the command again
changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from courses.models import Course, Poll, Reading
from coursesite.demo.build import Login, demo_build
from grading.models import GradeItem, Score, Submission

DEFAULT_PASSWORD = "demo"


class Command(BaseCommand):
    help = "Create or refresh the CIS6200 demo course: people, schedule, readings and grades."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password for every demo user (default: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        course, people = demo_build(password=password)
        self._report(course, people, password)

    def _report(self, course: Course, people: list[Login], password: str) -> None:
        """Print where the course is and how to sign in, since that is what one needs next."""
        readings = Reading.objects.filter(session__course=course)
        out = self.stdout
        out.write(self.style.SUCCESS(f"Demo course ready: {course}"))
        out.write(f"  URL: {course.get_absolute_url()}")
        open_polls = course.polls.filter(state=Poll.State.OPEN).count()
        out.write(
            f"  {course.sessions.count()} sessions, {readings.count()} readings "
            f"({readings.filter(presentable=True).count()} to present), "
            f"{course.resources.count()} resources, "
            f"{course.announcements.count()} announcements, "
            f"{course.polls.count()} polls ({open_polls} open)"
        )
        items = GradeItem.objects.of_course(course)
        out.write(
            f"  {items.count()} grade items ({items.filter(released=True).count()} released), "
            f"{Score.objects.filter(item__component__course=course).count()} scores, "
            f"{Submission.objects.filter(item__component__course=course).count()} hand-ins"
        )
        out.write("")
        out.write("Logins:")
        out.write(f"  {'username':<12} {'password':<12} {'role':<12} name")
        for username, role, name in people:
            out.write(f"  {username:<12} {password:<12} {role:<12} {name}")
