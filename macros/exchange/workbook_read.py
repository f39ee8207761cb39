"""Read a filled report workbook: who it is for, what the kit wrote, and the rows; mistakes as cell problems."""
from __future__ import annotations

import datetime
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..messages import Msg, text_in, where_in
from . import kit_layout as kit


@dataclass(frozen=True)
class CellProblem:
    """One mistake in a workbook, located by sheet and cell, in the style of `make check`."""

    workbook: str
    cell: str  # "updates!D7", or "" for the workbook as a whole
    where: str  # "activity 3.1.1.1", or ""
    message: str
    hint: str = ""

    def format(self, lang: str | None = None) -> str:
        """`rome-team.xlsx: updates!D7: activity 3.1.1.1: status 'En cour' is not a status (did you mean 'En cours'?)`,
        in `lang` (by default the user's language): the workbook, cell and values stay as written."""
        parts = [self.workbook] + [p for p in (self.cell,) if p]
        where = where_in(self.where, lang) + Msg("after_where").text(lang) if self.where else ""
        hint = f" ({text_in(self.hint, lang)})" if self.hint else ""
        return ": ".join(parts) + ": " + where + text_in(self.message, lang) + hint


@dataclass(frozen=True)
class Row:
    """A line of the updates sheet as filled in: texts stripped, the date cell as read."""

    number: int
    values: dict  # column name -> str, or a date/datetime/number for the date column

    def cell(self, name: str) -> str:
        return f"{kit.UPDATES}!{kit.column(name)}{self.number}"

    def __getitem__(self, name: str):
        return self.values[name]


@dataclass
class Filled:
    """A workbook as returned: its owner and period, the activities as the kit wrote them, the filled rows."""

    name: str
    owner: str = ""
    period: str = ""
    written: dict = field(default_factory=dict)  # activity id -> (text, status at last report) as the kit wrote them
    rows: list[Row] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    def problem(self, cell: str, where: str, message: str, hint: str = "") -> None:
        self.problems.append(CellProblem(self.name, cell, where, message, hint))


def read_workbook(path: Path, name: str) -> Filled:
    """The workbook at `path` (shown as `name`); problems only when it cannot be trusted as a whole."""
    filled = Filled(name)
    try:
        book = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else Msg("book_not_xlsx")
        filled.problem("", "", Msg("book_unreadable", reason=reason), Msg("book_unreadable_hint"))
        return filled
    if kit.IDENTITY not in book.sheetnames or kit.UPDATES not in book.sheetnames:
        missing = kit.IDENTITY if kit.IDENTITY not in book.sheetnames else kit.UPDATES
        filled.problem("", "", Msg("book_sheet_missing", sheet=missing), Msg("book_fill_kit"))
        return filled
    if _read_identity(book[kit.IDENTITY], filled):
        filled.rows = list(_rows(book[kit.UPDATES]))
    return filled


def _read_identity(sheet, filled: Filled) -> bool:
    values = {_text(sheet.cell(i, 1).value): _text(sheet.cell(i, 2).value) for i in range(1, len(kit.IDENTITY_KEYS) + 1)}
    if values.get("format") != kit.FORMAT or any(not values.get(k) for k in kit.IDENTITY_KEYS):
        filled.problem(f"{kit.IDENTITY}!A1", "", Msg("book_identity_missing"),
                       Msg("book_fill_kit_owner"))
        return False
    written = [tuple(_text(sheet.cell(i, j).value) for j in (1, 2, 3))
               for i in range(kit.FIRST_ACTIVITY_ROW, sheet.max_row + 1)]
    written = [row for row in written if any(row)]
    if kit.fingerprint(values["owner"], values["period"], written) != values["fingerprint"]:
        filled.problem(f"{kit.IDENTITY}!B{kit.IDENTITY_KEYS.index('fingerprint') + 1}", "", Msg("book_identity_edited", owner=values['owner'], period=values['period']),
                       Msg("book_identity_edited_hint"))
        return False
    filled.owner, filled.period = values["owner"], values["period"]
    filled.written = {row[0]: row[1:] for row in written}
    return True


def _rows(sheet):
    """Each line below the headers that holds anything (blank lines are no change)."""
    width = len(kit.COLUMNS)
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
        cells = tuple(cells) + (None,) * (width - len(cells))
        values = {name: (value if name == "date" and not isinstance(value, str) else _text(value))
                  for name, value in zip(kit.COLUMNS, cells)}
        if any(v not in ("", None) for v in values.values()):
            yield Row(number, values)


def _text(value: object) -> str:
    """A cell as text: numbers as written (1.5, not 1.5000001), dates as YYYY-MM-DD, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Spreadsheets end lines in a cell with \r\n or \r; the data file uses \n.
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
