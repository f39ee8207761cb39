"""`make import-updates FILES="a.xlsx b.xlsx"`: check filled report workbooks, then add their updates to the data."""
from __future__ import annotations

import bisect
import sys
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from .. import environment
from ..data.load import data_path, display_name, load_plan
from ..data.model import Plan
from ..data.problems import DataError
from ..data.progress import reporting
from ..data.translation_lock import fields, read_lock
from ..data.yamlnodes import read_document
from ..messages import Msg, say, text_in, user_language, where_in
from .translations import record
from . import writer, yamledit
from .update_rows import NewUpdate, check_rows
from .workbook_read import read_workbook



def activity_maps(document) -> dict:
    """Each activity of the round-trip document by id: where its updates go."""
    return {str(a["id"]): a for p in document["pillars"] for oc in p["outcomes"] for op in oc["outputs"]
            for a in op["activities"]}


def recorded_updates(document) -> dict:
    """(activity id, period) -> (the update already in the data as plain values, its line)."""
    recorded = {}
    for ident, activity in activity_maps(document).items():
        for update in activity.get("updates") or ():
            plain = {key: str(update.get(key, "")).strip() for key in ("period", "date", "status", "reported_by")}
            plain["note"] = {lang: str(text).strip() for lang, text in (update.get("note") or {}).items()}
            recorded[(ident, plain["period"])] = (plain, update.lc.line + 1)
    return recorded


def add_updates(document, updates: list[NewUpdate]) -> list[tuple[str, bool]]:
    """Add `updates` to the document, declaring their periods first; returns the periods declared (id, glm)."""
    declared = _declare_periods(document, sorted({u.period for u in updates}))
    activities = activity_maps(document)
    for update in updates:
        activity = activities[update.activity_id]
        if "updates" not in activity:
            activity["updates"] = CommentedSeq()
        listed = activity["updates"]
        # Oldest period first, as the validator requires.
        position = sum(str(u["period"]) < update.period for u in listed)
        listed.insert(position, _update_map(update))
    return declared


def _update_map(update: NewUpdate) -> CommentedMap:
    entry = CommentedMap()
    entry["period"] = DoubleQuotedScalarString(update.period)
    entry["date"] = DoubleQuotedScalarString(update.date)
    entry["status"] = update.status
    entry["reported_by"] = update.reported_by
    note = CommentedMap()
    for lang in ("fr", "en"):
        if lang in update.note:
            text = update.note[lang]
            note[lang] = LiteralScalarString(text) if "\n" in text else text
    entry["note"] = note
    return entry


def _declare_periods(document, periods: list[str]) -> list[tuple[str, bool]]:
    """Declare the periods not declared yet, in order; every second report is presented at a GLM."""
    if "periods" not in document:
        keys = list(document)
        document.insert(keys.index("pillars") if "pillars" in keys else len(keys), "periods", CommentedSeq())
    listed = document["periods"]
    known = {str(p["id"]) for p in listed}
    declared = []
    for period in periods:
        if period in known:
            continue
        position = sum(str(p["id"]) < period for p in listed)
        # The report after a GLM report is not presented at one, and the other way round.
        glm = bool(position) and not listed[position - 1].get("glm", False)
        entry = CommentedMap()
        entry["id"] = DoubleQuotedScalarString(period)
        if glm:
            entry["glm"] = True
        listed.insert(position, entry)
        declared.append((period, glm))
    return declared


def summary(plan: Plan, updates: list[NewUpdate], declared: list[tuple[str, bool]], books: list,
            checked: int = 0) -> list[str]:
    """The lines an accepted import prints, in the user's language: periods declared, totals, status changes,
    notes awaiting translation, and for each period imported which owners have sent their workbook and which not."""
    lang = user_language()
    status = {s.id: s for s in plan.statuses}
    changes = [u for u in updates if u.status != u.before]
    pending = [u for u in updates if len(u.note) == 1]
    lines = [say("import_period_declared_glm" if glm else "import_period_declared", period=p) for p, glm in declared]
    lines.append(say("import_totals", books=Msg("n_workbooks", count=len(books)),
                     updates=Msg("n_activities_updated", count=len(updates)),
                     changes=Msg("n_status_changes", count=len(changes)),
                     pending=Msg("n_notes_pending", count=len(pending)), both=Msg("n_notes_both", count=checked)))
    names = {o.id: o.short(lang) for o in plan.owners}  # as the other lines of the summary name them
    for u in changes:
        lines.append(say("import_change", id=u.activity_id, period=u.period, owner=names.get(u.reported_by, u.reported_by),
                         before=status[u.before].label(lang), after=status[u.status].label(lang)))
    for u in pending:
        missing = "en" if "fr" in u.note else "fr"
        lines.append(say("import_pending", id=u.activity_id, period=u.period, language=say(f"language_{missing}")))
    lines += who_sent(plan, {u.period for u in updates}, updates, books)
    # The identity sheet's fingerprint is public: the reviewer of the data change checks who sent each workbook.
    lines.append(say("import_identity"))
    for book in books:
        lines.append(say("import_identity_book", book=book.name, owner=book.owner,
                         name=names.get(book.owner, "?"), period=book.period))
    return lines


def who_sent(plan: Plan, periods: set[str], updates: list[NewUpdate], books: list) -> list[str]:
    """For each period: the owners whose workbook has come in (this import's or recorded before), and the others."""
    lang = user_language()
    lines = []
    for period in sorted(periods):
        sent, _ = reporting(plan, period)
        received = {o.id for o in sent} | {b.owner for b in books if b.period == period} | {
            u.reported_by for u in updates if u.period == period}
        asked = [o for o in plan.owners if any(o.id in a.owner_ids for a in plan.activities)]
        have = [o for o in plan.owners if o.id in received]
        missing = [o for o in asked if o.id not in received]
        lines.append(say("import_sent", period=period, count=len(have), asked=len(asked),
                         owners=", ".join(o.short(lang) for o in have)))
        lines.append(say("import_not_sent", period=period, owners=", ".join(o.short(lang) for o in missing))
                     if missing else say("import_all_sent", period=period))
    return lines


def record_bilingual_notes(path: Path, updates: list[NewUpdate]) -> int:
    """A note the working group wrote in both languages is its own translation: its French is recorded as checked
    in the translation lock (when the data file has one), so it is not flagged as unchecked. Returns how many."""
    wanted = {(u.activity_id, u.period) for u in updates if len(u.note) == 2}
    if not wanted or read_lock(path) is None:
        return len(wanted)
    names = {name for name, _, _ in fields(yamledit.load(path))
             if any(name.endswith(f"activities/{ident}/updates/{period}/note") for ident, period in wanted)}
    record(path, names)
    return len(wanted)


def main(argv: list[str]) -> int:
    files = [a for a in argv if a.strip()]
    if not files:
        print(say("import_usage"), file=sys.stderr)
        return 2
    environment.require()
    path = data_path()
    try:
        # The whole read-validate-write holds the writers' lock: a second import waits, then reads this one's result.
        with writer.writing(path, doing="writer_importing", again="writer_the_import"):
            return _import(path, files)
    except writer.Changed as exc:
        print(exc, file=sys.stderr)
        return 1


def _import(path: Path, files: list[str]) -> int:
    try:
        plan = load_plan(path)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        print(say("import_fix_data_first", file=display_name(path)), file=sys.stderr)
        return 1
    document = yamledit.load(path)
    books = [read_workbook(Path(f), f, plan) for f in files]
    updates = check_rows(plan, books, recorded_updates(document))
    problems = [p for book in books for p in book.problems]
    if problems:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        print(say("import_refused_books", count=len(problems), file=display_name(path)), file=sys.stderr)
        return 1
    if not updates:
        print(say("import_nothing", file=display_name(path)))
        return 0
    declared = add_updates(document, updates)
    text = yamledit.dump(document)
    errors = yamledit.write_if_valid(path, text)
    if errors:
        for error in located(errors, text, updates):
            print(error, file=sys.stderr)
        print(say("import_refused", count=len(errors), file=display_name(path)), file=sys.stderr)
        return 1
    checked = record_bilingual_notes(path, updates)
    print(say("import_done", file=display_name(path)))
    for line in summary(plan, updates, declared, books, checked):
        print(line)
    return 0


def located(errors: list, text: str, updates: list[NewUpdate]) -> list[str]:
    """Each error the data refused, at the workbook cell the value came from: the note's column for a note."""
    doc = read_document(text.encode("utf-8"), "candidate")
    by_line: dict[int, tuple] = {}
    for position, (line, _) in doc.marks.items():
        if len(position) > len(by_line.get(line, ())):  # the innermost value on that line: the field itself
            by_line[line] = position
    sources = {(u.activity_id, u.period): u for u in updates}
    shown = []
    lines = sorted(by_line)
    for error in errors:
        # The value starting on the error's line, or before it (a line inside a `|` block text).
        index = bisect.bisect_right(lines, error.line) - 1
        position = by_line[lines[index]] if index >= 0 else ()
        update = None
        if "updates" in position:
            index = position.index("updates")
            activity = _get(doc.data, position[:index])
            entry = _get(doc.data, position[:index + 2])
            if isinstance(activity, dict) and isinstance(entry, dict):
                update = sources.get((str(activity.get("id")), str(entry.get("period"))))
        if update is None:
            shown.append(error.format())
            continue
        field = position[position.index("updates") + 2:]
        column = {"note": "note_" + str(field[1]) if len(field) > 1 else "note_fr"}.get(field[0] if field else "", "")
        column = column or {"date": "date"}.get(field[0] if field else "", "status")
        cell = update.cells.get(column, update.source)
        shown.append(f"{cell}: activity {update.activity_id}: {error.message}" + (f" ({error.hint})" if error.hint else ""))
    return shown


def _get(data, position: tuple):
    for step in position:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
