"""CSV files that open cleanly, and safely, in Excel and LibreOffice, and the one
reader of the CSV files people upload (the roster, the gradebook).

Reading an upload is two steps. `spreadsheet_text` turns the bytes into text or
refuses the whole file with a `SpreadsheetError` whose message is for the person
who sent it; each feature turns that into its own error type. `SpreadsheetReader`
then gives the header, finds columns by their header, and gives the rows with
their line numbers; a line the csv module cannot read becomes a `LineProblem`
and ends the rows, so a feature reports it like any rejected row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Keep a text cell from being run as a formula (CSV injection): a leading
    apostrophe makes spreadsheet programs show the text as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    def __init__(self, stream) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row) -> None:
        self._writer.writerow([spreadsheet_safe(value) for value in row])


def csv_download(filename: str) -> tuple[HttpResponse, SafeWriter]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a byte order mark, so Excel reads UTF-8
    return response, SafeWriter(response)


# --- reading an uploaded CSV ---------------------------------------------------------------

UTF8_BOM = b"\xef\xbb\xbf"


class SpreadsheetError(ValueError):
    """A file refused as a whole; the message says why, to the person who sent it."""


@dataclass(frozen=True)
class LineProblem:
    line: int  # 1 is the header
    message: str


def spreadsheet_upload_text(upload: UploadedFile, *, max_bytes: int, too_large: str) -> str:
    """The text of an uploaded .csv file (see `spreadsheet_text`); never reads
    more than ``max_bytes`` + 1 bytes of it."""
    if upload.size is not None and upload.size > max_bytes:
        raise SpreadsheetError(too_large)
    if not (upload.name or "").lower().endswith(".csv"):
        raise SpreadsheetError("Upload a .csv file (a spreadsheet saved as CSV).")
    return spreadsheet_text(upload.read(max_bytes + 1), max_bytes=max_bytes, too_large=too_large)


def spreadsheet_text(raw: bytes, *, max_bytes: int, too_large: str) -> str:
    """The text of a CSV file: UTF-8 (with or without a byte order mark), else
    Windows-1252, the code page Excel on Windows saves "CSV" in. Refuses a file
    over ``max_bytes`` (with the message ``too_large``), an empty one, one with
    NUL bytes (a binary file: .xlsx, UTF-16) and one in neither encoding.
    Line breaks come back as "\\n" only, so the text survives a form unchanged."""
    if len(raw) > max_bytes:
        raise SpreadsheetError(too_large)
    if not raw.strip():
        raise SpreadsheetError("The file is empty.")
    if b"\x00" in raw:
        raise SpreadsheetError(
            "This is not a CSV text file. Save the spreadsheet as CSV and retry."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.removeprefix(UTF8_BOM).decode("cp1252")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(
                "The file's text encoding is not recognised. Save it as “CSV UTF-8” and retry."
            ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def cell(cells: list[str], index: int | None) -> str:
    """The cell at ``index`` without surrounding spaces; "" for no column or a short row."""
    return cells[index].strip() if index is not None and index < len(cells) else ""


class SpreadsheetReader:
    """The header and rows of a CSV text. Line numbers are the csv module's: 1 is
    the header, and a row's number is the line it ends on. The problems are the
    file's own (empty, or a line that cannot be read); there is at most one."""

    def __init__(self, text: str) -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""))
        self.problems: list[LineProblem] = []
        self.header: list[str] | None = None
        try:
            self.header = next(self._reader, None)
        except csv.Error as exc:
            self._unreadable(exc)
        else:
            if self.header is None:
                self.problems.append(LineProblem(1, "The file is empty."))
        self._keys = [title.strip().casefold() for title in self.header or []]

    def column(self, names: Iterable[str]) -> int | None:
        """The index of the column headed by the first of ``names`` (in lower
        case) that the header has, in any letter case and spacing."""
        for name in names:
            if name in self._keys:
                return self._keys.index(name)
        return None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each row that has any text, with its line; blank rows are skipped. A
        line that cannot be read is recorded in ``problems`` and ends the rows."""
        if self.problems:
            return
        try:
            for cells in self._reader:
                if any(text.strip() for text in cells):
                    yield self._reader.line_num, cells
        except csv.Error as exc:
            self._unreadable(exc)

    def _unreadable(self, exc: csv.Error) -> None:
        self.problems.append(
            LineProblem(self._reader.line_num, f"This line cannot be read as CSV ({exc}).")
        )
