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

from coursesite.backup.archive import (
    Archive,
    BackupError,
    describe_counts,
    human_size,
    read_archive,
)
from coursesite.backup.contents import USER_FIELDS, course_rows, file_names, row_counts
from coursesite.backup.export import default_archive_path, export_course
from coursesite.backup.restore import Restored, import_course

__all__ = [
    "USER_FIELDS",
    "Archive",
    "BackupError",
    "Restored",
    "course_rows",
    "default_archive_path",
    "describe_counts",
    "export_course",
    "file_names",
    "human_size",
    "import_course",
    "read_archive",
    "row_counts",
]
