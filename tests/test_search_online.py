"""Search on the served site: one index per language, forgiving accents and plurals, activity ids found first.

The checks are plain functions so that tests/test_offline_bundle.py runs the very same ones over file://.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from search_eval import RANKED  # noqa: E402  (each result as a reader meets it, the eval's own reading)

HOME = {"fr": "index.html", "en": "en/index.html"}
# What a French reader may type for "activités", and what an English reader types.
WORDS = {"fr": ("activites", "activités", "activité"), "en": ("activities", "activity")}
ACTIVITY_ID = "2.3.3.1"
ACTIVITY_LINK = re.compile(r"(en/)?pillars/[^/#]+\.html#a-[\w.-]+")

# Material renders the result count with the page's own translations: once it reads like one of them, the
# search worker has answered (before that it shows "Initializing search", then the placeholder).
_SEARCH_ANSWERED = """() => {
  const t = JSON.parse(document.getElementById("__config").textContent).translations;
  const meta = document.querySelector(".md-search-result__meta").textContent.trim();
  const many = new RegExp("^" + t["search.result.other"].replace("#", "\\\\d+") + "$");
  return meta === t["search.result.none"] || meta === t["search.result.one"] || many.test(meta);
}"""
# ... and the results are for `query`: Material puts the words it searched for in each link's ?h=.
_SEARCH_ANSWERED_FOR = """query => Array.from(document.querySelectorAll(".md-search-result__item a.md-search-result__link"))
  .some(a => new URL(a.href).searchParams.get("h") === query)"""


@dataclass(frozen=True)
class Results:
    meta: str
    links: tuple[str, ...]  # result links relative to the site root, without Material's ?h= highlight query
    raw: tuple[str, ...]    # the same links as the browser resolved them
    ranked: tuple[str, ...] = ()  # one link per result, the element it leads to, best first

    @property
    def activity_links(self) -> list[str]:
        return [link for link in self.links if ACTIVITY_LINK.fullmatch(link)]

    @property
    def section_links(self) -> list[str]:
        return [link for link in self.links if "#" in link]


def site_relative(href: str, root: str) -> str:
    """'file:///tmp/x/sip/pillars/2.html?h=2.3#a-2.3.3.1' -> 'pillars/2.html#a-2.3.3.1' for root 'file:///tmp/x/sip/'."""
    assert href.startswith(root), f"search result {href} points outside the site {root}"
    address, _, fragment = href[len(root):].partition("#")
    return address.partition("?")[0] + (f"#{fragment}" if fragment else "")


def search(page, root: str, query: str) -> Results:
    """Type `query` into Material's search box as a reader would and read the results it lists."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.type(query, delay=30)
    # Material reads the box on keyup, and Playwright types letters missing from its US layout (é) without
    # key events: one more key press makes Material see the whole query.
    box.press("End")
    # Material searches as one types: wait for the answer to the whole query, not to its first letters.
    try:
        page.wait_for_function(_SEARCH_ANSWERED_FOR, arg=query, timeout=5_000)
    except PlaywrightTimeout:
        page.wait_for_function(_SEARCH_ANSWERED, timeout=5_000)  # no result at all: the checks below say so
    meta = page.locator(".md-search-result__meta").inner_text().strip()
    # Material renders the first ten results (one per page), then more as the list scrolls: render them all.
    found = int(re.search(r"\d+", meta).group()) if re.search(r"\d+", meta) else 0
    items = page.locator(".md-search-result__item")
    for _ in range(20):
        if items.count() >= found:
            break
        # Material loads more when the list's end comes into view: leave it, then come back to it.
        page.eval_on_selector(".md-search__scrollwrap", "wrap => wrap.scrollTo(0, 0)")
        page.wait_for_timeout(50)
        page.eval_on_selector(".md-search__scrollwrap", "wrap => wrap.scrollTo(0, wrap.scrollHeight)")
        page.wait_for_timeout(150)
    assert items.count() == found, f"search for {query!r}: {meta!r} but {items.count()} results rendered"
    # Every link of every result, those folded under "N more on this page" included, best first.
    raw = tuple(page.eval_on_selector_all(".md-search-result__item a.md-search-result__link",
                                          "links => links.map(a => a.href)"))
    # Material puts the words it searched for in each link's ?h=: they must be what the reader typed.
    searched = {value for href in raw for value in parse_qs(urlsplit(href).query).get("h", [])}
    assert not raw or query in searched, f"typed {query!r}, Material searched for {sorted(searched)}"
    ranked = tuple(site_relative(href, root) for href in page.evaluate(RANKED))
    return Results(meta, tuple(site_relative(href, root) for href in raw), raw, ranked)


def in_language(link: str, lang: str) -> bool:
    return link.startswith("en/") if lang == "en" else not link.startswith("en/")


def open_home(page, root: str, lang: str) -> None:
    page.goto(root + HOME[lang])
    assert page.locator("html").get_attribute("lang") == lang


def check_word_finds_activities(page, root: str, lang: str, query: str) -> None:
    """`query` lists activities on pillar pages, and every result is a page of the reader's language."""
    open_home(page, root, lang)
    results = search(page, root, query)
    assert results.links, f"{lang} search for {query!r} found nothing ({results.meta!r})"
    assert results.activity_links, (f"{lang} search for {query!r} lists no activity (#a-…) on a pillar page; "
                                    f"first results: {results.links[:8]}")
    foreign = [link for link in results.links if not in_language(link, lang)]
    assert not foreign, f"{lang} search for {query!r} links to pages of the other language: {foreign[:5]}"


def check_activity_id_comes_first(page, root: str, lang: str, plan) -> None:
    """Typing an activity's number gives that activity as the best match, on its pillar page."""
    activity = next(a for a in plan.activities if a.id == ACTIVITY_ID)
    prefix = "" if lang == "fr" else "en/"
    expected = f"{prefix}pillars/{activity.pillar_id}.html#{activity.anchor}"
    open_home(page, root, lang)
    results = search(page, root, activity.id)
    assert results.links and results.links[0].partition("#")[0] == expected.partition("#")[0], \
        f"{lang} search for {activity.id}: the first page listed is not its pillar: {results.links[:4]}"
    assert results.ranked[:1] == (expected,), \
        f"{lang} search for {activity.id}: expected {expected} first, got {results.ranked[:4]}"


def check_activity_result_lands_on_its_anchor(page, root: str, lang: str, query: str) -> None:
    """Clicking an activity in the results opens its pillar page at that activity's #a-… anchor."""
    open_home(page, root, lang)
    results = search(page, root, query)
    assert results.activity_links, f"{lang} search for {query!r} lists no activity to click"
    target = results.activity_links[0]
    anchor = target.partition("#")[2]
    link = page.locator(".md-search-result__item a.md-search-result__link").nth(results.links.index(target))
    if not link.is_visible():  # folded under "N more on this page"
        link.locator("xpath=ancestor::details").locator("summary").click()
    # Bringing a far result into view makes Material render more results: let the list settle, then click.
    link.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    link.click()
    page.wait_for_url(lambda url: site_relative(url, root) == target, timeout=10_000)
    assert page.locator(f'[id="{anchor}"]').count() == 1, f"{target}: the page has no element #{anchor}"
    assert page.locator("html").get_attribute("lang") == lang


@pytest.fixture
def root(base_url: str) -> str:
    return base_url + "/"


@pytest.mark.parametrize(("lang", "query"), [(lang, word) for lang, words in WORDS.items() for word in words])
def test_activity_words_find_activities_in_the_readers_language(page, root, lang, query):
    check_word_finds_activities(page, root, lang, query)


@pytest.mark.parametrize("lang", HOME)
def test_an_activity_number_finds_that_activity_first(page, root, plan, lang):
    check_activity_id_comes_first(page, root, lang, plan)


@pytest.mark.parametrize(("lang", "query"), [("fr", "activité"), ("en", "activity")])
def test_clicking_an_activity_result_opens_it_at_its_anchor(page, root, lang, query):
    check_activity_result_lands_on_its_anchor(page, root, lang, query)
