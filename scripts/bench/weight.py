"""The page weight runner: a first visit's bytes in Chromium and the offline bundle."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
import time
from pathlib import Path

from .common import REAL_PLAN, ROOT
from .preview import launch_chromium
from .sizes import page_sizes, site_mb

from macros.data.model import LANGUAGES  # noqa: E402

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def first_visits(site: Path) -> dict:
    """Bytes a first visit fetches (response bodies, no cache, plain localhost server) for the home page and
    the largest pillar page, per language; search's index, fetched by its web worker, included."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pillar = page_sizes(site)["pillar"]
    visits = {}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for lang in LANGUAGES:
                prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
                for kind, path in (("home", "index.html"), ("pillar", pillar[lang]["page"])):
                    context = browser.new_context()
                    responses = []
                    context.on("response", lambda response: responses.append(response))
                    page = context.new_page()
                    page.goto(base + prefix + path, wait_until="networkidle")
                    page.wait_for_timeout(1000)  # the search worker loads its index after the page
                    files = {}
                    for response in responses:
                        with contextlib.suppress(Exception):
                            files[response.url.removeprefix(base)] = len(response.body())
                    context.close()
                    visits.setdefault(kind, {})[lang] = {"kb": round(sum(files.values()) / 1e3, 1), "requests": len(files),
                                                         "largest": sorted(files.items(), key=lambda f: -f[1])[:4]}
            browser.close()
    finally:
        server.shutdown()
    return visits


def offline_zip(work: Path) -> dict:
    """The offline bundle of the real plan, made by scripts/build.py's own functions in a scratch folder."""
    import build as project_build

    from macros.data.load import load_plan
    plan = load_plan(REAL_PLAN)
    folder = work / "offline"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    saved = os.environ.pop("SIP_DATA", None)
    try:
        start = time.perf_counter()
        project_build.mkdocs_build(folder / "site", offline=True)
        built = time.perf_counter() - start
    finally:
        if saved is not None:
            os.environ["SIP_DATA"] = saved
    from macros.exchange import names
    zip_path = folder / names.offline_zip(plan)
    project_build.write_bundle(folder / "site", zip_path, plan)
    result = {"zip_mb": round(zip_path.stat().st_size / 1e6, 2), "offline_build_s": round(built, 2),
              "unpacked_mb": site_mb(folder / "site")}
    published = ROOT / "dist" / zip_path.name
    if published.exists():
        result["dist_zip_mb"] = round(published.stat().st_size / 1e6, 2)
    shutil.rmtree(folder / "site", ignore_errors=True)
    return result
