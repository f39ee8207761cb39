"""Layout on a phone (390x844) and a desktop (1366x768): screenshots under tests/artifacts/layout/ for a human to
look at, and the facts a test can check: nothing wider than the screen, wide tables scrolling in their own box
with the first column kept, the owners page short enough, headings in size order, the header title whole, and
the plan's texts in body colour."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "artifacts" / "layout"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
LANGS = ("fr", "en")
OWNERS_PAGE_MAX_PX = 5_000  # on a phone; it was 16,695 px (French) before the lists were collapsed

# Elements sticking out to the right of the screen, outside any box that scrolls or clips them.
_WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let clipped = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(up).overflowX)) { clipped = true; break; }
    }
    const style = getComputedStyle(el);
    if (!clipped && style.visibility !== "hidden" && style.display !== "none")
      found.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "") + " " + Math.round(box.right));
  }
  return found.slice(0, 5);
}"""

# Each table too wide for its box: does the box scroll, and does the first column stay put when it does?
_TABLES = """() => Array.from(document.querySelectorAll("article table")).map(table => {
  const box = table.closest(".md-typeset__scrollwrap") || table;
  const wide = box.scrollWidth > box.clientWidth + 1;
  const first = table.querySelector("tr > :first-child");
  box.scrollLeft = box.scrollWidth;
  const edge = box.getBoundingClientRect(), after = first.getBoundingClientRect();
  const scrolled = box.scrollLeft > 0;
  box.scrollLeft = 0;
  // Kept: still whole at the box's left edge once the box is scrolled to its other end.
  const kept = after.left >= edge.left - 1 && after.right <= edge.left + edge.width / 2;
  return {wide, scrolls: ["auto", "scroll"].includes(getComputedStyle(box).overflowX), scrolled, kept};
})"""

_HEADING_SIZES = """() => ["h1", "h2", "h3", "h4"].map(tag => {
  const el = document.querySelector("article " + tag);
  return el ? [tag, parseFloat(getComputedStyle(el).fontSize)] : null;
}).filter(Boolean)"""


def pages(site_dir: Path, progress_site: Path, plan) -> list[tuple[str, Path, str]]:
    """(name, site, path) of home, a pillar page, owners, dashboard and the report pages."""
    owner = plan.owners[0].id
    chosen = [("home", site_dir, "index.html"), ("pillar", site_dir, "pillars/2.html"), ("owners", site_dir, "owners.html"),
              ("dashboard", site_dir, "dashboard.html"), ("reports", site_dir, "reports.html"),
              ("owner-report", site_dir, f"reports/owners/{owner}.html")]
    period = sorted(p.name for p in (progress_site / "reports").glob("*-Q*.html"))[-1]
    return chosen + [("period-report", progress_site, f"reports/{period}")]


@pytest.fixture(scope="module")
def measured(browser, site_dir, progress_site, plan) -> dict:
    """Every page in both languages and both viewports: screenshot taken, layout facts read."""
    OUT.mkdir(parents=True, exist_ok=True)
    facts = {}
    for device, viewport in VIEWPORTS.items():
        phone = device == "phone"
        context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, device_scale_factor=1)
        page = context.new_page()
        try:
            for lang in LANGS:
                for name, site, path in pages(site_dir, progress_site, plan):
                    page.goto((site / ("" if lang == "fr" else "en") / path).as_uri())
                    page.wait_for_timeout(100)
                    page.screenshot(path=str(OUT / f"{lang}-{name}-{device}.png"), full_page=True)
                    facts[(device, lang, name)] = {
                        "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
                        "height": page.evaluate("document.documentElement.scrollHeight"),
                        "wider": page.evaluate(_WIDER_THAN_SCREEN),
                        "tables": page.evaluate(_TABLES),
                        "headings": page.evaluate(_HEADING_SIZES),
                        "title": page.evaluate("""() => { const topic = document.querySelector(".md-header__topic .md-ellipsis");
                            return [topic.innerText.trim(), topic.scrollWidth <= topic.clientWidth]; }"""),
                    }
        finally:
            context.close()
    return facts


def test_no_page_is_wider_than_the_screen(measured):
    problems = [f"{key}: scrollWidth {f['scroll_width']}, sticking out: {f['wider']}" for key, f in measured.items()
                if f["scroll_width"] > VIEWPORTS[key[0]]["width"] or f["wider"]]
    assert not problems, "\n".join(problems)


def test_wide_tables_scroll_in_their_own_box_keeping_the_first_column(measured):
    wide = [(key, t) for key, f in measured.items() for t in f["tables"] if t["wide"]]
    assert any(key[0] == "phone" for key, _ in wide), "no table is wider than a phone: the check checks nothing"
    problems = [f"{key}: {t}" for key, t in wide if not (t["scrolls"] and t["scrolled"] and t["kept"])]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_owners_page_stays_short_on_a_phone(measured, lang):
    phone, desktop = measured[("phone", lang, "owners")]["height"], measured[("desktop", lang, "owners")]["height"]
    print(f"\nowners page ({lang}): {phone} px on a phone, {desktop} px on a desktop")
    assert phone < OWNERS_PAGE_MAX_PX


def test_headings_are_in_size_order(measured):
    problems = []
    for key, f in measured.items():
        sizes = [size for _, size in f["headings"]]
        if any(a <= b for a, b in zip(sizes, sizes[1:])):
            problems.append(f"{key}: {f['headings']}")
    assert not problems, "\n".join(problems)


def test_the_header_title_fits_using_the_short_title_on_a_phone(measured, plan):
    for key, f in measured.items():
        device, lang, _ = key
        text, fits = f["title"]
        assert fits, f"{key}: the header title {text!r} is cut off"
        if device == "phone":
            assert text == f"{plan.meta.short_title(lang)} {plan.meta.period_start}–{plan.meta.period_end}", key


@pytest.mark.parametrize("lang", LANGS)
def test_outcome_and_output_texts_are_in_body_colour(page, lang):
    page.goto("/pillars/2.html" if lang == "fr" else "/en/pillars/2.html")
    colours = page.evaluate("""() => {
      const body = getComputedStyle(document.querySelector("article")).color;
      return [body, ...Array.from(document.querySelectorAll("article .sip-lead"), el => getComputedStyle(el).color)]; }""")
    assert len(colours) > 1 and set(colours[1:]) == {colours[0]}, colours
