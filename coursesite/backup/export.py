"""Writing a course's archive from one consistent snapshot."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.db import connection, transaction
from django.utils import timezone

from courses.models import Course, Membership
from coursesite.backup.archive import (
    FILES,
    FORMAT,
    MANIFEST,
    ROWS,
    VERSION,
    BackupError,
    ExactJSONEncoder,
    copy_stream,
)
from coursesite.backup.contents import (
    USER_FIELDS,
    course_rows,
    current_schema,
    file_names,
    file_storage,
    row_counts,
)


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database while the course is read, even while
    the site keeps writing (PostgreSQL: a repeatable-read, read-only transaction)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _serialized(course: Course) -> list[dict[str, Any]]:
    user_model = get_user_model()
    members = set(Membership.objects.filter(course=course).values_list("user_id", flat=True))
    rows: list[dict[str, Any]] = []
    for model, queryset in course_rows(course):
        if model is user_model:
            users = serializers.serialize("python", queryset.order_by("pk"), fields=USER_FIELDS)
            for user in users:
                if user["pk"] not in members:
                    user["fields"]["password"] = make_password(None)
            rows += users
        else:
            rows += serializers.serialize("python", queryset)
    return rows


def default_archive_path(slug: str) -> Path:
    return Path(f"{slug}-{timezone.now():%Y%m%d-%H%M%S}.zip")


def export_course(
    slug: str, path: Path | None = None, *, skip_missing_files: bool = False
) -> tuple[Path, dict[str, Any]]:
    """Write the course's archive to ``path``, whole or not at all; return the
    path and the manifest."""
    try:
        course = Course.objects.get(slug=slug)
    except Course.DoesNotExist as exc:
        raise BackupError(f"No course with the slug “{slug}”.") from exc
    with _snapshot():
        rows = _serialized(course)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "course": course.slug,
            "exported_at": timezone.now().isoformat(),
            "schema": current_schema(),
            "counts": row_counts(course),
        }
        names = file_names(course)
    # Files are read after the rows' snapshot: an upload is never changed in
    # place (each one gets a new directory), so they still match.
    path = Path(path) if path else default_archive_path(slug)
    _write_archive(path, manifest, rows, names, skip_missing_files=skip_missing_files)
    return path, manifest


def _write_archive(
    path: Path,
    manifest: dict[str, Any],
    rows: list[dict[str, Any]],
    names: list[str],
    *,
    skip_missing_files: bool,
) -> None:
    """Write the zip beside ``path`` and rename it into place, so that a failed
    export never leaves a partial archive under the final name. Files are copied
    in chunks, never whole in memory; the manifest, with their checksums, last."""
    storage = file_storage()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    files: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as out:
            out.writestr(ROWS, json.dumps(rows, cls=ExactJSONEncoder, indent=1))
            for name in names:
                try:
                    source = storage.open(name, "rb")
                except FileNotFoundError:
                    missing.append(name)
                    continue
                with source, out.open(FILES + name, "w") as target:
                    files[name] = copy_stream(source, target)
            if missing and not skip_missing_files:
                raise BackupError(
                    f"{len(missing)} uploaded file(s) are missing from storage, for example "
                    f"“{missing[0]}”. Restore them, or export with --skip-missing-files to "
                    "leave them out (the manifest lists them)."
                )
            manifest.update(files=files, missing_files=missing)
            out.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
