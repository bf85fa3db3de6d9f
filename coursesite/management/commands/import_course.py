"""``manage.py import_course FILE``: restore an ``export_course`` archive into a
database without that course or its people, all or nothing (see ``coursesite.backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coursesite import backup


class Command(BaseCommand):
    help = (
        "Restore a course archive written by export_course: every row with its id, and the "
        "uploaded files under MEDIA_ROOT. Refuses if the course or its people exist here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The archive (.zip) to restore.")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            restored = backup.import_course(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in backup.describe_counts(restored.counts):
            self.stdout.write(line)
        present = f" ({restored.files_present} already in place)" if restored.files_present else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {restored.slug} from {file}: {sum(restored.counts.values())} rows, "
                f"{restored.files_written} file(s) restored{present}."
            )
        )
