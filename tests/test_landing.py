"""Landing on the element: the language switcher keeps it (online and from file://), a search result card leads to
it from every clickable part, the table of contents highlights it, and an anchor inside a collapsed block opens it."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from test_search_online import search

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
OTHER = {"fr": "en", "en": "fr"}
# The brief's own example, then one anchor of each kind of page that has anchors (picked from the built pages).
KINDS = {"pillars/2.html": "a-", "owners.html": "-pillar-", "glossary.html": "acronym-", "annex.html": "commitment-"}


def path_in(lang: str, name: str) -> str:
    return name if lang == "fr" else f"en/{name}"


def anchors(site: Path) -> list[str]:
    """'page#anchor' to switch on: pillars/2.html#a-2.2.1.3 if it exists, and the last anchor of each kind."""
    found = []
    for name, marker in KINDS.items():
        doc = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
        ids = [el["id"] for el in doc.article.select("[id]") if marker in el["id"]]
        assert ids, f"{name} has no anchor with {marker!r}"
        if name == "pillars/2.html" and "a-2.2.1.3" in ids:
            found.append(f"{name}#a-2.2.1.3")
        found.append(f"{name}#{ids[-1]}")
    return found


def in_view(page, anchor: str) -> bool:
    return page.evaluate("""id => { const el = document.getElementById(id); if (!el) return false;
        const r = el.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }""", anchor)


def switch(page, lang: str) -> None:
    page.hover(".md-header .md-select")
    page.click(f'.md-header a.md-select__link[hreflang="{lang}"]')


def check_switching_keeps_the_element(page, root: str, target: str) -> None:
    name, _, anchor = target.partition("#")
    page.goto(root + target)
    assert in_view(page, anchor), f"{target} is not in view to begin with"
    for lang in ("en", "fr"):
        switch(page, lang)
        page.wait_for_url(root + path_in(lang, name) + "#" + anchor)
        page.wait_for_timeout(150)
        assert page.locator("html").get_attribute("lang") == lang
        assert in_view(page, anchor), f"after switching to {lang}, #{anchor} is not in view on {page.url}"


@pytest.fixture(scope="module")
def offline_root(site_dir, plan, tmp_path_factory) -> str:
    from macros.exchange import names

    folder = tmp_path_factory.mktemp("landing-offline")
    with zipfile.ZipFile(ROOT / "dist" / names.offline_zip(plan)) as bundle:
        bundle.extractall(folder)
        top = {name.split("/", 1)[0] for name in bundle.namelist()}.pop()
    return (folder / top).as_uri() + "/"


def test_switching_language_keeps_the_element_online(page, site_dir, base_url):
    for target in anchors(site_dir):
        check_switching_keeps_the_element(page, base_url + "/", target)


def test_switching_language_keeps_the_element_with_a_site_address(browser, published_build):
    """With SITE_URL the pages carry hreflang alternates, and Material's own switcher handling is active too."""
    import functools
    import http.server
    import threading

    from conftest import QuietHandler

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(QuietHandler, directory=str(published_build.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/pillars/2.html")
        assert page.locator('link[rel="alternate"][hreflang="en"]').count() == 1
        for target in anchors(published_build.site)[:2]:
            check_switching_keeps_the_element(page, f"http://127.0.0.1:{server.server_address[1]}/", target)
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_switching_language_keeps_the_element_offline(browser, site_dir, offline_root):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        for target in anchors(site_dir):
            check_switching_keeps_the_element(page, offline_root, target)
    finally:
        context.close()


def test_the_switcher_follows_a_fragment_set_after_the_page_opened(page, site_dir):
    """A fragment set by a click inside the page (or by Copy link's replaceState) is carried as well."""
    page.goto("/pillars/2.html")
    anchor = page.locator("h4.sip-activity-heading").nth(3).get_attribute("id")
    page.locator(f'a.sip-copy[href="#{anchor}"]').click()
    switch(page, "en")
    page.wait_for_url(re.compile(re.escape(f"/en/pillars/2.html#{anchor}") + "$"))


@pytest.mark.parametrize(("lang", "query"), [("fr", "formation"), ("en", "training"), ("fr", "2.2.1.3")])
def test_every_part_of_a_result_card_leads_to_its_element(page, base_url, lang, query):
    root = base_url + "/"
    page.goto(root + path_in(lang, "index.html"))
    results = search(page, root, query)
    assert results.section_links, f"{query!r}: no result about an element"
    cards = page.eval_on_selector_all(".md-search-result__item", """items => items.map(item => {
        const links = Array.from(item.querySelectorAll("a.md-search-result__link"));
        const element = links.find(a => a.querySelector("h2"));
        return {first: links[0].href, element: element ? element.href : null}; })""")
    about_elements = [card for card in cards if card["element"]]
    assert about_elements
    for card in about_elements:
        assert card["first"] == card["element"], f"the card's first line goes to {card['first']}, not {card['element']}"
    # The big first line, clicked as on a phone, lands on the element.
    page.locator(".md-search-result__item").first.locator("a.md-search-result__link").first.click()
    anchor = about_elements[0]["element"].partition("#")[2]
    page.wait_for_url(re.compile("#" + re.escape(anchor) + "$"))
    page.wait_for_timeout(150)
    assert in_view(page, anchor)


def test_a_result_card_is_reached_and_opened_with_the_keyboard_and_axe_finds_nothing_grave(page, base_url):
    root = base_url + "/"
    page.goto(root + "index.html")
    results = search(page, root, "formation")
    target = results.ranked[0]
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make setup` (npm ci installs axe-core).", pytrace=False)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("() => axe.run({include: ['.md-search']})")
    grave = [f"{v['id']}: {v['help']}" for v in found["violations"] if v["impact"] in ("serious", "critical")]
    assert not grave, grave
    page.locator("input.md-search__input").focus()
    page.keyboard.press("ArrowDown")  # Material moves the focus to the first result's first line
    focused = page.evaluate("document.activeElement.href")
    assert focused and focused.partition("#")[2] == target.partition("#")[2], focused
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("#" + re.escape(target.partition("#")[2]) + "$"))


@pytest.mark.parametrize("lang", ("fr", "en"))
def test_the_table_of_contents_highlights_the_element_landed_on(page, site_dir, lang):
    doc = BeautifulSoup((site_dir / path_in(lang, "pillars/2.html")).read_text(encoding="utf-8"), "html.parser")
    listed = [a["href"] for a in doc.select(".md-nav--secondary a.md-nav__link")]
    # An outcome, an output and activities from the start, the middle and the end of the page.
    picks = [next(h for h in listed if "#outcome-" in h), next(h for h in listed if "#output-" in h)]
    activities = [h for h in listed if "#a-" in h]
    picks += [activities[1], activities[len(activities) // 2], activities[-2], activities[-1]]
    for href in picks:
        page.goto(path_in(lang, "pillars/2.html") + href)
        page.wait_for_timeout(300)
        active = page.eval_on_selector_all(".md-nav--secondary a.md-nav__link--active",
                                           "links => links.map(a => a.getAttribute('href'))")
        assert active and set(active) == {href}, f"landed on {href}, the contents highlight {active}"


@pytest.mark.parametrize("lang", ("fr", "en"))
def test_an_anchor_inside_a_collapsed_owner_list_opens_it(page, site_dir, plan, lang):
    owner = plan.owners[-1]
    pillar = next(a.pillar_id for a in plan.activities if owner.id in a.owner_ids)
    anchor = f"owner-{owner.id}-pillar-{pillar}"
    page.goto(path_in(lang, "owners.html"))
    assert page.locator("details.sip-owner-activities[open]").count() == 0, "the lists start collapsed"
    page.goto(path_in(lang, "owners.html") + "#" + anchor)
    page.wait_for_timeout(200)
    assert page.locator(f'details:has([id="{anchor}"])').evaluate("d => d.open")
    assert in_view(page, anchor)
