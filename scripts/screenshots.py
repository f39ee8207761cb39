"""Full-page screenshots of the built site on a desktop and a phone, for a human to look at before a release.

Builds nothing: run `make build` first. Writes tests/artifacts/screenshots/<lang>-<page>-<width>.png, e.g.
`en-pillars-1-390.png`.
"""
from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SITE = ROOT / "site"
OUT = ROOT / "tests" / "artifacts" / "screenshots"
PAGES = ("index.html", "pillars/1.html", "dashboard.html", "owners.html")
VIEWPORTS = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})
# The same Chromium and flags as tests/conftest.py: Debian's build, offline, no sandbox in containers.
from macros.system_tools import find_chromium  # noqa: E402 - the project's one lookup

CHROMIUM = find_chromium() or "chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


def shoot(base_url: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for viewport in VIEWPORTS:
            # A phone has a touch screen and a denser display; Material's layout keys on width alone.
            phone = viewport["width"] < 600
            context = browser.new_context(viewport=viewport, device_scale_factor=2 if phone else 1,
                                          is_mobile=phone, has_touch=phone)
            page = context.new_page()
            for lang in ("fr", "en"):
                for name in PAGES:
                    page.goto(f"{base_url}/{'' if lang == 'fr' else 'en/'}{name}")
                    path = OUT / f"{lang}-{name.removesuffix('.html').replace('/', '-')}-{viewport['width']}.png"
                    page.screenshot(path=str(path), full_page=True)
                    written.append(path)
            context.close()
        browser.close()
    return written


def main() -> int:
    if not (SITE / "index.html").exists():
        print("site/ is not built: run `make build` first.", file=sys.stderr)
        return 1
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        written = shoot(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
