"""Refuse a PO file bigger than any translation of the plan before polib parses it: file size, entry length, text.

One pass over the lines, counting each entry's msgstr as it goes: a 50 MB translation is refused at its line in
milliseconds, where polib takes a minute to parse it.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..messages import say

MIN_BOUND = 2_000_000  # bytes; a PO file of every text of the plan is about twice the data file
DATA_FACTOR = 4
MAX_ENTRY_CHARS = 4000  # the longest a text of the data may be (data/sip.schema.json, $defs/nonempty)
_KEYWORD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[[0-9]+\])?)\s+"(.*)"\s*\Z')
_CONTINUATION = re.compile(r'"(.*)"\s*\Z')
_ESCAPE = re.compile(r"\\.")


def bound(data_file: Path) -> int:
    try:
        return max(MIN_BOUND, DATA_FACTOR * data_file.stat().st_size)
    except OSError:
        return MIN_BOUND


def refusal(po_file: Path, po_name: str, data_file: Path) -> str | None:
    """One line naming the PO file (and line) when it cannot be a translation of the plan; None when polib may read it."""
    try:
        size = po_file.stat().st_size
    except OSError as exc:
        return f"{po_name}:1: " + say("po_unreadable", reason=exc.strerror or exc)
    limit = bound(data_file)
    if size > limit:
        return f"{po_name}:1: " + say("po_too_big", size=size / 1e6, limit=limit / 1e6)
    raw = po_file.read_bytes()
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        return f"{po_name}:{line}: " + say("po_binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return f"{po_name}:{line}: " + say("po_not_utf8")
    keyword, start, length = "", 0, 0
    for number, line in enumerate(text.split("\n"), start=1):
        found = _KEYWORD.match(line.strip())
        if found:
            previous, keyword, piece = keyword, found.group(1), found.group(2)
            if keyword in ("msgctxt", "msgid") and not previous.startswith(("msgctxt", "msgid")):
                start = number  # a new entry begins
            if keyword.startswith("msgstr"):
                length = 0
        elif keyword and (found := _CONTINUATION.match(line.strip())):
            piece = found.group(1)
        else:
            keyword = ""  # a comment or a blank line: the entry's strings are over
            continue
        if keyword.startswith("msgstr"):
            length += len(piece) - sum(len(e) - 1 for e in _ESCAPE.findall(piece))
            if length > MAX_ENTRY_CHARS:
                return f"{po_name}:{start}: " + say("po_entry_too_long", limit=f"{MAX_ENTRY_CHARS:,}")
    return None
