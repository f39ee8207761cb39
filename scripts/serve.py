"""Live preview (`make serve`): rebuilds the pages on every save, reloads the page being viewed, survives mistakes.

A save can change pages, the search index, the feeds and the downloads: those are rebuilt, nothing else (no PDF,
no zip, no offline variant). Every problem is one line in the terminal, however fast the saves come: data
mistakes as the validator words them, anything else as 'preview not rebuilt: ...', never a traceback.
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True  # bytecode written under macros/ would look like an edit and trigger a rebuild

from macros.data.load import data_path, validate  # noqa: E402

# Notice a save within a tenth of a second (MkDocs' default polls every half second); the tree watched is small.
POLL_S = 0.1


def wait_until_valid(path: Path) -> None:
    """Print the problems, then wait for the file to be saved without errors before starting."""
    plan, problems = validate(path)
    if plan is not None:
        return
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    print("Waiting for the data to be fixed; the preview starts as soon as it is valid.", file=sys.stderr)
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


def _log_to_terminal() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def serve(dev_addr: str) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    log = logging.getLogger("mkdocs.sip.serve")
    site_dir = tempfile.mkdtemp(prefix="sip-preview-")
    data = data_path()

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=site_dir, dev_addr=dev_addr)
    host, port = config.dev_addr

    def builder(config=None) -> None:
        log.info("Building documentation...")
        try:
            if config is None:
                config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=site_dir, dev_addr=dev_addr)
            config.site_url = server.url
            build(config, serve_url=server.url)
        except Exception as exc:  # noqa: BLE001 - whatever it is, one line and the last good pages stay served
            # SystemExit is how MkDocs' rebuild loop prints a message without a traceback; the browsers keep the page.
            raise SystemExit(f"preview not rebuilt: {one_line(exc)}") from None

    server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir, polling_interval=POLL_S)
    server.error_handler = lambda code: _error_page(site_dir, code)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        try:
            builder(config)
        except SystemExit as exc:
            print(exc, file=sys.stderr)
        for path in [config.docs_dir, config.config_file_path, *config.watch, str(data)]:
            server.watch(path)
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


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="host:port to serve on")
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ["SIP_SERVE"] = "1"
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _log_to_terminal()
    wait_until_valid(data_path())
    serve(args.dev_addr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
