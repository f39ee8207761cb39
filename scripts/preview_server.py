"""Live preview only: MkDocs' live-reload server, serving each rebuild in stages and knowing the page being viewed."""
from __future__ import annotations

# MkDocs makes every request wait while a rebuild runs (`_visible_epoch` behind `_wanted_epoch`). Here the files of a
# rebuild are released in stages: the page a browser views and the theme files as soon as that page is built first
# (scripts/preview_first.py; the browsers reload then), each language's pages once they are all written, anything
# else (search indexes, sitemaps, feeds, downloads, 404.html: written at the end) when the whole rebuild is done. A
# request for a file not released yet waits, as MkDocs makes it wait: no file is served stale as fresh.

import logging
import os
import posixpath
import re
import threading
import time
import urllib.parse
from pathlib import Path
from stat import S_ISREG

from mkdocs.livereload import LiveReloadServer, _Handler

from scripts.preview_site import SiteWrites
from scripts.preview_watch import SaveWatch

log = logging.getLogger("mkdocs.sip.serve")
_POLL = re.compile(r"/livereload/([0-9]+)/[0-9]+")


def _now_ms() -> int:
    return round(time.monotonic() * 1000)  # MkDocs' epochs


class _QuietHandler(_Handler):
    def log_request(self, code="-", size="-"):
        if str(code) == "304":
            code = 200  # a theme file the browser has already: MkDocs would warn of any code but 200
        super().log_request(code, size)


class StagedServer(SaveWatch, LiveReloadServer):
    """The viewed page is the one whose live-reload script asked last: the script asks from the page it runs in."""

    def __init__(self, *args, later: tuple[str, ...] = (), site: SiteWrites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._later = later  # URL folders of the languages built after the default one
        self._site = site
        self._complete = self._wanted_epoch
        self._released_paths: frozenset[str] = frozenset()
        self._request = threading.local()  # the path being answered, for its language's error page
        self.error_handler = self.error_page
        self.RequestHandlerClass = _QuietHandler
        self.viewer: str | None = None  # relative to the site: 'en/pillars/1.html'
        self._loaded_epoch = 0  # the newest epoch a live-reload script asked from (it asks once its page has loaded)
        self._waiting = 0  # live-reload scripts waiting for the next reload: the browsers that will reload

    def serve_request(self, environ, start_response):
        self._request.path = path = environ.get("PATH_INFO", "")
        if not (m := _POLL.fullmatch(path)):
            return super().serve_request(environ, start_response)
        viewed = urllib.parse.unquote(urllib.parse.urlsplit(environ.get("HTTP_REFERER") or "").path)
        with self._epoch_cond:
            if viewed.startswith(self.mount_path):
                self.viewer = self._file_of(viewed)
            self._loaded_epoch = max(self._loaded_epoch, int(m[1]))
            self._waiting += 1
            self._epoch_cond.notify_all()
        try:
            return super().serve_request(environ, start_response)
        finally:
            with self._epoch_cond:
                self._waiting -= 1

    def viewed_page(self) -> str | None:
        """The page to build first: the one a browser shows, if one waits to reload (none: nobody to show it to)."""
        with self._epoch_cond:
            return self.viewer if self._waiting else None

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

    def wait_for_reload(self, timeout: float) -> None:
        """Until a page served since the release has loaded (its script asks again), or `timeout`: the rest of the
        rebuild would take the processor from the browser's reload."""
        with self._epoch_cond:
            self._epoch_cond.wait_for(lambda: self._loaded_epoch >= self._wanted_epoch, timeout=timeout)

    def rebuild_finished(self, ok: bool) -> None:
        with self._epoch_cond:
            if self._site.changed_after_release and self._visible_epoch == self._wanted_epoch:
                # A page released early came out different at the end (another page's title changed): reload again.
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

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if path.startswith("/livereload/"):
            return super()._serve_request(environ, start_response)
        with self._epoch_cond:
            self._epoch_cond.wait_for(lambda: self._released(path))
        # Theme files are tagged: a reload asks whether its copy is still good, and gets 304 instead of the file
        # again (0.04 s of a reload). Pages are not: each is sent with the live-reload script of its epoch.
        rel = posixpath.normpath("/" + self._file_of(path)).lstrip("/")  # as MkDocs finds the file
        try:
            stat = os.stat(os.path.join(self.root, rel))
        except OSError:
            stat = None
        if rel.endswith(".html") or stat is None or not S_ISREG(stat.st_mode):
            return super()._serve_request(environ, start_response)
        # scripts/preview_site.py replaces a changed file by another (a new inode): the tag changes with any change.
        tag = f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        headers = [("ETag", tag), ("Cache-Control", "no-cache")]
        if environ.get("HTTP_IF_NONE_MATCH") == tag:
            start_response("304 Not Modified", headers)
            return []

        def start(status, response_headers, exc_info=None):
            return start_response(status, response_headers + headers if status.startswith("200") else response_headers,
                                  exc_info)
        return super()._serve_request(environ, start)
