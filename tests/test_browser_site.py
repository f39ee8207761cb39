"""The served site in a real browser: accessible, permalinks land and highlight, language switch, copy link."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LANGS = ("fr", "en")
PERMALINK = "pillars/1.html#a-1.1.1.2"


def url(lang: str, name: str) -> str:
    return f"/{name}" if lang == "fr" else f"/en/{name}"


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make setup` (npm ci installs axe-core).", pytrace=False)
    return AXE


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["index.html", "pillars/1.html", "dashboard.html", "glossary.html"])
def test_page_has_no_serious_or_critical_accessibility_violation(page, axe_script, lang, name):
    page.goto(url(lang, name))
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("() => axe.run()")
    grave = [describe(v) for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not grave, "\n".join(grave)


def describe(violation: dict) -> str:
    """A violation as a reader can act on it: rule, a few offending elements, and axe's advice for the first."""
    nodes = violation["nodes"]
    lines = [f"{violation['impact']} {violation['id']}: {violation['help']} ({len(nodes)} elements)"]
    lines += [f"    {node['html'][:140]}" for node in nodes[:3]]
    lines += ["    " + " ".join(nodes[0]["failureSummary"].split())]
    return "\n".join(lines)


def test_permalink_scrolls_its_activity_into_view_and_highlights_it(page):
    page.goto(url("fr", PERMALINK))
    target = page.locator("#a-1\\.1\\.1\\.2")
    top = target.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] / 2, f"the activity heading is {top}px from the top"

    def look(selector: str) -> tuple[str, str]:
        return page.locator(selector).evaluate(
            "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.borderLeftColor]; }")

    assert look("#a-1\\.1\\.1\\.2") != look("#a-1\\.1\\.1\\.3"), "the :target style does not apply"


def test_language_switcher_goes_to_the_same_pillar_in_english_and_back(page, base_url):
    page.goto(url("fr", "pillars/1.html"))
    for lang in ("en", "fr"):
        page.hover(".md-header .md-select")
        page.click(f'.md-header a.md-select__link[hreflang="{lang}"]')
        page.wait_for_url(base_url + url(lang, "pillars/1.html"))
        assert page.locator("html").get_attribute("lang") == lang


def test_copy_link_puts_the_absolute_permalink_on_the_clipboard(browser, base_url):
    context = browser.new_context(base_url=base_url)
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
        page = context.new_page()
        page.goto(url("fr", "pillars/1.html"))
        page.click('a.sip-copy[href="#a-1.1.1.2"]')
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == f"{base_url}/{PERMALINK}"
    finally:
        context.close()
