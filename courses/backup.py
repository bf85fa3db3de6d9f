"""Backing up one course to a self-contained archive, and restoring it.

``manage.py export_course SLUG`` writes a zip file::

    manifest.json   what the archive holds: its format and version, the course's
                    slug, when it was exported, the schema (the latest migration of
                    each app whose rows it holds), the number of rows of every
                    model, and every file with its size and SHA-256
    course.json     every row of the course, in Django's JSON serialization (the
                    ``loaddata`` format), in dependency order: its people, the
                    course, its memberships, schedule, readings, sign-ups, polls,
                    preferences, assignment runs, grading scheme, scores, imports,
                    hand-ins, and the history of items, scores and hand-ins
    files/<name>    every uploaded file that a hand-in, or an earlier version of
                    one, names; ``<name>`` is its name in storage

``manage.py import_course FILE`` restores it into a database that does not have
the course or its people, typically a fresh one migrated to the same schema.

Primary keys are kept. Since the target holds none of these rows, keeping them
is the simplest way to keep every reference intact, including those a foreign
key cannot follow: history rows (whose item and student columns are plain ids)
and the ids inside an assignment run's result. The import therefore refuses when
the course's slug, one of its people's usernames, or any row id it would write
already exists; it loads everything in one transaction, checks the row counts
against the manifest, writes the files, and moves PostgreSQL's sequences past
the loaded ids. Any failure leaves the database and MEDIA_ROOT as they were.

People: the course's members come with their username, names, email, password
hash, activity flag and dates, but without superuser or staff flags, groups or
permissions; the import gives instructors the admin access their role implies,
as ``membership_set`` does. Other users that rows point to (a student removed
from the course whose scores remain, an administrator who graded) come along
the same way but with an unusable password and no role.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import posixpath
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import File
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from grading.models import (
    GradeComponent,
    GradeImport,
    GradeItem,
    LetterCutoff,
    Score,
    Submission,
)

from .models import (
    Announcement,
    AssignmentRun,
    Blackout,
    Course,
    Membership,
    PaperPreference,
    Poll,
    PollAnswer,
    PollChoice,
    PresentationSignup,
    Reading,
    Resource,
    Session,
    Theme,
    Topic,
)
from .services import instructors_group_ensure

FORMAT = "coursesite-course-archive"
VERSION = 1
MANIFEST = "manifest.json"
ROWS = "course.json"
FILES = "files/"
CHUNK = 1024 * 1024
SCHEMA_APPS = ("auth", "courses", "grading")
# The user columns an archive carries; staff and superuser flags, groups and
# permissions stay behind.
USER_FIELDS = (
    "password",
    "last_login",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "date_joined",
)


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping microseconds (it rounds times to milliseconds),
    so that timestamps, and the order they give, come back exactly."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """An export or import that cannot be done; the message says why and what to do."""


@dataclass
class Archive:
    """A checked archive: its manifest and rows; the files stay in the zip."""

    path: Path
    manifest: dict[str, Any]
    rows: list[dict[str, Any]]

    @property
    def slug(self) -> str:
        return self.manifest["course"]

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """Storage name: {"bytes": size, "sha256": digest}."""
        return self.manifest["files"]


# --- what belongs to a course -----------------------------------------------------------------


def course_rows(course: Course) -> list[tuple[type[models.Model], models.QuerySet]]:
    """Every model with rows of the course, and those rows, in an order in which
    each row's references come before it (users first)."""
    historical_item = GradeItem.history.model
    historical_score = Score.history.model
    historical_submission = Submission.history.model
    component_ids = list(GradeComponent.objects.filter(course=course).values_list("pk", flat=True))
    # Items deleted since keep their history, and so do their scores and hand-ins.
    item_ids = set(
        GradeItem.objects.filter(component_id__in=component_ids).values_list("pk", flat=True)
    )
    item_ids |= set(
        historical_item.objects.filter(component_id__in=component_ids).values_list("id", flat=True)
    )
    rows: list[tuple[type[models.Model], models.QuerySet]] = [
        (Course, Course.objects.filter(pk=course.pk)),
        (Membership, Membership.objects.filter(course=course)),
        (Theme, Theme.objects.filter(course=course)),
        (Topic, Topic.objects.filter(theme__course=course)),
        (Session, Session.objects.filter(course=course)),
        (Reading, Reading.objects.filter(session__course=course)),
        (Resource, Resource.objects.filter(course=course)),
        (Announcement, Announcement.objects.filter(course=course)),
        (PresentationSignup, PresentationSignup.objects.filter(reading__session__course=course)),
        (Poll, Poll.objects.filter(course=course)),
        (PollChoice, PollChoice.objects.filter(poll__course=course)),
        (PollAnswer, PollAnswer.objects.filter(poll__course=course)),
        (PaperPreference, PaperPreference.objects.filter(course=course)),
        (Blackout, Blackout.objects.filter(course=course)),
        (AssignmentRun, AssignmentRun.objects.filter(course=course)),
        (GradeComponent, GradeComponent.objects.filter(course=course)),
        (GradeItem, GradeItem.objects.filter(component__course=course)),
        (Score, Score.objects.filter(item__component__course=course)),
        (LetterCutoff, LetterCutoff.objects.filter(course=course)),
        (GradeImport, GradeImport.objects.filter(course=course)),
        (Submission, Submission.objects.filter(item__component__course=course)),
        (historical_item, historical_item.objects.filter(component_id__in=component_ids)),
        (historical_score, historical_score.objects.filter(item_id__in=item_ids)),
        (historical_submission, historical_submission.objects.filter(item_id__in=item_ids)),
    ]
    user_model = get_user_model()
    users = user_model.objects.filter(pk__in=_user_ids(rows))
    return [(user_model, users), *((m, qs.order_by("pk")) for m, qs in rows)]


def _user_fields(model: type[models.Model]) -> list[models.ForeignKey]:
    user_model = get_user_model()
    return [
        f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is user_model
    ]


def _user_ids(rows: list[tuple[type[models.Model], models.QuerySet]]) -> set[int]:
    ids: set[int] = set()
    for model, queryset in rows:
        for user_field in _user_fields(model):
            ids.update(queryset.values_list(user_field.attname, flat=True))
    ids.discard(None)
    return ids


def _m2m_tables(
    model: type[models.Model], queryset: models.QuerySet
) -> Iterator[tuple[str, models.QuerySet]]:
    """The join tables of the model's many-to-many fields, limited to these rows."""
    for m2m in model._meta.local_many_to_many:
        through = m2m.remote_field.through
        yield (
            through._meta.label_lower,
            through.objects.filter(**{f"{m2m.m2m_field_name()}__in": queryset}),
        )


def row_counts(course: Course) -> dict[str, int]:
    """The number of rows of every model (and join table) in the course's archive."""
    counts: dict[str, int] = {}
    for model, queryset in course_rows(course):
        counts[model._meta.label_lower] = queryset.count()
        if model is not get_user_model():
            for label, rows in _m2m_tables(model, queryset):
                counts[label] = rows.count()
    return counts


def file_names(course: Course) -> list[str]:
    """Every stored file a hand-in of the course, or an earlier version of one, names."""
    names: set[str] = set()
    for model, queryset in course_rows(course):
        if model in (Submission, Submission.history.model):
            names.update(queryset.exclude(file="").values_list("file", flat=True))
    return sorted(names)


def _schema() -> dict[str, str]:
    """The latest applied migration of each app whose rows an archive holds."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in SCHEMA_APPS:
            latest[app] = max(latest.get(app, ""), name)
    return latest


def _storage():
    return Submission._meta.get_field("file").storage


# --- export -----------------------------------------------------------------------------------


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
            "schema": _schema(),
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
    storage = _storage()
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
                    files[name] = _copy(source, target)
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


def _copy(source: IO[bytes], target: IO[bytes] | None = None) -> dict[str, Any]:
    """Copy (or only read) a file in chunks; return its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}


# --- reading an archive -----------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    """A relative storage name that stays inside MEDIA_ROOT."""
    normal = posixpath.normpath(name)
    return bool(name) and (
        "\\" not in name
        and not name.startswith("/")
        and normal == name
        and not normal.startswith("../")
        and normal != ".."
    )


def read_archive(path: Path) -> Archive:
    """Open and check an archive completely before anything is written: its
    format, its JSON, and every file against the manifest's checksums."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            for required in (MANIFEST, ROWS):
                if required not in members:
                    raise BackupError(f"{path} is not a course archive: it has no {required}.")
            manifest = _json(archive.read(MANIFEST), MANIFEST)
            rows = _json(archive.read(ROWS), ROWS)
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(f"{path} is not a course archive (its {MANIFEST} says so).")
            if manifest.get("version") != VERSION:
                raise BackupError(
                    f"{path} is a version {manifest.get('version')} archive; "
                    f"this site reads version {VERSION}."
                )
            for key in ("course", "counts", "files", "schema"):
                if key not in manifest:
                    raise BackupError(f"The archive's {MANIFEST} has no “{key}”.")
            if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
                raise BackupError(f"The archive's {ROWS} is not a list of rows.")
            if not all(isinstance(manifest[key], dict) for key in ("counts", "files", "schema")):
                raise BackupError(f"The archive's {MANIFEST} is not in the expected form.")
            for name, expected in manifest["files"].items():
                if not _safe_name(name):
                    raise BackupError(f"The archive names a file outside the media folder: {name}")
                if FILES + name not in members:
                    raise BackupError(f"The archive lacks the file {name} its manifest lists.")
                with archive.open(FILES + name) as member:
                    if _copy(member) != expected:
                        raise BackupError(f"The file {name} in the archive is damaged.")
    except zipfile.BadZipFile as exc:
        raise BackupError(f"{path} is not a readable zip file: {exc}.") from exc
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return Archive(Path(path), manifest, rows)


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"The archive's {name} is not valid JSON: {exc}.") from exc


# --- import -----------------------------------------------------------------------------------


def _refusals(archive: Archive, objects: list) -> list[str]:
    """Why the archive cannot go into this database, if it cannot."""
    problems = []
    if Course.objects.filter(slug=archive.slug).exists():
        problems.append(
            f"A course with the slug “{archive.slug}” already exists here; import_course "
            "restores a course into a database that does not have it."
        )
    schema = _schema()
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
    storage = _storage()
    for name, expected in archive.files.items():
        if storage.exists(name) and _stored(name) != expected:
            problems.append(f"A different file is already stored as {name}.")
    return problems


def _chunks(values: list, size: int = 900) -> Iterator[list]:
    """Short enough lists for an IN clause on any database."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _stored(name: str) -> dict[str, Any]:
    with _storage().open(name, "rb") as handle:
        return _copy(handle)


def _deserialized(archive: Archive) -> list:
    try:
        return list(serializers.deserialize("python", archive.rows))
    except DeserializationError as exc:
        raise BackupError(f"The archive's {ROWS} has a row this site cannot read: {exc}") from exc


def _grant_instructors(course: Course) -> None:
    """What membership_set gives an instructor: admin access through the group."""
    instructors = get_user_model().objects.filter(
        memberships__course=course, memberships__role=Membership.Role.INSTRUCTOR
    )
    if instructors.exists():
        group = instructors_group_ensure()
        for user in instructors:
            user.groups.add(group)
        instructors.filter(is_staff=False).update(is_staff=True)


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
    storage = _storage()
    written: list[str] = []
    try:
        with transaction.atomic():
            for obj in objects:
                # A plain INSERT with the archive's values: timestamps stay as
                # they were and no history row is added.
                obj.save(force_insert=True)
            course = Course.objects.get(slug=archive.slug)
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
    storage = _storage()
    for name in names:
        storage.delete(name)


def describe_counts(counts: dict[str, int]) -> list[str]:
    """One line per model, for the commands' output."""
    width = max((len(label) for label in counts), default=0)
    return [f"  {label:<{width}}  {n:>6}" for label, n in counts.items()]


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    kilobytes = size / 1024
    return f"{kilobytes:.1f} KB" if kilobytes < 1024 else f"{kilobytes / 1024:.1f} MB"
