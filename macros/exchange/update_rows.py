"""Turn the rows of filled workbooks into updates of the data, refusing every mistake with its cell."""
from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from ..data.model import Plan
from ..data.text_check import odd_line_break
from ..data.updates_check import period_start, today
from . import kit_layout as kit
from ..messages import LANGUAGES, Msg, Written, listed
from .workbook_read import Filled, Row

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EPOCH = datetime.date(1899, 12, 30)  # day 0 of spreadsheet dates


@dataclass(frozen=True)
class NewUpdate:
    """One update to record, with where it came from (for messages) and the status it replaces (for the summary)."""

    activity_id: str
    period: str
    date: str
    status: str
    reported_by: str
    note: dict  # {"fr": ..., "en": ...}: one language or both
    source: str  # "rome-team.xlsx: updates!D7"
    before: str
    cells: dict = field(default_factory=dict, compare=False)  # column name -> "rome-team.xlsx: updates!F7"

    def as_data(self) -> dict:
        """The update as data/sip.yaml holds it."""
        return {"period": self.period, "date": self.date, "status": self.status, "reported_by": self.reported_by,
                "note": dict(self.note)}


def check_rows(plan: Plan, workbooks: list[Filled], recorded: dict) -> list[NewUpdate]:
    """The updates the workbooks ask for, not yet in the data; mistakes are added to each workbook's problems.

    `recorded` maps (activity id, period) to (the update already in the data, its line).
    """
    activities = {a.id: a for a in plan.activities}
    owners = {o.id for o in plan.owners}
    statuses = _status_names(plan)
    found: dict[tuple, NewUpdate] = {}
    for book in workbooks:
        if book.problems and not book.owner:
            continue
        try:
            period_start(book.period)
        except ValueError:
            book.problem(f"{kit.IDENTITY}!B3", "", Msg("kit_not_a_quarter", period=book.period), Msg("kit_generate_again"))
            continue
        if book.owner not in owners:
            book.problem(f"{kit.IDENTITY}!B2", "", Msg("kit_owner_undefined", owner=book.owner),
                         Msg("kit_generate_again_current"))
            continue
        seen: dict[str, int] = {}
        for row in book.rows:
            update = _check_row(plan, book, row, activities, statuses, seen)
            if update is None:
                continue
            key = (update.activity_id, update.period)
            if key in recorded:
                data, line = recorded[key]
                if not _same(data, update.as_data()):
                    book.problem(row.cell("status"), f"activity {update.activity_id}",
                                 Msg("row_differs_recorded", fields=_differences(data, update.as_data()), period=update.period,
                                     line=line, date=data.get('date'), status=_status_label(plan, data.get('status')),
                                     reporter=_owner_name(plan, data.get('reported_by'))),
                                 Msg("row_differs_recorded_hint"))
            elif key in found:
                if not _same(found[key].as_data(), update.as_data()):
                    book.problem(row.cell("status"), f"activity {update.activity_id}",
                                 Msg("row_differs_other", fields=_differences(found[key].as_data(), update.as_data()),
                                     period=update.period, source=found[key].source),
                                 Msg("row_differs_other_hint"))
            else:
                found[key] = update
    return list(found.values())


def _names(text) -> dict:
    """A text of the plan in each language, for a message (`Written`)."""
    return {lang: text(lang) for lang in LANGUAGES}


def _owner_name(plan: Plan, owner_id: str | None) -> str:
    """The owner's name as the plan gives it, in the message's language; an id the plan lacks, as written."""
    owner = next((o for o in plan.owners if o.id == owner_id), None)
    return Written(_names(owner.name)) if owner else str(owner_id)


def _status_label(plan: Plan, status_id: str | None) -> str:
    """The status's label in the message's language; an id the plan lacks, as written."""
    status = next((s for s in plan.statuses if s.id == status_id), None)
    return Written(_names(status.label)) if status else str(status_id)


def _same(recorded: dict, new: dict) -> bool:
    """The same report: co-owners of a shared activity may both send it (the first reporter is recorded), and a
    note translated in the data since is still the note the workbook gave."""
    return not _differences(recorded, new)


def _differences(recorded: dict, new: dict) -> Written:
    """The fields two updates disagree on, named in each language ("date and status", « date et statut »)."""
    differ = [k for k in ("date", "status") if recorded.get(k) != new.get(k)]
    written = recorded.get("note") or {}
    if any(written.get(lang) != text for lang, text in new["note"].items()):
        differ.append("note")
    names = {"date": Msg("row_field_date"), "status": Msg("row_field_status"), "note": Msg("row_field_note")}
    return listed([{lang: names[key].text(lang) for lang in LANGUAGES} for key in differ])


def _check_row(plan: Plan, book: Filled, row: Row, activities: dict, statuses: dict, seen: dict) -> NewUpdate | None:
    ident = row["id"]
    where = f"activity {ident}" if ident else ""  # translated when printed (messages.where_in)
    if not ident:
        book.problem(row.cell("id"), "", Msg("row_no_id"), Msg("row_no_id_hint"))
        return None
    if ident in seen:
        book.problem(row.cell("id"), where, Msg("row_twice", row=seen[ident]), Msg("row_twice_hint"))
        return None
    seen[ident] = row.number
    activity = activities.get(ident)
    if activity is None:
        close = difflib.get_close_matches(ident, list(activities), n=1)
        book.problem(row.cell("id"), where, Msg("row_unknown_activity", id=ident),
                     Msg("did_you_mean", value=close[0]) if close else Msg("row_use_own_rows"))
        return None
    if book.owner not in activity.owner_ids:
        # Named as the plan names them: the person who filled the workbook knows the owners, not their ids.
        if activity.owner_ids:
            owned_by = listed([_names(role.owner.name) for role in activity.owners])
            book.problem(row.cell("id"), where, Msg("row_not_owner", owner=_owner_name(plan, book.owner),
                                                    owners=owned_by, count=len(activity.owner_ids)),
                         Msg("row_not_owner_hint"))
        else:
            book.problem(row.cell("id"), where, Msg("row_not_owner_unowned", owner=_owner_name(plan, book.owner)),
                         Msg("row_not_owner_unowned_hint"))
        return None
    if ident not in book.written:
        book.problem(row.cell("id"), where, Msg("row_not_written"), Msg("row_not_written_hint"))
        return None
    text, last_status = book.written[ident]
    problems_before = len(book.problems)
    for name, expected in (("text", text), ("last_status", last_status)):
        if row[name] != expected:
            column = kit.column(name)
            book.problem(row.cell(name), where, Msg("row_locked_changed", column=column),
                         Msg("row_locked_changed_hint", value=_short(expected)))
    status, note, date = row["status"], {"fr": row["note_fr"], "en": row["note_en"]}, row["date"]
    note = {lang: text for lang, text in note.items() if text}
    if not status and not note:
        if date not in ("", None):  # never drop a value silently
            book.problem(row.cell("date"), where, Msg("row_date_alone"), Msg("row_date_alone_hint"))
        return None  # a blank row: nothing changed
    for lang, text in note.items():
        odd = odd_line_break(text)
        if odd:
            book.problem(row.cell(f"note_{lang}"), where, odd[0], odd[1])
    before = kit.status_before(activity, book.period).id
    status_id = statuses.get(_fold(status)) if status else before
    if status and status_id is None:
        labels = kit.status_choices(plan)
        folded = {_fold(label): label for label in labels}
        close = difflib.get_close_matches(_fold(status), list(folded), n=1, cutoff=0.6)
        book.problem(row.cell("status"), where, Msg("row_unknown_status", status=status),
                     Msg("did_you_mean", value=folded[close[0]]) if close else Msg("row_choose_status", choices=', '.join(labels)))
    if not note:
        book.problem(row.cell("note_fr"), where, Msg("row_no_note"), Msg("row_no_note_hint"))
    day = _date(book, row, where)
    if len(book.problems) > problems_before:
        return None
    return NewUpdate(ident, book.period, day.isoformat(), status_id, book.owner, note,
                     f"{book.name}: {row.cell('status')}", before,
                     {name: f"{book.name}: {row.cell(name)}" for name in kit.COLUMNS})


def _date(book: Filled, row: Row, where: str) -> datetime.date | None:
    value, cell = row["date"], row.cell("date")
    start, end = period_start(book.period), kit.period_end(book.period)
    if value in ("", None):
        book.problem(cell, where, Msg("row_no_date"), Msg("row_no_date_hint", period=book.period))
        return None
    day = None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 2_958_466:
        day = _EPOCH + datetime.timedelta(days=int(value))  # a date the spreadsheet kept as a bare number
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            pass
    if day is None:
        book.problem(cell, where, Msg("row_not_a_date", value=value), Msg("row_not_a_date_hint", example=start.isoformat()))
        return None
    if not start <= day <= end:
        book.problem(cell, where, Msg("row_date_outside", date=day.isoformat(), period=book.period),
                     Msg("row_date_outside_hint", start=start.isoformat(), end=end.isoformat()))
        return None
    if day > today():
        book.problem(cell, where, Msg("row_date_future", date=day.isoformat(), today=today().isoformat()),
                     Msg("row_date_future_hint"))
        return None
    return day


def _status_names(plan: Plan) -> dict[str, str]:
    """Every way a status may be written (id, French or English label, any case) -> its id."""
    names = {}
    for status in plan.statuses:
        for name in (status.id, status.label.fr, status.label.en):
            names.setdefault(_fold(name), status.id)
    return names


def _fold(value: str) -> str:
    """A status as compared: NFC first, so that 'Terminé' typed with a combining accent is 'Terminé'."""
    return " ".join(unicodedata.normalize("NFC", value).replace("_", " ").split()).casefold()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
