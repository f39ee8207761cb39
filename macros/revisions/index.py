"""The index of frozen revisions (`revisions/index.yaml`): read with line numbers, and one entry appended."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..data.load import display_name
from ..data.problems import Problem
from ..data.yamlnodes import read_document
from ..messages import Msg

HEADER = """\
# The frozen revisions of the plan, oldest first: written by `make revision-freeze`, never by hand.
# A frozen revision (revisions/<version>.yaml) is never edited: `make check` refuses a file whose sha256 is not
# the one recorded here. `manifest` is the permalink manifest of the links published while it was current.
revisions:
"""
# As in data/sip.schema.json (meta.version): the file name of a frozen revision.
VERSION = re.compile(r"[0-9]{4}-[0-9]{2}(?:[.-][0-9A-Za-z]+)*")
SHA256 = re.compile(r"[0-9a-f]{64}")
DATE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
_KEYS = {"version": VERSION, "sha256": SHA256, "frozen_on": DATE, "manifest": re.compile(r"[^\s\\]+\.json"),
         "manifest_sha256": SHA256}
_REQUIRED = ("version", "sha256")


@dataclass(frozen=True)
class Entry:
    """One frozen revision as the index records it; `line` is where its entry starts in the index."""

    version: str
    sha256: str
    line: int
    frozen_on: str | None = None
    manifest: str | None = None
    manifest_sha256: str | None = None


def read_index(path: Path) -> tuple[list[Entry], list[Problem]]:
    """The entries of the index at `path` (none if it does not exist) and every problem in it, with its line."""
    if not path.exists():
        return [], []
    name = display_name(path)
    doc = read_document(path.read_bytes(), name)
    if doc.problems:
        return [], doc.problems
    data = doc.data
    if not isinstance(data, dict) or set(data) != {"revisions"} or not isinstance(data["revisions"], (list, type(None))):
        return [], [Problem(name, 1, 1, "", Msg("index_shape"),
                            Msg("index_shape_hint", file=name))]
    entries, seen = [], {}
    for i, item in enumerate(data["revisions"] or ()):
        line = doc.mark(("revisions", i))[0]
        if not isinstance(item, dict):
            doc.problem(("revisions", i), "", Msg("index_entry_not_mapping"))
            continue
        where = f"revision {item.get('version')}" if isinstance(item.get("version"), str) else ""
        bad = False
        for key in _REQUIRED:
            if key not in item:
                doc.problem(("revisions", i), where, Msg("index_entry_missing", key=key), Msg("index_entry_missing_hint"))
                bad = True
        for key, value in item.items():
            pattern = _KEYS.get(key)
            if pattern is None:
                doc.problem(("revisions", i, key), where, Msg("schema_unknown_key", name=key), Msg("schema_allowed_keys", keys=", ".join(_KEYS)))
                bad = True
            elif not isinstance(value, str) or not pattern.fullmatch(value):
                doc.problem(("revisions", i, key), where, Msg("index_bad_value", key=key, value=repr(str(value)[:80])),
                            Msg("index_bad_value_hint"))
                bad = True
        if bad:
            continue
        version = item["version"]
        if version in seen:
            doc.problem(("revisions", i, "version"), where, Msg("index_twice", version=version, line=seen[version]),
                        Msg("index_twice_hint"))
            continue
        seen[version] = line
        entries.append(Entry(version, item["sha256"], line, item.get("frozen_on"), item.get("manifest"),
                             item.get("manifest_sha256")))
    return entries, doc.problems


def with_entry(path: Path, entry: Entry) -> str:
    """The index's text with `entry` appended (the header alone if the index does not exist yet)."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if not text.endswith("\n"):
        text += "\n"
    fields = [("version", entry.version), ("sha256", entry.sha256), ("frozen_on", entry.frozen_on),
              ("manifest", entry.manifest), ("manifest_sha256", entry.manifest_sha256)]
    lines = [f'{"- " if i == 0 else "  "}{key}: "{value}"' for i, (key, value) in enumerate(f for f in fields if f[1])]
    return text + "\n".join(lines) + "\n"
