"""Live preview (`make serve`): rebuilds the pages on every save, reloads the page being viewed, survives mistakes.

A save can change pages, the search index, the feeds and the downloads: those are rebuilt, nothing else (no PDF,
no zip, no offline variant). Every problem is one line in the terminal, however fast the saves come: data
mistakes as the validator words them, anything else as 'preview not rebuilt: ...', never a traceback.

To show a save sooner: the save of the data is noticed as it is written (scripts/preview_watch.py); the page a
browser views is built first, alone, and the browsers reload then (scripts/preview_first.py); the whole site is
rebuilt after that page has loaded, in place (scripts/preview_site.py), reusing the Markdown conversions and
search entries of the pages whose inputs did not change (scripts/preview_reuse.py). Until a file of the rebuild is
written, a request for it waits, as MkDocs makes every request wait during a rebuild (scripts/preview_server.py):
no page is served stale as fresh. `serve.py -v` also shows each step's time.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True  # bytecode written under macros/ would look like an edit and trigger a rebuild

from macros.data.load import data_path, validate  # noqa: E402
from macros.messages import say  # noqa: E402
from scripts.preview_first import PageStates, build_first, language_of  # noqa: E402
from scripts.preview_reuse import Recent, RenderCache, SearchCache  # noqa: E402
from scripts.preview_site import SiteWrites  # noqa: E402
from scripts.preview_watch import settled_data  # noqa: E402

# Notice a save within a tenth of a second (MkDocs' default polls every half second); the tree watched is small.
POLL_S = 0.1
# The events of one save come in one poll: no need for MkDocs' tenth of a second of waiting for more.
BUILD_DELAY_S = 0.02
# A broken data file is shown only once it stays so this long (an editor may be writing the rest of it).
SETTLE_S = 0.3
# How long the rest of a rebuild waits for the browser to reload the page built first (a hidden tab never asks).
RELOAD_WAIT_S = 0.6


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
    if verbose:  # and the preview's own steps: which page was rebuilt first, when each language was written
        logging.getLogger("mkdocs.sip").setLevel(logging.DEBUG)


def _strict_warnings() -> bool:
    """Whether the build under way has logged a warning that its strict mode will turn into a failure."""
    from mkdocs.utils import CountHandler
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def serve(dev_addr: str) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin, event_priority

    from scripts.preview_server import StagedServer

    log = logging.getLogger("mkdocs.sip.serve")
    site_dir = tempfile.mkdtemp(prefix="sip-preview-")
    data = data_path()
    renders = RenderCache()
    renders.install()
    searches = SearchCache()
    searches.install()
    site = SiteWrites(site_dir)
    site.install()
    states = PageStates()
    states.install()
    recent = Recent()
    import macros.views.typography as typography  # read by overrides/hooks/french_typography.py at each rebuild
    typography.french_html = recent.wrap(typography.french_html)

    class Stages(BasePlugin):
        @event_priority(-90)  # before static-i18n's (-100), which builds the other languages
        def on_post_build(self, config, **kwargs):
            i18n = config.plugins.get("i18n")
            lang = getattr(i18n, "current_language", None)
            log.debug(f"Pages written: {lang} ({time.perf_counter() - started[0]:.2f} s)")
            if not getattr(i18n, "building", False) and not _strict_warnings():
                server.release("default language written")

    def load() -> object:
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=site_dir, dev_addr=dev_addr)
        config.site_url = server.url
        return config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=site_dir, dev_addr=dev_addr)
    host, port = config.dev_addr
    started = [time.perf_counter()]

    def builder(config=None) -> None:
        log.info("Building documentation...")
        started[0] = time.perf_counter()
        ok = valid = False
        try:
            site.next_rebuild()
            recent.next_rebuild()
            searches.next_rebuild()
            valid = settled_data(data, SETTLE_S)
            viewer = server.viewed_page()
            if config is None and valid and viewer and build_first(load(), viewer, language_of(viewer, later), states):
                log.debug(f"{viewer} rebuilt first ({time.perf_counter() - started[0]:.2f} s)")
                server.release(f"{viewer} rebuilt first")
                server.wait_for_reload(RELOAD_WAIT_S)
                log.debug(f"{viewer} reloaded ({time.perf_counter() - started[0]:.2f} s)")
            states.usable = False
            if config is None:
                config = load()
            else:
                config.site_url = server.url
            config.plugins["sip-preview-stages"] = Stages()
            build(config, serve_url=server.url)
            removed = site.remove_stale()
            states.usable, ok = valid, True
            log.debug(f"Every page rebuilt in {time.perf_counter() - started[0]:.2f} s"
                      + (f"; removed: {', '.join(removed)}" if removed else ""))
        except Exception as exc:  # noqa: BLE001 - whatever it is, one line and the last good pages stay served
            # SystemExit is how MkDocs' rebuild loop prints a message without a traceback; the browsers keep the page.
            raise SystemExit(say("preview_not_rebuilt", reason=one_line(exc))) from None
        finally:
            server.rebuild_finished(ok)
            log.debug(f"Markdown conversions: {renders.converted} made, {renders.reused} reused so far; "
                      f"search entries: {searches.indexed} pages indexed, {searches.reused} reused")

    later = tuple(f"{lang['locale']}/" for lang in config.plugins["i18n"].config.languages if not lang["default"]) \
        if "i18n" in config.plugins else ()
    server = StagedServer(builder=builder, host=host, port=port, root=site_dir, polling_interval=POLL_S, later=later,
                          site=site)
    server.build_delay = BUILD_DELAY_S
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
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also show MkDocs' and the plugins' INFO lines, and the preview's steps")
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
