"""`make serve`: a missing address is answered with the 404 page of its language (English under /en/)."""
from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.test_serve import fetch, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent


class _Lang(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = None

    def handle_starttag(self, tag, attrs):
        if tag == "html" and self.lang is None:
            self.lang = dict(attrs).get("lang")


def missing(url: str) -> tuple[int, str]:
    """The status and the <html lang> of the page answering `url`."""
    try:
        urllib.request.urlopen(url, timeout=10)
    except urllib.error.HTTPError as error:
        parser = _Lang()
        parser.feed(error.read().decode("utf-8"))
        return error.code, parser.lang
    raise AssertionError(f"{url} was found")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "scripts/serve.py", "-a", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        # The English pages, and en/404.html with them, are written after the French ones.
        assert wait_for(lambda: "a-1.1.1.2" in fetch(base + "en/pillars/1.html"), 90), log.read_text()
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("address, lang", [
    ("en/no-such-page.html", "en"), ("en/pillars/9.html", "en"), ("en/missing/", "en"),
    ("no-such-page.html", "fr"), ("pillars/9.html", "fr"), ("english/x.html", "fr"),
])
def test_a_missing_page_shows_the_404_of_its_language(preview, address, lang):
    code, shown = missing(preview + address)
    assert code == 404
    assert shown == lang, f"{address}: the 404 page is in '{shown}'"
