"""The translator's kit: re-record the lock, export the texts to review as a PO file, import them back.

    python -m macros.exchange.translations update                 # make translations-update
    python -m macros.exchange.translations export [--which new,changed|all] [--output FILE.po]
    python -m macros.exchange.translations import FILE.po         # make translation-import FILE=...

A PO entry is one field: msgctxt is its path (see macros/data/translation_lock.py), msgid the current French,
msgstr the current English. Entries of texts to review are marked fuzzy; the translator revises the English and
clears the mark. Import is all or nothing: any refused entry leaves data/sip.yaml and the lock untouched.
"""
from __future__ import annotations

import argparse
import bisect
import os
import re
import sys
import tempfile
from pathlib import Path

import polib
from ruamel.yaml.scalarstring import (DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString,
                                      SingleQuotedScalarString)

from .. import environment
from ..data.text_check import odd_line_break
from ..data.load import data_path, display_name, validate
from ..data.translation_lock import NEW, STALE, fields, fingerprint, lock_path, lock_text, read_lock, review_states
from ..data.yamlnodes import read_document
from ..messages import say
from . import po_bounds, writer, yamledit

WHICH = (NEW, "changed", "all")
_STATE_OF = {NEW: NEW, "changed": STALE}


class TranslationError(Exception):
    """A refusal, with every problem as a file:line message."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _locations(path: Path) -> dict[tuple, int]:
    """The line of every value of the data file, to point translators at it."""
    doc = read_document(path.read_bytes(), display_name(path))
    return {p: mark[0] for p, mark in doc.marks.items()}


def _element(name: str) -> str:
    """'pillars/1/outcomes/1.1/text' -> 'outcome 1.1, text': what the field belongs to, as a reader says it."""
    parts = name.split("/")
    kinds = {"pillars": "pillar", "outcomes": "outcome", "outputs": "output", "activities": "activity",
             "owners": "owner", "statuses": "status", "sections": "section", "entries": "glossary entry",
             "footnotes": "footnote", "commitments": "commitment", "acronyms": "acronym", "updates": "update",
             "retired": "retired activity"}
    owner, rest = "", parts
    for index in range(len(parts) - 1):
        if parts[index] in kinds:
            owner, rest = f"{kinds[parts[index]]} {parts[index + 1]}", parts[index + 2:]
    return f"{owner}, {'/'.join(rest)}" if owner else name


def export(path: Path, which: set[str]) -> polib.POFile:
    """The fields a translator must look at (new, changed, or all) as a PO catalogue."""
    data = yamledit.load(path)
    lock = read_lock(path)
    states = {name: state for name, _, _, state in review_states(data, lock if lock is not None else {})}
    lines = _locations(path)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": f"SIP {path.name}", "Language": "en", "Source-Language": "fr",
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    wanted = {_STATE_OF[w] for w in which if w in _STATE_OF}
    for name, position, texts in fields(data):
        state = states.get(name)
        if "all" not in which and state not in wanted:
            continue
        note = {NEW: "new: the English was never checked against this French",
                STALE: "changed: the French changed since the English was last checked"}.get(state, "current")
        po.append(polib.POEntry(msgctxt=name, msgid=str(texts["fr"]).strip(), msgstr=str(texts["en"]).strip(),
                                comment=f"{_element(name)} ({note})",
                                occurrences=[(display_name(path), str(lines.get(position + ("en",), 1)))],
                                flags=["fuzzy"] if state else []))
    return po


def _restyle(old, new: str):
    """`new` written the way the old English was (block, quoted or plain), so the file keeps its look."""
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(new + ("\n" if str(old).endswith("\n") else ""))
    if isinstance(old, FoldedScalarString):
        return FoldedScalarString(new + ("\n" if str(old).endswith("\n") else ""))
    if "\n" in new:
        return LiteralScalarString(new + "\n")
    for style in (DoubleQuotedScalarString, SingleQuotedScalarString):
        if isinstance(old, style):
            return style(new)
    return new


def import_po(path: Path, po_file: Path) -> tuple[list[str], list[str]]:
    """Merge the translations of `po_file` into the data file at `path`; returns (imported fields, notices).

    Raises TranslationError (nothing written) if any entry is refused. Holds the writers' lock throughout.
    """
    with writer.writing(path, doing="writer_importing", again="writer_the_import"):
        return _import_po(Path(path), Path(po_file))


def _import_po(path: Path, po_file: Path) -> tuple[list[str], list[str]]:
    po_name = display_name(po_file)
    if not Path(po_file).is_file():  # polib would parse the name itself as PO text
        raise TranslationError([f"{po_name}:1: " + say("po_no_file")])
    refused = po_bounds.refusal(Path(po_file), po_name, Path(path))
    if refused:
        raise TranslationError([refused])
    try:
        po = polib.pofile(str(po_file), wrapwidth=0)
    except Exception as exc:  # noqa: BLE001 - whatever polib raises on a file that is not PO: one line, no traceback
        reason = " ".join(str(exc).split()) or type(exc).__name__
        line = re.search(r"line ([0-9]+)", reason)
        raise TranslationError([f"{po_name}:{line.group(1) if line else 1}: " + say("po_polib_refused", reason=reason[:200])]) from None
    data = yamledit.load(path)
    by_name = {name: texts for name, _, texts in fields(data)}
    errors, notices, chosen = [], [], {}
    for entry in po:
        where = f"{po_name}:{entry.linenum}"
        if entry.obsolete:
            continue
        if entry.fuzzy:
            notices.append(f"{where}: " + say("po_fuzzy", field=entry.msgctxt))
            continue
        texts = by_name.get(entry.msgctxt or "")
        if texts is None:
            errors.append(f"{where}: " + say("po_unknown_field", field=entry.msgctxt, file=display_name(path)))
        elif not entry.msgstr.strip():
            errors.append(f"{where}: " + say("po_empty", field=entry.msgctxt))
        elif odd_line_break(entry.msgstr):
            message, hint = odd_line_break(entry.msgstr)
            errors.append(f"{where}: " + say("po_odd_break", field=entry.msgctxt, problem=message, hint=hint))
        elif not _same(entry.msgid, str(texts["fr"])):
            errors.append(f"{where}: " + say("po_stale", field=entry.msgctxt))
        elif entry.msgctxt in chosen:
            errors.append(f"{where}: " + say("po_twice", field=entry.msgctxt))
        else:
            chosen[entry.msgctxt] = entry.msgstr.strip()
    if errors:
        raise TranslationError(errors)

    for name, _, texts in fields(data):
        if name in chosen and not _same(chosen[name], str(texts["en"])):
            texts["en"] = _restyle(texts["en"], chosen[name])
    text = yamledit.dump(data)
    problems = yamledit.write_if_valid(path, text) if text != Path(path).read_text(encoding="utf-8-sig") else []
    if problems:
        entries = {entry.msgctxt: entry.linenum for entry in po if entry.msgctxt in chosen}
        raise TranslationError([f"{po_name}: " + say("po_invalid_result")]
                               + [_at_entry(p, text, entries, po_name) for p in problems])
    if read_lock(path) is not None:  # an untracked data file stays untracked
        record(path, set(chosen))
    return sorted(chosen), notices


def _at_entry(problem, text: str, entries: dict, po_name: str) -> str:
    """A problem of the candidate data, at the PO entry whose translation it is in (its English value's lines);
    any other problem (an editor's note that no longer finds its quote...) stays at its line in the data."""
    doc = read_document(text.encode("utf-8"), "candidate")
    lines = sorted({line for line, _ in doc.marks.values()})
    for name, position, _ in fields(doc.data):
        if name not in entries or position + ("en",) not in doc.marks:
            continue
        start = doc.marks[position + ("en",)][0]
        following = bisect.bisect_right(lines, start)
        end = lines[following] - 1 if following < len(lines) else start + text.count("\n")
        if start <= problem.line <= max(start, end):
            hint = f" ({problem.hint})" if problem.hint else ""
            return f"{po_name}:{entries[name]}: '{name}': {problem.message}{hint}"
    return problem.format()


def record(path: Path, only: set[str] | None = None) -> Path:
    """Re-record the French fingerprints (all fields, or `only` these) in the lock beside `path`, atomically."""
    data = yamledit.load(path)
    lock = lock_path(path)
    text = lock_text(data, path.name, read_lock(path), only)
    fd, tmp = tempfile.mkstemp(prefix=f".{lock.name}.", dir=lock.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    session = writer.held(path)
    try:
        if session is not None:  # the fingerprints are of the data read under the lock: still the file's?
            session.verify()
        os.replace(tmp, lock)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return lock


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.exchange.translations", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="record that every English text was checked against the current French")
    exporting = commands.add_parser("export", help="write the texts to translate as a PO file")
    exporting.add_argument("--which", default="new,changed", help="new, changed or all (comma-separated)")
    exporting.add_argument("--output", default="sip-translation.po")
    importing = commands.add_parser("import", help="merge a translated PO file into the data file")
    importing.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    environment.require()
    path = data_path()
    if args.command == "export":
        return _run(args, path)
    doing, again = {"update": ("writer_recording", "writer_translations_update"),
                    "import": ("writer_importing", "writer_the_import")}[args.command]
    try:
        with writer.writing(path, doing=doing, again=again):
            return _run(args, path)
    except writer.Changed as exc:
        print(exc, file=sys.stderr)
        return 1


def _run(args, path: Path) -> int:
    _, problems = validate(path)
    if any(p.severity == "error" for p in problems):
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        print(say("translations_fix_first", file=display_name(path)), file=sys.stderr)
        return 1
    if args.command == "update":
        lock = record(path)
        print(say("translations_recorded", lock=display_name(lock), file=display_name(path)))
        return 0
    if args.command == "export":
        which = {w.strip() for w in args.which.split(",") if w.strip()}
        if not which or which - set(WHICH):
            print(say("translations_which", which=args.which), file=sys.stderr)
            return 2
        po = export(path, which)
        po.save(args.output)
        print(say("translations_exported", file=args.output, count=len(po), which=', '.join(sorted(which))))
        return 0
    try:
        imported, notices = import_po(path, args.file)
    except TranslationError as exc:
        print("\n".join(exc.messages), file=sys.stderr)
        print(say("translations_refused", file=display_name(args.file), data=display_name(path)), file=sys.stderr)
        return 1
    for notice in notices:
        print(notice, file=sys.stderr)
    print(say("translations_imported", file=display_name(path), count=len(imported), lock=display_name(lock_path(path))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
