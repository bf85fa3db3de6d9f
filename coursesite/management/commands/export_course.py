"""``manage.py export_course SLUG [-o FILE]``: one course, its people and uploaded
files in a single archive that ``import_course`` restores (see ``coursesite.backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coursesite import backup


class Command(BaseCommand):
    help = (
        "Write a course (its people, schedule, polls, grades, hand-ins, history and "
        "uploaded files) to one zip archive for import_course."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The course's slug, as in its URL.")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="The archive to write (default: SLUG-YYYYMMDD-HHMMSS.zip here).",
        )
        parser.add_argument(
            "--skip-missing-files",
            action="store_true",
            help="Leave out uploaded files missing from storage (the manifest lists them) "
            "instead of refusing.",
        )

    def handle(self, *args: Any, slug: str, output: Path | None, **options: Any) -> None:
        try:
            path, manifest = backup.export_course(
                slug, output, skip_missing_files=options["skip_missing_files"]
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = manifest["counts"]
        for line in backup.describe_counts(counts):
            self.stdout.write(line)
        for name in manifest["missing_files"]:
            self.stderr.write(f"Missing from storage, not in the archive: {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {slug} to {path}: {sum(counts.values())} rows, "
                f"{len(manifest['files'])} file(s), {backup.human_size(path.stat().st_size)}."
            )
        )
