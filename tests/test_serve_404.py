"""`make serve`: a missing address is answered with the 404 page of its language (English under /en/)."""
from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser

import pytest

from tests.test_serve import serving


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
    # The English pages, and en/404.html with them, are written after the French ones.
    with serving(tmp_path_factory.mktemp("serve"), copy_data=False, ready="en/pillars/1.html", timeout=90) as served:
        yield served[0]


@pytest.mark.parametrize("address, lang", [
    ("en/no-such-page.html", "en"), ("en/pillars/9.html", "en"), ("en/missing/", "en"),
    ("no-such-page.html", "fr"), ("pillars/9.html", "fr"), ("english/x.html", "fr"),
])
def test_a_missing_page_shows_the_404_of_its_language(preview, address, lang):
    code, shown = missing(preview + address)
    assert code == 404
    assert shown == lang, f"{address}: the 404 page is in '{shown}'"
