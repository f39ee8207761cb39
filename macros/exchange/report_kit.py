"""`make report-kit PERIOD=2025-Q1`: one workbook per owner for the quarter's progress report."""
from __future__ import annotations

import datetime
import os
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from .. import environment
from ..data.load import ROOT, data_path, display_name, load_plan
from ..data.model import Owner, Plan
from ..data.problems import DataError
from ..data.updates_check import period_start, today
from ..labels import labels
from ..messages import say, user_language
from . import kit_layout as kit

WIDTHS = {"id": 11, "text": 70, "last_status": 24, "status": 24, "date": 14, "note_fr": 45, "note_en": 45}
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_EPOCH = datetime.date(1899, 12, 30)  # day 0 of spreadsheet dates (Excel and LibreOffice)


def put(sheet, row: int, column: int, value):
    """Write `value` as a text cell, never a formula: a text starting with = + - @ stays the text it is."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def build_workbook(plan: Plan, owner: Owner, period: str) -> Workbook:
    """The workbook `owner` fills in for `period`: updates, instructions, and the hidden lists and identity."""
    book = Workbook()
    sheet = book.active
    sheet.title = kit.UPDATES
    activities = kit.owned_activities(plan, owner.id)
    rows = [(a.id, kit.activity_text(a), kit.status_text(kit.status_before(a, period))) for a in activities]
    _updates_sheet(sheet, plan, period, rows)
    _instructions_sheet(book.create_sheet(kit.INSTRUCTIONS), plan, owner, period)
    lists = book.create_sheet(kit.LISTS)
    for i, label in enumerate(kit.status_choices(plan), start=1):
        put(lists, i, 1, label)
    identity = book.create_sheet(kit.IDENTITY)
    values = {"format": kit.FORMAT, "owner": owner.id, "period": period, "data_version": plan.meta.version,
              "generated": today().isoformat(), "fingerprint": kit.fingerprint(owner.id, period, rows)}
    for i, key in enumerate(kit.IDENTITY_KEYS, start=1):
        put(identity, i, 1, key)
        put(identity, i, 2, values[key])
    for i, row in enumerate(rows, start=kit.FIRST_ACTIVITY_ROW):
        for j, value in enumerate(row, start=1):
            put(identity, i, j, value)
    for hidden in (lists, identity):
        hidden.sheet_state = "hidden"
        hidden.protection.sheet = True
    # Sheets cannot be renamed, added, removed or unhidden: the import finds them by name.
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.title = labels("en")["kit_instructions_title"].format(period=period, owner=owner.name.en)
    book.properties.subject = f"{kit.FORMAT} {owner.id} {period}"
    book.properties.creator = plan.meta.organisation.en
    return book


def _updates_sheet(sheet, plan: Plan, period: str, rows: list[tuple[str, str, str]]) -> None:
    for j, name in enumerate(kit.COLUMNS, start=1):
        cell = put(sheet, 1, j, kit.bilingual(f"kit_{name}"))
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[kit.column(name)].width = WIDTHS[name]
    last = len(rows) + 1
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            cell = put(sheet, i, j, value)
            cell.fill, cell.alignment = _LOCKED_FILL, Alignment(wrap_text=True, vertical="top")
        for name in kit.COLUMNS[kit.LOCKED:]:
            cell = sheet[f"{kit.column(name)}{i}"]
            cell.protection = Protection(locked=False)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet[f"{kit.column('date')}{i}"].number_format = "yyyy-mm-dd"
    start, end = period_start(period), kit.period_end(period)
    dates = {"period": period, "start": start.isoformat(), "end": end.isoformat()}
    status = DataValidation(type="list", formula1=f"{kit.LISTS}!$A$1:$A${len(kit.status_choices(plan))}", allow_blank=True,
                            showErrorMessage=True, showInputMessage=True, errorTitle="Statut / Status",
                            error=kit.bilingual("kit_status_error"), promptTitle="Statut / Status",
                            prompt=kit.bilingual("kit_status_prompt"))
    date = DataValidation(type="date", operator="between", formula1=str((start - _EPOCH).days),
                          formula2=str((end - _EPOCH).days), allow_blank=True, showErrorMessage=True,
                          showInputMessage=True, errorTitle="Date", error=kit.bilingual("kit_date_error", **dates),
                          promptTitle="Date", prompt=kit.bilingual("kit_date_prompt", **dates))
    for validation, name in ((status, "status"), (date, "date")):
        sheet.add_data_validation(validation)
        if last > 1:
            validation.add(f"{kit.column(name)}2:{kit.column(name)}{last}")
    sheet.freeze_panes = "B2"
    sheet.protection.sheet = True
    # Locked or not, readers may still widen columns and rows to read long texts.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


# The owner who sends the workbooks out and imports them back (README, "A quarter from start to finish").
SUPPORT_TEAM = "rome-team"


def support_team(plan: Plan, lang: str) -> str:
    """Who the filled workbook goes back to, named as the plan names it (the organisation if the plan lacks it)."""
    team = next((o for o in plan.owners if o.id == SUPPORT_TEAM), None)
    return team.name(lang) if team is not None else plan.meta.organisation(lang)


def _instructions_sheet(sheet, plan: Plan, owner: Owner, period: str) -> None:
    values = {"period": period, "start": period_start(period).isoformat(), "end": kit.period_end(period).isoformat()}
    sheet.column_dimensions["A"].width = 110
    lines: list[tuple[str, bool]] = []
    for lang in ("fr", "en"):
        t = labels(lang)
        lines.append((t["kit_instructions_title"].format(owner=owner.name(lang), **values), True))
        lines += [(line, False) for line in t["kit_instructions"].format(owner=owner.short(lang), support_team=
                                                                         support_team(plan, lang), **values).splitlines()]
        lines += [(f"{s.label(lang)}{t['colon']} {s.meaning(lang)}", False) for s in plan.statuses]
        lines.append(("", False))
    for i, (text, bold) in enumerate(lines, start=1):
        cell = put(sheet, i, 1, text)
        cell.font, cell.alignment = Font(bold=bold), Alignment(wrap_text=True, vertical="top")
    sheet.protection.sheet = True


def write_kits(plan: Plan, period: str, out_dir: Path) -> list[tuple[Path, int]]:
    """Write one workbook per owner with activities into out_dir/<period>/; (path, activities) for each."""
    folder = out_dir / period
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    umask = os.umask(0)
    os.umask(umask)
    for owner in plan.owners:
        count = len(kit.owned_activities(plan, owner.id))
        if not count:
            continue
        target = folder / f"{owner.id}.xlsx"
        fd, tmp = tempfile.mkstemp(prefix=f".{owner.id}.", suffix=".xlsx", dir=folder)
        os.close(fd)
        try:
            build_workbook(plan, owner, period).save(tmp)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; the kit is an ordinary file to send
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append((target, count))
    return written


def main(argv: list[str]) -> int:
    environment.require()
    args = [a for a in argv if a.strip()]
    if len(args) != 1:
        print(say("kit_usage"), file=sys.stderr)
        return 2
    period = args[0].strip()
    try:
        start = period_start(period)
    except ValueError:
        print(say("kit_bad_period", period=period), file=sys.stderr)
        return 2
    if start > today():
        print(say("kit_not_begun", period=period, start=start.isoformat(), today=today().isoformat()), file=sys.stderr)
        return 1
    try:
        plan = load_plan(data_path())
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        print(say("kit_fix_data_first", file=display_name(data_path())), file=sys.stderr)
        return 1
    out_dir = Path(os.environ.get("SIP_REPORT_KIT_DIR", ROOT / "dist" / "report-kit"))
    written = write_kits(plan, period, out_dir)
    for path, count in written:
        print(say("kit_book", file=display_name(path), count=count, size=f"{path.stat().st_size / 1024:.0f}"))
    skipped = [o.short(user_language()) for o in plan.owners if not kit.owned_activities(plan, o.id)]
    print(say("kit_done_skipped", count=len(written), period=period, skipped=", ".join(skipped)) if skipped
          else say("kit_done", count=len(written), period=period))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
