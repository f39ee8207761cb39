"""Live preview only: MkDocs' live-reload server, serving each rebuild in stages."""
from __future__ import annotations

# MkDocs makes every request wait while a rebuild runs (`_visible_epoch` behind `_wanted_epoch`). Here the files of a
# rebuild are released in stages: the default language's pages and the theme files once they are all written (the
# browsers reload then), anything
# else (search indexes, sitemaps, feeds, downloads, 404.html: written at the end) when the whole rebuild is done. A
# request for a file not released yet waits, as MkDocs makes it wait: no file is served stale as fresh.

import logging
import os
import threading
import time
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from scripts.preview_site import SiteWrites

log = logging.getLogger("mkdocs.sip.serve")


def _now_ms() -> int:
    return round(time.monotonic() * 1000)  # MkDocs' epochs


class StagedServer(LiveReloadServer):
    """Releases the files written so far at each stage; the rest waits."""

    def __init__(self, *args, later: tuple[str, ...] = (), site: SiteWrites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._later = later  # URL folders of the languages built after the default one
        self._site = site
        self._complete = self._wanted_epoch
        self._released_paths: frozenset[str] = frozenset()
        self._request = threading.local()  # the path being answered, for its language's error page
        self.error_handler = self.error_page

    def serve_request(self, environ, start_response):
        self._request.path = environ.get("PATH_INFO", "")
        return super().serve_request(environ, start_response)

    def error_page(self, code: int) -> bytes | None:
        """The 404 or 500 page in the language of the address asked for: en/404.html for any address under /en/."""
        if code not in (404, 500):
            return None
        rel = self._relative(getattr(self._request, "path", ""))
        folder = next((lang for lang in self._later if rel.startswith(lang) or rel + "/" == lang), "")
        for page in (Path(self.root) / folder / f"{code}.html", Path(self.root) / f"{code}.html"):
            if page.is_file():
                return page.read_bytes()
        return None

    def _relative(self, path: str) -> str:
        """The address asked for, relative to the site's root ('en/pillars/1.html')."""
        return path[len(self.mount_path):] if path.startswith(self.mount_path) else path.lstrip("/")

    def _file_of(self, path: str) -> str:
        """The file answering `path`, relative to the site ('en/index.html' for '/en/')."""
        rel = self._relative(path)
        return rel + "index.html" if rel == "" or rel.endswith("/") else rel

    def release(self, reason: str) -> None:
        """Serve the files of this rebuild written so far; the browsers reload at the first release."""
        with self._epoch_cond:
            self._released_paths = self._site.release()
            if self._visible_epoch != self._wanted_epoch:
                log.info(f"Reloading browsers ({reason})")
                self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def rebuild_finished(self, ok: bool) -> None:
        with self._epoch_cond:
            if self._site.changed_after_release and self._visible_epoch == self._wanted_epoch:
                # A page released early came out different at the end: reload again.
                log.info("Reloading browsers (a page shown first has changed since)")
                self._wanted_epoch = max(self._wanted_epoch + 1, _now_ms())
            elif not ok and self._visible_epoch != self._wanted_epoch:
                self._wanted_epoch = self._visible_epoch  # failed: the browsers keep their page, nothing waits
            self._complete = self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def _released(self, path: str) -> bool:
        if self._complete == self._wanted_epoch:
            return True
        return os.path.normpath(os.path.join(self.root, self._file_of(path))) in self._released_paths

    def watch_file(self, path: Path) -> None:
        """Rebuild when this one file changes, even if an editor replaces it: watching the file itself stops for
        good at the first poll that finds it missing (watchdog's polling emitter), and later saves go unseen."""
        import watchdog.events
        name = os.path.normcase(os.path.abspath(path))

        def callback(event) -> None:
            touched = {os.path.normcase(os.path.abspath(p)) for p in (event.src_path, getattr(event, "dest_path", ""))
                       if p}
            if not event.is_directory and name in touched:
                with self._rebuild_cond:
                    self._want_rebuild = True
                    self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback
        self.observer.schedule(handler, os.path.dirname(name), recursive=False)

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if not path.startswith("/livereload/"):
            with self._epoch_cond:
                self._epoch_cond.wait_for(lambda: self._released(path))
        return super()._serve_request(environ, start_response)
