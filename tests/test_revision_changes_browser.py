"""The revision fixture's changes page in Chromium: accessible, differences readable without colour and read out
by a screen reader, and a pillar page's mark leads to its line."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LABELS = {lang: yaml.safe_load((ROOT / "macros" / "labels" / f"{lang}.yml").read_text(encoding="utf-8")) for lang in ("fr", "en")}
PREFIX = {"fr": "", "en": "en/"}


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", ["changes/2025-06.html", "pillars/2.html"])
def test_no_serious_accessibility_violation(tab, revision_site, lang, name):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make setup`", pytrace=False)
    tab.goto((revision_site / PREFIX[lang] / name).as_uri())
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("() => axe.run()")
    grave = [f"{v['id']}: {[n['html'][:120] for n in v['nodes'][:3]]}" for v in result["violations"]
             if v["impact"] in ("serious", "critical")]
    assert not grave, grave


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_differences_read_without_colour_and_aloud(tab, revision_site, lang):
    tab.goto((revision_site / PREFIX[lang] / "changes" / "2025-06.html").as_uri())
    paragraph = tab.locator("p.sip-diff").first
    lines = paragraph.evaluate("""p => [...p.querySelectorAll('del, ins')].map(e => [e.tagName,
        getComputedStyle(e).textDecorationLine])""")
    assert lines and all(("line-through" if tag == "DEL" else "underline") in decoration for tag, decoration in lines)
    # The "deleted:"/"inserted:" words take no room on screen, and are in what a screen reader reads.
    width = tab.locator("del .sip-visually-hidden").first.evaluate("e => e.getBoundingClientRect().width")
    assert width <= 1
    spoken = paragraph.aria_snapshot()
    t = LABELS[lang]
    assert f"{t['diff_inserted']}{t['colon']}".replace(" ", "") in spoken.replace(" ", "").replace("\u00a0", "")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_mark_opens_the_line_of_its_activity(tab, revision_site, lang):
    tab.goto((revision_site / PREFIX[lang] / "pillars" / "2.html").as_uri() + "#a-2.2.1.5")
    tab.locator("a.sip-change-mark").first.click()
    tab.wait_for_load_state()
    assert tab.url.endswith("changes/2025-06.html#change-added-a-2.2.1.5")
    line = tab.locator("#change-added-a-2\\.2\\.1\\.5")
    top = line.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 450 and "2.2.1.5" in line.inner_text()
