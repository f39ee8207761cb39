"""Read a filled report workbook: who it is for, what the kit wrote, and the rows; mistakes as cell problems."""
from __future__ import annotations

import datetime
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ..data.problems import _VISIBLE as VISIBLE
from ..messages import Msg, text_in, where_in
from . import kit_layout as kit
from . import workbook_bounds as bounds


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
        # One line per problem whatever a cell holds: line breaks and control characters are shown, as make check does.
        return (": ".join(parts) + ": " + where + text_in(self.message, lang) + hint).translate(VISIBLE)


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


def read_workbook(path: Path, name: str, plan=None) -> Filled:
    """The workbook at `path` (shown as `name`); problems only when it cannot be trusted as a whole.

    The zip's central directory and each sheet's declared dimension are checked against what a kit for `plan` can
    hold before anything is decompressed (workbook_bounds.py); a file that is no workbook gives one line."""
    filled = Filled(name)
    refusal = bounds.refusal(Path(path), plan)
    if refusal:
        filled.problem("", "", refusal[0], refusal[1])
        return filled
    try:
        book = load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl or zipfile raise, the workbook cannot be read
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else Msg("book_not_xlsx")
        if not isinstance(exc, (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError)):
            reason = f"{Msg('book_not_xlsx')} ({type(exc).__name__})"
        filled.problem("", "", Msg("book_unreadable", reason=reason), Msg("book_unreadable_hint"))
        return filled
    if kit.IDENTITY not in book.sheetnames or kit.UPDATES not in book.sheetnames:
        missing = kit.IDENTITY if kit.IDENTITY not in book.sheetnames else kit.UPDATES
        filled.problem("", "", Msg("book_sheet_missing", sheet=missing), Msg("book_fill_kit"))
        return filled
    if _read_identity(book[kit.IDENTITY], filled):
        filled.rows = list(_rows(book[kit.UPDATES], filled))
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


def _rows(sheet, filled: Filled):
    """Each line below the headers that holds anything (blank lines are no change).

    What people see is what is read: a formula, an error value or a value outside columns A-G is refused at its
    cell, never read as blank or left out."""
    width = len(kit.COLUMNS)
    for cells in sheet.iter_rows(min_row=2):
        if not cells:
            continue
        number = cells[0].row
        values = {}
        for cell in cells:
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            where = f"{kit.UPDATES}!{cell.coordinate}"
            if cell.column > width:
                filled.problem(where, "", Msg("book_outside_columns", value=_short(_text(cell.value))),
                               Msg("book_outside_columns_hint"))
            elif cell.data_type == "f" or isinstance(cell.value, (ArrayFormula, DataTableFormula)):
                formula = cell.value.text if isinstance(cell.value, ArrayFormula) else str(cell.value)
                filled.problem(where, "", Msg("book_formula", formula=_short(formula or '=')), Msg("book_formula_hint"))
            elif cell.data_type == "e":
                filled.problem(where, "", Msg("book_error_value", value=cell.value), Msg("book_error_value_hint"))
            else:
                values[kit.COLUMNS[cell.column - 1]] = cell.value
        values = {name: (values.get(name) if name == "date" and not isinstance(values.get(name), str)
                         else _text(values.get(name))) for name in kit.COLUMNS}
        if any(v not in ("", None) for v in values.values()):
            yield Row(number, values)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
