"""The offline bundle as a field reader gets it: unzipped, opened from file://, browsed and searched, no network.

The search checks are those of tests/test_search_online.py, run here against the unzipped bundle.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from test_search_online import (
    HOME,
    WORDS,
    check_activity_id_comes_first,
    check_activity_result_lands_on_its_anchor,
    check_word_finds_activities,
)

ROOT = Path(__file__).resolve().parent.parent
# Schemes that never reach another machine; anything else (http, https, ws, ...) means the bundle went online.
LOCAL_SCHEMES = {"file", "data", "blob", "about"}


@pytest.fixture(scope="module")
def bundle(site_dir: Path, plan) -> Path:
    """dist/sip-<version>[-<period>]-offline.zip, as `make build` left it next to the site."""
    from macros.exchange import names
    path = ROOT / "dist" / names.offline_zip(plan)
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make build`.", pytrace=False)
    return path


@pytest.fixture(scope="module")
def top(bundle: Path, plan) -> str:
    return bundle.name.removesuffix(".zip") + "/"


@pytest.fixture(scope="module")
def unzipped(bundle: Path, top: str, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)
    return folder / top


@pytest.fixture(scope="module")
def root(unzipped: Path) -> str:
    return unzipped.as_uri() + "/"


class Visit:
    """A browser tab on the bundle that remembers every request the pages made, and every script error."""

    def __init__(self, context) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        # Should anything try the network anyway, it is recorded above and never reaches the host.
        context.route(re.compile(r"^(?!file:|data:|blob:|about:)"), lambda route: route.abort())
        self.page = context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def outside(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).scheme not in LOCAL_SCHEMES]


@pytest.fixture
def visit(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Visit(context)
    context.close()


def test_zip_holds_one_folder_with_both_languages_and_the_bilingual_note(bundle, top, plan):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        note = archive.read(top + "LISEZMOI-README.txt").decode("utf-8")
    outside = [name for name in names if not name.startswith(top)]
    assert not outside, f"entries outside the single top folder {top}: {outside[:5]}"
    for page in ("index.html", "en/index.html", "pillars/1.html", "en/pillars/1.html",
                 "search/search_index.js", "en/search/search_index.js"):
        assert top + page in names, f"{top + page} is missing from {bundle.name}"
    assert plan.meta.version in note, f"the note does not name the data version {plan.meta.version}"
    import build  # scripts/, on the path through test_search_online
    from macros.views.as_of import as_of_sentence
    for lang in ("fr", "en"):  # the date the statuses speak for, in words, in both languages (ASCII, as the note is)
        said = build._ascii(as_of_sentence(plan, lang))
        assert said in note and plan.as_of.baseline[:4] in said, f"the note does not say {said!r}"
    assert re.search(r"fran[cç]ais", note, re.I) and re.search(r"english", note, re.I), "the note is not bilingual"
    assert "en/index.html" in note, "the note does not tell English readers which file to open"


def test_zip_has_no_source_maps(bundle):
    with zipfile.ZipFile(bundle) as archive:
        maps = [name for name in archive.namelist() if name.endswith(".map")]
    assert not maps, f"{len(maps)} source maps in the bundle, e.g. {maps[:3]}"


def test_zip_size_for_the_record(bundle, capsys):
    size = bundle.stat().st_size
    with capsys.disabled():
        print(f"\n{bundle.name}: {size / 1e6:.2f} MB ({size} bytes)")


# Each step: the link to click, then where it must land (relative to the bundle) and in which language.
TOUR = [
    ('.md-sidebar--primary a.md-nav__link[href="governance.html"]', "governance.html", "fr"),
    ('.md-sidebar--primary a.md-nav__link[href="pillars/1.html"]', "pillars/1.html", "fr"),
    ("language:en", "en/pillars/1.html", "en"),
    ('.md-sidebar--primary a.md-nav__link[href="../owners.html"]', "en/owners.html", "en"),
    ('.md-sidebar--primary a.md-nav__link[href="pillars/3.html"]', "en/pillars/3.html", "en"),
    ("language:fr", "pillars/3.html", "fr"),
    ('.md-sidebar--primary a.md-nav__link[href="../downloads.html"]', "downloads.html", "fr"),
    ("language:en", "en/downloads.html", "en"),
]


def test_reader_browses_pages_and_both_languages_from_file_urls(visit, root):
    page = visit.page
    page.goto(root + HOME["fr"])
    for link, expected, lang in TOUR:
        if link.startswith("language:"):
            page.hover(".md-header .md-select")
            link = f'.md-header a.md-select__link[hreflang="{link.split(":")[1]}"]'
        page.click(link)
        page.wait_for_url(root + expected)
        assert page.locator("html").get_attribute("lang") == lang, f"{expected} is not in {lang}"
        assert page.locator("article h1").count() == 1, f"{expected} has no page heading"
    assert not visit.errors, f"script errors while browsing the bundle: {visit.errors}"
    assert not visit.outside(), f"the bundle reached outside file://: {visit.outside()}"


@pytest.mark.parametrize(("lang", "query"), [(lang, word) for lang, words in WORDS.items() for word in words])
def test_activity_words_find_activities_offline_in_the_readers_language(visit, root, lang, query):
    check_word_finds_activities(visit.page, root, lang, query)
    assert not visit.outside(), f"search reached outside file://: {visit.outside()}"


@pytest.mark.parametrize("lang", HOME)
def test_an_activity_number_finds_that_activity_first_offline(visit, root, plan, lang):
    check_activity_id_comes_first(visit.page, root, lang, plan)
    assert not visit.outside(), f"search reached outside file://: {visit.outside()}"


@pytest.mark.parametrize(("lang", "query"), [("fr", "activité"), ("en", "activity")])
def test_clicking_an_activity_result_opens_it_at_its_anchor_offline(visit, root, lang, query):
    check_activity_result_lands_on_its_anchor(visit.page, root, lang, query)
    assert not visit.errors, f"script errors: {visit.errors}"
    assert not visit.outside(), f"search reached outside file://: {visit.outside()}"
