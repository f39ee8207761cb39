"""`make serve`: edits re-render the pages, a broken edit keeps the server alive and says why, a fix recovers."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@contextmanager
def serving(folder: Path, *args: str, copy_data: bool = True, ready: str = "pillars/1.html", timeout: float = 60,
            **env: str):
    """`scripts/serve.py *args` on a free port, on a copy of the real data in `folder` (or the data itself), until
    `ready` shows activity 1.1.1.2: (base URL, data path, log path); the server is stopped on leaving."""
    data = folder / "sip.yaml" if copy_data else ROOT / "data" / "sip.yaml"
    if copy_data:
        data.write_text((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    port = free_port()
    log = folder / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **({"SIP_DATA": str(data)} if copy_data else {}), **env)
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "scripts/serve.py", *args, "-a", f"127.0.0.1:{port}"], cwd=ROOT,
                                  env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: "a-1.1.1.2" in fetch(base + ready), timeout), log.read_text()[-3000:]
        yield base, data, log
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture()
def preview(tmp_path):
    """A live preview of a copy of the data, and a function to rewrite that copy."""
    with serving(tmp_path) as (base, data, log):
        url = base + "pillars/1.html"

        def edit(old: str, new: str, slow: bool = False) -> None:
            text = data.read_text(encoding="utf-8")
            assert old in text
            text = text.replace(old, new, 1)
            if not slow:
                data.write_text(text, encoding="utf-8")
                return
            # As some editors save: the file is replaced, then written in two steps.
            data.unlink()
            time.sleep(0.05)
            with data.open("w", encoding="utf-8") as out:
                out.write(text[: len(text) // 2])
                out.flush()
                time.sleep(0.15)
                out.write(text[len(text) // 2:])
        yield url, edit, log


def test_a_data_edit_rerenders_the_page(preview):
    url, edit, _ = preview
    edit("Créer une note d'orientation claire sur les rôles", "Créer une note NOUVELLE sur les rôles")
    assert wait_for(lambda: "Créer une note NOUVELLE" in fetch(url))


def test_a_broken_edit_is_reported_and_a_fix_recovers_without_restart(preview):
    url, edit, log = preview
    edit("- partnerships-wg\n", "- partnerships-wgx\n")
    # The terminal gets the validator's one-line message; the server keeps answering, with the error shown.
    assert wait_for(lambda: "owner 'partnerships-wgx' is not defined" in log.read_text())
    assert "Traceback" not in log.read_text()
    assert wait_for(lambda: "partnerships-wgx" in fetch(url))
    edit("- partnerships-wgx\n", "- partnerships-wg\n")
    assert wait_for(lambda: "partnerships-wgx" not in fetch(url) and "a-1.1.1.2" in fetch(url))


def test_rapid_saves_give_one_line_messages_and_never_a_traceback(preview):
    url, edit, log = preview
    good = "- partnerships-wg\n"
    # Broken and fixed again and again, as an editor saving on every keystroke: bursts batched into one rebuild,
    # and saves that land while a rebuild is under way (one started on valid data finds it broken, and back).
    # Half the saves are written in two steps (the file is empty or cut short for a moment), half replace the file.
    for step, pause in enumerate((0.02, 0.02, 0.2, 0.3, 0.4, 0.5, 0.35, 0.25, 0.45, 0.6)):
        edit(good, "- partnerships-wgx\n")
        time.sleep(pause)
        edit("- partnerships-wgx\n", good, slow=step % 2 == 0)
        time.sleep(pause)
    edit(good, "- partnerships-wgz\n")
    assert wait_for(lambda: "partnerships-wgz" in fetch(url) and "'partnerships-wgz' is not defined" in log.read_text(), 60)
    edit("- partnerships-wgz\n", good)
    assert wait_for(lambda: "partnerships-wgz" not in fetch(url) and "a-1.1.1.2" in fetch(url), 60)
    assert_one_line_messages(log.read_text())


def assert_one_line_messages(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text
    for line in text.splitlines():
        # Every line is a log line, a validator message (file:line:column) or the preview's own one-line notes.
        assert (line.startswith(("INFO", "WARNING", "ERROR", "DEBUG")) or ".yaml:" in line
                or line.startswith(("Fix the data", "preview not rebuilt:", "Waiting for the data"))
                or line.endswith(" the site was not built.")), line


def test_a_data_file_missing_for_a_while_is_still_watched_when_it_comes_back(preview, tmp_path):
    # Editors that save by delete-and-rename leave no file for a moment; a poll that finds it missing must not end the
    # watch (watchdog's polling emitter of a single file stops for good then, and every later save went unseen).
    url, edit, log = preview
    data = tmp_path / "sip.yaml"
    text = data.read_text(encoding="utf-8")
    data.unlink()
    time.sleep(1.5)  # many polls (every 0.1 s) find no file, and perhaps a rebuild runs without it
    data.write_text(text.replace("Créer une note d'orientation claire sur les rôles", "Créer une note REVENUE sur les rôles", 1),
                    encoding="utf-8")
    assert wait_for(lambda: "Créer une note REVENUE" in fetch(url), 60), log.read_text()[-2000:]
    edit("Créer une note REVENUE", "Créer une note ENCORE")
    assert wait_for(lambda: "Créer une note ENCORE" in fetch(url), 60), log.read_text()[-2000:]
    assert_one_line_messages(log.read_text())


def test_a_save_reloads_the_page_being_viewed(preview, browser):
    url, edit, _ = preview
    page = browser.new_page()
    try:
        viewed = url.replace("/pillars/1.html", "/en/pillars/2.html")
        page.goto(viewed, wait_until="load")
        page.locator("#a-2\\.1\\.1\\.1").scroll_into_view_if_needed()
        with page.expect_event("load", timeout=60_000):
            edit("Review/map global humanitarian logistics knowledge", "Review/map RELOADED global humanitarian logistics knowledge")
        page.wait_for_function("document.body && document.body.innerText.includes('RELOADED')", timeout=30_000)
        assert page.url == viewed
    finally:
        page.close()


def test_a_save_shows_in_both_languages_and_no_page_is_served_stale(preview, browser):
    # The page viewed last is built first and the browsers reload then, while the whole site is rebuilt: a page of
    # either language asked for from that moment on is the new one (a request for a page not written yet waits).
    url, edit, log = preview
    english_url = url.replace("/pillars/1.html", "/en/pillars/1.html")
    french, english = browser.new_page(), browser.new_page()
    try:
        french.goto(url, wait_until="load")
        english.goto(english_url, wait_until="load")
        with french.expect_event("load", timeout=60_000):
            # One save changing both languages of activity 1.1.1.2.
            edit("les ONGN et les OBC.\n          en: Create a clear guidance note",
                 "les ONGN et les OBC FRAÎCHE.\n          en: Create a FRESH guidance note")
        # Right after the French page reloaded: the English one, fetched now, already has its edit.
        assert "Create a FRESH guidance note" in fetch(english_url)
        french.wait_for_function("document.body && document.body.innerText.includes('FRAÎCHE')", timeout=30_000)
        english.wait_for_function("document.body && document.body.innerText.includes('FRESH')", timeout=30_000)
        # The page opened last, built first; or the French pages, if its browser had not asked yet when the save came.
        assert re.search(r"Reloading browsers \((en/pillars/1\.html rebuilt first|default language written)\)",
                         log.read_text())
    finally:
        french.close()
        english.close()


def test_the_error_page_speaks_the_page_s_language_keeps_no_repeated_navigation_and_the_log_is_quiet(preview):
    """Issue 22: the French frame held an English message and the navigation 14 identical error entries; the
    terminal showed static-i18n and macros INFO lines on every rebuild."""
    from bs4 import BeautifulSoup

    url, edit, log = preview
    edit("- partnerships-wg\n", "- partnerships-wgx\n")
    english_url = url.replace("/pillars/1.html", "/en/pillars/1.html")
    assert wait_for(lambda: "partnerships-wgx" in fetch(url) and "partnerships-wgx" in fetch(english_url), 60)
    for address, said, not_said in ((url, "responsable « partnerships-wgx » introuvable dans les données", "is not defined"),
                                    (english_url, "owner 'partnerships-wgx' is not defined", "introuvable")):
        page = BeautifulSoup(fetch(address), "html.parser")
        text = " ".join(page.article.get_text(" ").replace("\u00a0", " ").replace("\u202f", " ").split())
        assert said in text and not_said not in text, text[:600]
        # The real navigation, or none (Material's `hide: [navigation]` marks the sidebar hidden).
        titles = [a.get_text(" ", strip=True) for a in page.select(".md-sidebar--primary:not([hidden]) .md-nav__link")]
        heading = page.article.h1.get_text(" ", strip=True).rstrip("¶").strip()
        assert titles.count(heading) <= 1, f"the navigation repeats '{heading}' {titles.count(heading)} times"
    text = log.read_text()
    assert "[macros]" not in text and "i18n" not in text.lower(), text[-2000:]
    ours = ("Serving on", "Detected file changes", "Building documentation", "Reloading browsers", "Shutting down")
    said = [re.sub(r"\A\[\d\d:\d\d:\d\d\] ", "", line.split("-  ", 1)[-1]) for line in text.splitlines()
            if line.startswith("INFO")]
    assert not [line for line in said if not line.startswith(ours)], text[-2000:]
    assert any(line.startswith("Serving on http://") for line in said), text[-2000:]  # the address to open
