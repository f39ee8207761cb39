"""Refuse a workbook bigger than any report kit before decompressing it: file size, zip directory, sheet dimensions.

Only the zip's central directory and the first bytes of each sheet are read, so a zip bomb or a sheet of a million
rows is refused in milliseconds. The sizes the directory declares also bound what is later decompressed: Python's
zipfile stops reading an entry at its declared size.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..messages import Msg
from . import kit_layout as kit

MAX_FILE_BYTES = 20_000_000      # a kit is 10-20 KB; its owner's additions and styles stay far below
MAX_ENTRIES = 500                # parts in the zip: a kit has about 15
MAX_COLUMNS = 26                 # the kit uses A-G; anything typed up to Z is read and reported at its cell
EXTRA_ROWS = 200                 # beyond the kit's own rows: the instructions sheet and blank lines left by editors
BYTES_PER_CELL = 2_000           # sheet XML per cell, styles and formulas included
BYTES_PER_TEXT = 12_000          # shared strings per cell: 4,000 characters of XML-escaped UTF-8 (the text column: two)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')


def max_rows(plan) -> int:
    """The most rows any sheet of a kit for `plan` can need: the identity sheet lists every activity of its owner."""
    activities = len(plan.activities) if plan is not None else 10_000
    return kit.FIRST_ACTIVITY_ROW + activities + EXTRA_ROWS


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def refusal(path: Path, plan) -> tuple[Msg, Msg] | None:
    """(message, hint) when the file at `path` is no workbook or is bigger than a kit can be; None when it may be read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return Msg("book_unreadable", reason=exc.strerror or exc), Msg("book_check_name")
    if size > MAX_FILE_BYTES:
        return Msg("book_too_big", size=size / 1e6, limit=f"{MAX_FILE_BYTES / 1e6:.0f}"), Msg("book_bounds_hint")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                return Msg("book_too_many_parts", parts=f"{len(entries):,}", limit=MAX_ENTRIES), Msg("book_bounds_hint")
            rows, sheets_bytes, total = max_rows(plan), 0, 0
            sheet_limit = rows * MAX_COLUMNS * BYTES_PER_CELL
            text_limit = rows * len(kit.COLUMNS) * BYTES_PER_TEXT
            for entry in entries:
                total += entry.file_size
                if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                    sheets_bytes += entry.file_size
                    problem = _dimension_refusal(archive, entry, rows)
                    if problem:
                        return problem, Msg("book_bounds_hint")
            if sheets_bytes > sheet_limit or total > sheet_limit + text_limit:
                return (Msg("book_too_big_unzipped", size=f"{max(total, sheets_bytes) / 1e6:,.0f}",
                            limit=f"{(sheet_limit + text_limit) / 1e6:,.0f}"), Msg("book_bounds_hint"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return Msg("book_not_zip"), Msg("book_unreadable_hint")
    return None


def _dimension_refusal(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, rows: int) -> Msg | None:
    with archive.open(entry) as sheet:
        head = sheet.read(4096)
    found = _DIMENSION.search(head)
    if not found:
        return None  # the declared sizes still bound it
    last_column, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
    name = entry.filename.rsplit("/", 1)[-1]
    if int(last_row) > rows:
        return Msg("book_too_many_rows", sheet=name, rows=f"{int(last_row):,}", limit=f"{rows:,}")
    if _column_number(last_column) > MAX_COLUMNS:
        return Msg("book_too_many_columns", sheet=name, column=last_column.decode())
    return None
