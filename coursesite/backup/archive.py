"""The archive's format: writing helpers, and reading one back with every check."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder

FORMAT = "coursesite-course-archive"


VERSION = 1


MANIFEST = "manifest.json"


ROWS = "course.json"


FILES = "files/"


CHUNK = 1024 * 1024


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


def copy_stream(source: IO[bytes], target: IO[bytes] | None = None) -> dict[str, Any]:
    """Copy (or only read) a file in chunks; return its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}


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
                    if copy_stream(member) != expected:
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
    except RecursionError as exc:  # nested deeper than any archive this site writes
        raise BackupError(f"The archive's {name} is nested too deeply to be a backup.") from exc


def describe_counts(counts: dict[str, int]) -> list[str]:
    """One line per model, for the commands' output."""
    width = max((len(label) for label in counts), default=0)
    return [f"  {label:<{width}}  {n:>6}" for label, n in counts.items()]


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    kilobytes = size / 1024
    return f"{kilobytes:.1f} KB" if kilobytes < 1024 else f"{kilobytes / 1024:.1f} MB"
