"""Live preview only: a save of the data is noticed at once, each save starts one rebuild, a broken one is waited on."""
from __future__ import annotations

# MkDocs polls the files it watches (every 0.1 s here, scripts/serve.py): half a poll, on average, between a save and
# its rebuild. The data file's folder is also watched by the system's own notifications (inotify on Linux), which
# come as the file is written; polling stays, for the file systems that notify nothing. The data file's content
# tells a new save from the same one seen again (by the other watcher, or as a build reads the file).

import hashlib
import logging
import os
import threading
import time
from pathlib import Path

import watchdog.events

log = logging.getLogger("mkdocs.sip.serve")


def _content(path: str) -> str | None:
    try:
        with open(path, "rb") as data:
            return hashlib.sha1(data.read()).hexdigest()
    except OSError:
        return None  # missing for a moment: an editor replacing it


def _touched(event) -> set[str]:
    """The paths an event is about (a move has two), as the data file's name is kept."""
    return {os.path.normcase(os.path.abspath(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p}


class SaveWatch:
    """Mixed into MkDocs' LiveReloadServer: `watch` as MkDocs' own, `watch_file` for the data file."""

    _data_name = ""
    _data_seen: str | None = None
    _seen_lock = threading.Lock()
    _native = None

    def _request_rebuild(self, event) -> None:
        if event.is_directory:
            return
        touched = _touched(event)
        if self._data_name in touched:
            with self._seen_lock:
                seen = _content(self._data_name)
                if touched == {self._data_name} and seen == self._data_seen:
                    return  # this save was noticed already (or the file was only read)
                self._data_seen = seen
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
        """MkDocs' LiveReloadServer.watch (1.6), telling a new save of the data file from the same one seen again."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self._request_rebuild
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def watch_file(self, path) -> None:
        """Rebuild when this one file changes, even if an editor replaces it: watching the file itself stops for
        good at the first poll that finds it missing (watchdog's polling emitter), and later saves go unseen."""
        name = os.path.normcase(os.path.abspath(path))
        self._data_name = name
        self._data_seen = _content(name)

        def callback(event) -> None:
            if name in _touched(event):
                self._request_rebuild(event)

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback
        self.observer.schedule(handler, os.path.dirname(name), recursive=False)
        try:
            from watchdog.observers import Observer  # the system's notifications where it has them
            native = Observer()
            native.schedule(handler, os.path.dirname(name), recursive=False)
            native.daemon = True
            native.start()
            self._native = native
        except Exception as exc:  # noqa: BLE001 - no notifications here (or too many watches): polling alone
            log.debug(f"data file watched by polling only: {exc}")

    def shutdown(self, wait: bool = False) -> None:
        if self._native is not None:
            self._native.stop()
        super().shutdown(wait)


def _data_valid(path: Path) -> bool:
    from macros.data.load import load_plan
    try:
        load_plan(path)  # kept for the build's own load (by the file's size and time)
    except Exception:  # noqa: BLE001 - a data error, or the file missing for a moment
        return False
    return True


def settled_data(path: Path, settle_s: float) -> bool:
    """Whether the data is valid: at once if it is, else once it has stayed the same for `settle_s` (an editor that
    writes a file in several steps leaves it broken for a moment: not worth an error page if the rest comes)."""
    def stamp():
        try:
            stat = path.stat()
            return stat.st_mtime_ns, stat.st_size, stat.st_ino
        except OSError:
            return None
    seen, since = stamp(), time.monotonic()
    while not _data_valid(path):
        while stamp() == seen:
            if time.monotonic() - since >= settle_s:
                return False
            time.sleep(0.02)
        seen, since = stamp(), time.monotonic()
    return True
