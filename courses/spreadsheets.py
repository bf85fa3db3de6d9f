"""CSV files that open cleanly, and safely, in Excel and LibreOffice."""

from __future__ import annotations

import csv
from typing import Any

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
