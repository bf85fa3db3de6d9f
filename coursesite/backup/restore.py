"""Restoring an archive into a database without the course, all or nothing."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import File
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, models, transaction

from courses.models import Course, Membership, Poll
from courses.services.memberships import instructor_access_sync
from courses.services.polls import choices_problem, poll_problems
from coursesite.backup.archive import FILES, ROWS, Archive, BackupError, copy_stream, read_archive
from coursesite.backup.contents import (
    course_rows,
    current_schema,
    file_names,
    file_storage,
    row_counts,
)
from grading.models import Score
from grading.services import score_problem


def _refusals(archive: Archive, objects: list) -> list[str]:
    """Why the archive cannot go into this database, if it cannot."""
    problems = []
    if Course.objects.filter(slug=archive.slug).exists():
        problems.append(
            f"A course with the slug “{archive.slug}” already exists here; import_course "
            "restores a course into a database that does not have it."
        )
    schema = current_schema()
    if archive.manifest["schema"] != schema:
        problems.append(
            f"The archive was made at migrations {archive.manifest['schema']}, this database "
            f"is at {schema}. Restore with the same version of the site, then migrate."
        )
    user_model = get_user_model()
    usernames = [o.object.username for o in objects if isinstance(o.object, user_model)]
    taken = sorted(
        name
        for chunk in _chunks(usernames)
        for name in user_model.objects.filter(username__in=chunk).values_list("username", flat=True)
    )
    if taken:
        shown = ", ".join(taken[:5]) + (", …" if len(taken) > 5 else "")
        problems.append(
            f"{len(taken)} user(s) of the archive already exist here ({shown}); "
            "import_course restores into a database without the course's people."
        )
    by_model: dict[type[models.Model], list] = {}
    for o in objects:
        by_model.setdefault(type(o.object), []).append(o.object.pk)
    clashes = [
        f"{n} {model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural}"
        for model, pks in by_model.items()
        if (n := sum(model._base_manager.filter(pk__in=c).count() for c in _chunks(pks)))
    ]
    if clashes:
        more = f" and {len(clashes) - 3} more kinds" if len(clashes) > 3 else ""
        problems.append(
            f"Rows with the archive's ids already exist here ({', '.join(clashes[:3])}{more}); "
            "the import keeps ids and needs a database without them."
        )
    storage = file_storage()
    for name, expected in archive.files.items():
        if storage.exists(name) and _stored(name) != expected:
            problems.append(f"A different file is already stored as {name}.")
    return problems


def _chunks(values: list, size: int = 900) -> Iterator[list]:
    """Short enough lists for an IN clause on any database."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _stored(name: str) -> dict[str, Any]:
    with file_storage().open(name, "rb") as handle:
        return copy_stream(handle)


def _deserialized(archive: Archive) -> list:
    try:
        return list(serializers.deserialize("python", archive.rows))
    except DeserializationError as exc:
        raise BackupError(f"The archive's {ROWS} has a row this site cannot read: {exc}") from exc


def _grant_instructors(course: Course) -> None:
    """What `membership_set` gives an instructor, by the same rule: admin
    access through the group."""
    instructors = get_user_model().objects.filter(
        memberships__course=course, memberships__role=Membership.Role.INSTRUCTOR
    )
    for user in instructors:
        instructor_access_sync(user=user)


def _broken_rules(course: Course) -> list[str]:
    """The loaded rows that break a rule the services hold (the database's
    constraints hold the rest): a poll whose choices do not fit its kind or
    whose session is of another course, a score over its item's cap. The rows
    themselves are restored as they were, with their history, not rewritten
    through the services: a restore is not a new edit."""
    problems = []
    loaded = (
        Poll.objects.filter(course=course).select_related("session").prefetch_related("choices")
    )
    for poll in loaded.order_by("pk"):
        texts = [choice.text for choice in poll.choices.all()]
        settings_problems = poll_problems(
            before=None,
            answered=False,
            course=course,
            question=poll.question,
            kind=poll.kind,
            session=poll.session,
            anonymous=poll.anonymous,
            results=poll.results,
        )
        problem = next(iter(settings_problems.values()), None) or choices_problem(poll.kind, texts)
        if problem:
            problems.append(f"poll {poll.pk} (“{poll.question[:60]}”): {problem}")
    scores = Score.objects.filter(item__component__course=course).select_related("item")
    for score in scores.order_by("pk"):
        problem = score_problem(score.item, score.points, score.excused, score.comment)
        if problem:
            problems.append(f"score {score.pk} ({score.item.title}): {problem}")
    return problems


def _reset_sequences(models_loaded: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models_loaded)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@dataclass
class Restored:
    slug: str
    counts: dict[str, int]
    files_written: int
    files_present: int  # already in storage with the same bytes


def import_course(path: Path) -> Restored:
    """Restore an archive: all or nothing."""
    archive = read_archive(Path(path))
    objects = _deserialized(archive)
    problems = _refusals(archive, objects)
    if problems:
        raise BackupError("Nothing was imported. " + " ".join(problems))
    storage = file_storage()
    written: list[str] = []
    try:
        with transaction.atomic():
            for obj in objects:
                # A plain INSERT with the archive's values: timestamps stay as
                # they were and no history row is added.
                obj.save(force_insert=True)
            course = Course.objects.get(slug=archive.slug)
            broken = _broken_rules(course)
            if broken:
                shown = "; ".join(broken[:5]) + ("; …" if len(broken) > 5 else "")
                raise BackupError(
                    f"Nothing was imported: {len(broken)} row(s) of the archive break the "
                    f"site's rules ({shown})."
                )
            _grant_instructors(course)
            loaded = [model for model, _ in course_rows(course)]
            _reset_sequences(loaded)
            counts = row_counts(course)
            expected = archive.manifest["counts"]
            if counts != expected:
                differ = sorted(
                    f"{label}: {expected.get(label, 0)} expected, {counts.get(label, 0)} loaded"
                    for label in set(counts) | set(expected)
                    if counts.get(label, 0) != expected.get(label, 0)
                )
                raise BackupError(
                    "The loaded rows do not match the archive's manifest, so nothing was "
                    "imported: " + "; ".join(differ) + "."
                )
            named = set(file_names(course))
            listed = set(archive.files) | set(archive.manifest.get("missing_files", []))
            if named != listed:
                raise BackupError(
                    f"The hand-ins name {len(named)} file(s) but the manifest lists "
                    f"{len(listed)}, so nothing was imported."
                )
            with zipfile.ZipFile(archive.path) as zipped:
                for name in sorted(archive.files):
                    if storage.exists(name):
                        continue  # the same bytes (checked above): nothing to restore
                    with zipped.open(FILES + name) as member:
                        stored = storage.save(name, File(member, posixpath.basename(name)))
                    written.append(stored)
                    if stored != name:
                        raise BackupError(f"The file {name} could not be restored as such.")
    except (DatabaseError, ValidationError, ObjectDoesNotExist, DeserializationError) as exc:
        _delete(written)
        raise BackupError(f"Nothing was imported: {exc}") from exc
    except BaseException:
        _delete(written)
        raise
    return Restored(archive.slug, counts, len(written), len(archive.files) - len(written))


def _delete(names: list[str]) -> None:
    storage = file_storage()
    for name in names:
        storage.delete(name)
