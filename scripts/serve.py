"""Live preview (`make serve`): rebuilds the pages on every save, reloads the page being viewed, survives mistakes.

A save can change pages, the search index, the feeds and the downloads: those are rebuilt, nothing else (no PDF,
no zip, no offline variant). Every problem is one line in the terminal, however fast the saves come: data
mistakes as the validator words them, anything else as 'preview not rebuilt: ...', never a traceback.

To show a save sooner: a page's Markdown is converted again, and its search entries made again, only if their inputs
changed (scripts/preview_reuse.py),
and the browsers reload as soon as the default language's pages are written, while the other languages build
(static-i18n builds them from the default language's end of build). Until a language's pages are written, a
request for them waits, as MkDocs makes every request wait during a rebuild: no page is served stale as fresh.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True  # bytecode written under macros/ would look like an edit and trigger a rebuild

from macros.data.load import data_path, validate  # noqa: E402
from macros.messages import say  # noqa: E402
from scripts.preview_reuse import Recent, RenderCache, SearchCache  # noqa: E402

# Notice a save within a tenth of a second (MkDocs' default polls every half second); the tree watched is small.
POLL_S = 0.1


def wait_until_valid(path: Path) -> None:
    """Print the problems, then wait for the file to be saved without errors before starting."""
    plan, problems = validate(path)
    if plan is not None:
        return
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    print(say("preview_waiting"), file=sys.stderr)
    seen = path.stat().st_mtime_ns
    while plan is None:
        time.sleep(0.5)
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            continue  # an editor replacing the file: it is back in a moment
        if stamp != seen:
            seen = stamp
            plan, problems = validate(path)
            for problem in problems:
                print(problem.format(), file=sys.stderr)


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _ours(record: logging.LogRecord) -> bool:
    """Without -v the terminal shows warnings, the preview's own lines and the address it serves on; the plugins'
    INFO lines (static-i18n, macros, MkDocs' build steps) on every rebuild read as warnings to non-developers."""
    # MkDocs' live-reload server puts the time first ("[08:01:02] Serving on ..."); the save noticed is ours too.
    message = _CLOCK.sub("", record.getMessage(), count=1)
    return (record.levelno >= logging.WARNING or record.name.startswith("mkdocs.sip")
            or message.startswith(_MKDOCS_OWN))


_CLOCK = re.compile(r"\A\[\d\d:\d\d:\d\d\] ")
# MkDocs' lines that the quiet terminal keeps: matched, not printed by us (hence not in the message catalog).
_MKDOCS_OWN = ("Serving on", "Detected file changes")


def _log_to_terminal(verbose: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    if not verbose:
        handler.addFilter(_ours)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _strict_warnings() -> bool:
    """Whether the build under way has logged a warning that its strict mode will turn into a failure."""
    from mkdocs.utils import CountHandler
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


class CopiedOnce:
    """Each rebuild copies a theme file once: static-i18n's later language builds would copy the shared assets
    again, rewriting files that the reloaded pages of the default language are already loading."""

    def __init__(self) -> None:
        self.done: set[tuple[str, str]] = set()
        self.written: set[str] = set()  # their destinations, as absolute paths

    def clear(self) -> None:
        self.done, self.written = set(), set()

    def install(self) -> None:
        from mkdocs.structure.files import File
        original = File.copy_file

        def copy_file(file, dirty: bool = False) -> None:
            key = (file.abs_src_path, file.abs_dest_path)
            if file.generated_by is None and key in self.done and os.path.isfile(file.abs_dest_path):
                return
            original(file, dirty)
            if file.generated_by is None:
                self.done.add(key)
                self.written.add(os.path.normpath(file.abs_dest_path))
        File.copy_file = copy_file


def _staged_server(LiveReloadServer):
    class StagedServer(LiveReloadServer):
        """MkDocs' live-reload server, reloading the browsers once the default language's pages are written.

        MkDocs makes every request wait while a rebuild runs (`_visible_epoch` behind `_wanted_epoch`); here the
        default language's pages and the theme files already copied are released as soon as they are written,
        anything else (other languages, search indexes, sitemaps, 404.html: written at the end) when the whole
        rebuild is done."""

        def __init__(self, *args, later: tuple[str, ...] = (), copied: CopiedOnce, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._later = later  # URL folders of the languages built after the default one
            self._copied = copied
            self._complete = self._early = self._wanted_epoch
            self._request = threading.local()  # the path being answered, for its language's error page
            self.error_handler = self.error_page

        def serve_request(self, environ, start_response):
            self._request.path = environ.get("PATH_INFO", "")
            return super().serve_request(environ, start_response)

        def error_page(self, code: int) -> bytes | None:
            """The 404 or 500 page in the language of the address asked for: en/404.html for any address under /en/."""
            if code not in (404, 500):
                return None
            path = getattr(self._request, "path", "")
            rel = self._relative(path)
            folder = next((lang for lang in self._later if rel.startswith(lang) or rel + "/" == lang), "")
            for page in (Path(self.root) / folder / f"{code}.html", Path(self.root) / f"{code}.html"):
                if page.is_file():
                    return page.read_bytes()
            return None

        def _relative(self, path: str) -> str:
            """The address asked for, relative to the site's root ('en/pillars/1.html')."""
            return path[len(self.mount_path):] if path.startswith(self.mount_path) else path.lstrip("/")

        def default_language_written(self) -> None:
            with self._epoch_cond:
                logging.getLogger("mkdocs.sip.serve").info("Reloading browsers (default language written)")
                self._early = self._visible_epoch = self._wanted_epoch
                self._epoch_cond.notify_all()

        def rebuild_finished(self) -> None:
            with self._epoch_cond:
                self._complete = self._wanted_epoch
                self._epoch_cond.notify_all()

        def _released(self, path: str) -> bool:
            if self._complete == self._wanted_epoch:
                return True
            if self._early != self._wanted_epoch:
                return False
            rel = self._relative(path)
            name = rel.rsplit("/", 1)[-1]
            page = rel == "" or rel.endswith("/") or (name.endswith(".html") and name != "404.html")
            return (page and not rel.startswith(self._later)
                    or os.path.normpath(os.path.join(self.root, rel)) in self._copied.written)

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

    return StagedServer


def serve(dev_addr: str) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.plugins import BasePlugin, event_priority

    log = logging.getLogger("mkdocs.sip.serve")
    site_dir = tempfile.mkdtemp(prefix="sip-preview-")
    data = data_path()
    renders = RenderCache()
    renders.install()
    searches = SearchCache()
    searches.install()
    copies = CopiedOnce()
    copies.install()
    recent = Recent()
    import macros.views.typography as typography  # read by overrides/hooks/french_typography.py at each rebuild
    typography.french_html = recent.wrap(typography.french_html)

    class Stages(BasePlugin):
        @event_priority(-90)  # before static-i18n's (-100), which builds the other languages
        def on_post_build(self, config, **kwargs):
            i18n = config.plugins.get("i18n")
            if not getattr(i18n, "building", False) and not _strict_warnings():
                server.default_language_written()

    def configured(config):
        config.site_url = server.url
        config.plugins["sip-preview-stages"] = Stages()
        return config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=site_dir, dev_addr=dev_addr)
    host, port = config.dev_addr

    def builder(config=None) -> None:
        log.info("Building documentation...")
        try:
            if config is None:
                config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=site_dir, dev_addr=dev_addr)
            copies.clear()
            recent.next_rebuild()
            searches.next_rebuild()
            build(configured(config), serve_url=server.url)
        except Exception as exc:  # noqa: BLE001 - whatever it is, one line and the last good pages stay served
            # SystemExit is how MkDocs' rebuild loop prints a message without a traceback; the browsers keep the page.
            raise SystemExit(say("preview_not_rebuilt", reason=one_line(exc))) from None
        finally:
            server.rebuild_finished()
            log.debug(f"Markdown conversions: {renders.converted} made, {renders.reused} reused so far; "
                      f"search entries: {searches.indexed} pages indexed, {searches.reused} reused")

    later = tuple(f"{lang['locale']}/" for lang in config.plugins["i18n"].config.languages if not lang["default"]) \
        if "i18n" in config.plugins else ()
    server = _staged_server(LiveReloadServer)(builder=builder, host=host, port=port, root=site_dir,
                                              polling_interval=POLL_S, later=later, copied=copies)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        try:
            builder(config)
        except SystemExit as exc:
            print(exc, file=sys.stderr)
        for path in [config.docs_dir, config.config_file_path, *config.watch]:
            server.watch(path)
        server.watch_file(data)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def main() -> int:
    from macros import environment
    environment.require()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="host:port to serve on")
    parser.add_argument("-v", "--verbose", action="store_true", help="also show MkDocs' and the plugins' INFO lines")
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ["SIP_SERVE"] = "1"
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _log_to_terminal(args.verbose)
    wait_until_valid(data_path())
    serve(args.dev_addr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
