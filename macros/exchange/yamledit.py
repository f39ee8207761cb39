"""Change a data file in place, keeping its comments, key order and quoting, and only if the result validates."""
from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ruamel.yaml import YAML

from ..data.load import display_name, validate
from ..data.problems import Problem
from . import writer


def round_trip() -> YAML:
    """A YAML reader/writer that writes data/sip.yaml back as it was written: sequences flush with their key."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold the plan's long lines
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def load(path: Path):
    """The document at `path` as ruamel's commented mappings and sequences."""
    return round_trip().load(path.read_text(encoding="utf-8-sig"))


def dump(document) -> str:
    buffer = io.StringIO()
    round_trip().dump(document, buffer)
    return buffer.getvalue()


def write_if_valid(path: Path, text: str) -> list[Problem]:
    """Write `text` over `path` atomically if it validates; otherwise leave `path` untouched.

    Returns the errors that stopped the write (empty when written). The candidate is validated as a file
    beside the target, so messages point at real lines, then renamed over it (atomic on one filesystem).
    Runs under the writer's lock (macros/exchange/writer.py) and raises writer.Changed, writing nothing, if the
    file changed since the lock was taken.
    """
    path = Path(path)
    with writer.writing(path) as session:
        return _write_if_valid(path, text, session)


def _write_if_valid(path: Path, text: str, session: writer.Session) -> list[Problem]:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        plan, problems = validate(Path(tmp))
        # Messages name the data file itself: the candidate has the same lines.
        errors = [replace(p, file=display_name(path)) for p in problems if p.severity == "error"]
        if plan is None or errors:
            return errors
        session.verify()
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
        tmp = None
        session.wrote(text.encode("utf-8"))
        return []
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def edit(path: Path, change: Callable[[object], None]) -> tuple[bool, list[Problem]]:
    """Apply `change` to the document at `path` and write it back if it validates.

    Returns (changed, errors): changed is False when `change` left the text as it was (nothing written).
    """
    path = Path(path)
    with writer.writing(path):
        before = path.read_text(encoding="utf-8-sig")
        document = round_trip().load(before)
        change(document)
        after = dump(document)
        if after == before:
            return False, []
        errors = write_if_valid(path, after)
        return not errors, errors
