"""`make serve`: the page a browser views is rebuilt first and reloads, then the rest; the site ends as a full build."""
from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_serve import assert_one_line_messages, fetch, serving, wait_for

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"  # the theme and the sitemaps print the build date: the same for the preview and the full build
# One save changing both languages of activity 1.1.1.2.
FRENCH, ENGLISH = "les ONGN et les OBC.\n          en: Create a clear guidance note", "Create a FRESH guidance note"
EDIT = (FRENCH, "les ONGN et les OBC FRAÎCHE.\n          en: Create a FRESH guidance note")


@pytest.fixture()
def preview(tmp_path):
    """`serve.py -v` (its steps in the log) on a copy of the data: (base URL, edit(old, new), log path, data path)."""
    # The English pages are written after the French ones.
    with serving(tmp_path, "-v", ready="en/pillars/1.html", timeout=90, SOURCE_DATE_EPOCH=EPOCH) as (base, data, log):

        def edit(old: str, new: str) -> None:
            text = data.read_text(encoding="utf-8")
            assert old in text
            data.write_text(text.replace(old, new, 1), encoding="utf-8")
        yield base, edit, log, data


def steps_since(log: Path, mark: int) -> list[str]:
    """The log's lines after its first `mark` characters, without the level and MkDocs' clock."""
    lines = log.read_text()[mark:].splitlines()
    return [re.sub(r"\A\[\d\d:\d\d:\d\d\] ", "", line.split("-  ", 1)[-1]) for line in lines]


def index_of(lines: list[str], start: str) -> int:
    found = [i for i, line in enumerate(lines) if line.startswith(start)]
    assert found, f"no line '{start}' in:\n" + "\n".join(lines)
    return found[0]


def opened(page, url: str, log: Path) -> None:
    """Open `url` and wait until its live-reload script waits for the next reload (the preview then knows it)."""
    mark = len(log.read_text())
    page.goto(url, wait_until="load")
    assert wait_for(lambda: f"Browser connected: {url}" in log.read_text()[mark:], 30), log.read_text()[-2000:]


def content(page) -> str:
    """The page's HTML; when a reload is under way (a busy machine can send a second one once the whole site is
    rebuilt), the HTML of the page it loads."""
    from playwright.sync_api import Error
    for _ in range(20):
        try:
            return page.content()
        except Error as exc:
            if "navigating" not in str(exc):
                raise
            page.wait_for_load_state("load")
    return page.content()


@contextmanager
def viewing(browser, url: str, log: Path):
    """A tab showing `url`, its live-reload script waiting for the next reload; closed afterwards."""
    page = browser.new_page()
    try:
        opened(page, url, log)
        yield page
    finally:
        page.close()


def rebuilt(log: Path, mark: int) -> bool:
    return any(line.startswith("Every page rebuilt") for line in steps_since(log, mark))


def reconnected(log: Path, mark: int) -> bool:
    """Since `mark`, the browser has connected again after the last reload it was sent (a busy machine can send
    a second reload once the whole site is rebuilt: the browser waits for the next save only once back)."""
    lines = steps_since(log, mark)
    last = lambda start: max((i for i, line in enumerate(lines) if line.startswith(start)), default=-1)  # noqa: E731
    return last("Browser connected") > last("Reloading browsers")


def test_the_viewed_english_page_reloads_before_the_french_pages_are_rebuilt(preview, browser):
    base, edit, log, _ = preview
    with viewing(browser, base + "en/pillars/1.html", log) as page:
        mark = len(log.read_text())
        with page.expect_event("load", timeout=60_000):
            edit(*EDIT)
        assert ENGLISH in content(page)  # the page the load event shows has the save
        assert wait_for(lambda: rebuilt(log, mark), 60), log.read_text()[-3000:]
        lines = steps_since(log, mark)
        first = index_of(lines, "Reloading browsers (en/pillars/1.html rebuilt first)")
        assert first < index_of(lines, "Pages written: fr") < index_of(lines, "Pages written: en"), lines
        # One save, one rebuild: the two watchers (notifications and polling) see the same save.
        assert sum(line.startswith("Building documentation") for line in lines) == 1, lines
        assert not any("changed since" in line for line in lines), lines  # the page built first was the final one


def test_a_save_shows_in_the_viewed_page_and_over_http_in_both_languages(preview, browser):
    base, edit, log, _ = preview
    with viewing(browser, base + "pillars/1.html", log) as page:
        with page.expect_event("load", timeout=60_000):
            edit(*EDIT)
        assert "FRAÎCHE" in content(page)
        # Fetched at once, while the rest is rebuilt: each waits for its own page, never gets the old one.
        assert "FRAÎCHE" in fetch(base + "pillars/1.html")
        assert ENGLISH in fetch(base + "en/pillars/1.html")
        assert "FRAÎCHE" in fetch(base + "print.html") and ENGLISH in fetch(base + "en/print.html")


def test_the_served_site_is_what_a_full_build_makes(preview, browser, tmp_path):
    base, edit, log, data = preview
    with viewing(browser, base + "pillars/2.html", log) as page:
        mark = len(log.read_text())
        with page.expect_event("load", timeout=60_000):
            edit(*EDIT)
        assert wait_for(lambda: rebuilt(log, mark), 60), log.read_text()[-3000:]
    served = Path(re.search(r"documentation to directory: (\S+)", log.read_text())[1])
    built = tmp_path / "built"
    env = dict(os.environ, SIP_DATA=str(data), SIP_SERVE="1", SITE_URL=base, SOURCE_DATE_EPOCH=EPOCH,
               NO_MKDOCS_2_WARNING="1")
    env.pop("SIP_LANGUAGE", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(built)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]

    def files(folder: Path) -> dict[str, bytes]:
        # A gzip file records when it was written: its content is compared.
        return {p.relative_to(folder).as_posix(): gzip.decompress(p.read_bytes()) if p.suffix == ".gz"
                else p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    preview_files, full = files(served), files(built)
    assert sorted(preview_files) == sorted(full)
    assert [name for name in full if preview_files[name] != full[name]] == []


def test_a_title_changed_elsewhere_reloads_the_viewed_page_once_more(preview, browser):
    # The page built first takes the other pages' titles from the last rebuild; the whole rebuild then writes it
    # with the new title in its navigation, and the browsers reload again.
    base, edit, log, _ = preview
    with viewing(browser, base + "pillars/1.html", log) as page:
        mark = len(log.read_text())
        edit("    fr: Normes et politique\n", "    fr: Normes et politique RENOMMÉES\n")
        # In the navigation and the footer's link to the next page.
        page.wait_for_function("document.querySelector('.md-footer__link--next')?.innerText.includes('RENOMMÉES')",
                               timeout=30_000)
        assert wait_for(lambda: rebuilt(log, mark), 60)
        lines = steps_since(log, mark)
        assert index_of(lines, "Reloading browsers (pillars/1.html rebuilt first)") < \
            index_of(lines, "Reloading browsers (a page shown first has changed since)"), lines


def test_a_data_mistake_shows_the_error_page_and_the_fix_the_page_again(preview, browser):
    base, edit, log, _ = preview
    with viewing(browser, base + "en/pillars/1.html", log) as page:
        with page.expect_event("load", timeout=60_000):
            edit("- partnerships-wg\n", "- partnerships-wgx\n")
        assert "owner 'partnerships-wgx' is not defined" in page.inner_text("article")
        mark = len(log.read_text())
        with page.expect_event("load", timeout=60_000):
            edit("- partnerships-wgx\n", "- partnerships-wg\n")
        assert "partnerships-wgx" not in content(page) and "a-1.1.1.2" in content(page)
        # A save that breaks nothing, once the fix is rebuilt and the page waits for the next reload: built first again.
        assert wait_for(lambda: rebuilt(log, mark) and reconnected(log, mark), 60)
        mark = len(log.read_text())
        with page.expect_event("load", timeout=60_000):
            edit(*EDIT)
        assert ENGLISH in content(page)
        assert wait_for(lambda: rebuilt(log, mark), 60)
        assert "Reloading browsers (en/pillars/1.html rebuilt first)" in steps_since(log, mark)
        assert_one_line_messages(log.read_text())


def test_a_reload_gets_304_for_an_unchanged_file_and_a_changed_file_again(preview):
    import urllib.error
    import urllib.request
    base, edit, log, _ = preview

    def get(path: str, tag: str | None = None) -> tuple[int, str, bytes]:
        request = urllib.request.Request(base + path, headers={"If-None-Match": tag} if tag else {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers.get("ETag"), response.read()
        except urllib.error.HTTPError as error:  # urllib raises for a 304
            return error.code, error.headers.get("ETag"), b""

    status, tag, _ = get("assets/sip.css")
    assert status == 200 and tag and get("assets/sip.css", tag)[0] == 304
    status, index_tag, before = get("search/search_index.json")
    assert get("pillars/1.html", "anything")[0] == 200  # pages are always sent: each carries its epoch's script
    mark = len(log.read_text())
    edit(*EDIT)
    assert wait_for(lambda: rebuilt(log, mark), 60)
    status, new_tag, after = get("search/search_index.json", index_tag)
    assert status == 200 and new_tag != index_tag and "FRAÎCHE" in after.decode("utf-8") and after != before
    assert "304" not in log.read_text()  # a file the browser has already is no warning
