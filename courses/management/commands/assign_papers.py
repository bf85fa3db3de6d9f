"""``manage.py assign_papers SLUG``: the assignment page's run, from a terminal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from courses.models import Course
from courses.services import CourseError, ranking


class Command(BaseCommand):
    help = "Assign papers from ranked preferences (exact, reproducible with --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("course", help="The course's slug, as in its URL.")
        parser.add_argument("--seed", type=int, help="Same seed, same result (default: random).")
        parser.add_argument(
            "--publish", action="store_true", help="Also publish: create the sign-ups."
        )
        parser.add_argument(
            "--as-user", default=None, help="Username recorded as having run it (optional)."
        )

    def handle(self, *args: Any, course: str, seed, publish: bool, as_user, **options) -> None:
        try:
            the_course = Course.objects.get(slug=course)
        except Course.DoesNotExist as exc:
            raise CommandError(f"No course with the slug “{course}”.") from exc
        user = None
        if as_user:
            user = get_user_model().objects.filter(username=as_user).first()
            if user is None:
                raise CommandError(f"No user “{as_user}”.")
        try:
            run = ranking.assignment_run(course=the_course, by=user, seed=seed)
        except CourseError as exc:
            raise CommandError(str(exc)) from exc
        placements = run.result["placements"]
        ranks = [rank for _, _, rank in placements]
        unranked = ranks.count(None)
        known = [r for r in ranks if r is not None]
        self.stdout.write(
            f"Run {run.pk}, seed {run.seed}: {len(placements)} presentations in "
            f"{run.solve_seconds:.2f} s; worst rank {max(known) if known else '-'}, "
            f"mean {sum(known) / len(known) if known else 0:.2f}, {unranked} not ranked."
        )
        if publish:
            try:
                count = ranking.assignment_publish(run=run)
            except CourseError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(f"Published {count} presentations."))
        else:
            self.stdout.write(
                f"Preview and publish it at /courses/{course}/papers/assign/{run.pk}/"
            )
