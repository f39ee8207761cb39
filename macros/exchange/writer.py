"""The one way to write a data file: an exclusive lock over the whole read-validate-write, and no write over a change.

    with writer.writing(path, doing="writer_importing", again="writer_the_import"):
        plan = load_plan(path)            # read and check under the lock
        ...
        yamledit.write_if_valid(path, text)   # refused if the file changed since the lock was taken

Every command that writes `data/sip.yaml` (imports, translation import, translations update, a future
revision freeze) runs inside `writing()`. A second writer waits for the first (fcntl lock on a file beside the
data), then reads what the first wrote: two imports started together both land. An editor saving the file by hand
takes no lock, so the bytes read when the lock was taken are compared with the file's just before it is replaced.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..data.load import display_name
from ..messages import say


class Changed(Exception):
    """The data file changed between the lock being taken and the write: nothing was written."""


@dataclass
class Session:
    """A writer holding the lock on `path`: what the file was when the lock was taken."""

    path: Path
    digest: str
    doing: str                      # catalog keys: what was being done, and what to run again
    again: str

    def wrote(self, content: bytes) -> None:
        """This session replaced the file with `content`: later writes in it compare against that."""
        self.digest = hashlib.sha256(content).hexdigest()

    def verify(self) -> None:
        """Raise Changed if the file is no longer the one read under the lock."""
        if _digest(self.path) != self.digest:
            raise Changed(say("writer_changed", file=display_name(self.path), doing=say(self.doing), again=say(self.again)))


_HELD: dict[Path, Session] = {}


def lock_file(path: Path) -> Path:
    """The file the lock is taken on: beside the data, so that it lives on the same filesystem (and in .gitignore)."""
    return path.parent / f".{path.name}.lock"


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def held(path: Path) -> Session | None:
    """The session holding the lock on `path` in this process, if any."""
    return _HELD.get(Path(path).resolve())


@contextmanager
def writing(path: Path, doing: str = "writer_importing", again: str = "writer_the_import"):
    """Hold the exclusive lock on `path` for the block; re-entrant within one process (the outer session counts)."""
    path = Path(path).resolve()
    if path in _HELD:
        yield _HELD[path]
        return
    fd = os.open(lock_file(path), os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(say("writer_waiting", file=display_name(path)), file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        # The digest is taken once the lock is held, before anything is read.
        _HELD[path] = session = Session(path, _digest(path), doing, again)
        try:
            yield session
        finally:
            del _HELD[path]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
