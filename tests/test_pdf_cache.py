"""The PDFs are reused only when everything they are printed from is unchanged (macros/exchange/pdf_cache.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from macros.exchange.pdf import find_chromium
from macros.exchange.pdf_cache import KEEP, PdfCache, key, site_digest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = find_chromium() or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def copy(site_dir, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("pdfkey") / "site"
    shutil.copytree(site_dir, dest)
    return dest


def current_key(site: Path, plan, lang="fr", url="") -> str:
    return key(site_digest(site), lang, plan, url, CHROMIUM)


def test_the_released_pdfs_are_those_printed_for_this_site(site_dir, plan):
    # Whether printed by this build or reused, each PDF in dist/ is the one stored for the site as it is now.
    for lang in ("fr", "en"):
        released = ROOT / "dist" / f"sip-{plan.meta.version}-{lang}.pdf"
        stored = ROOT / ".cache" / "pdf" / f"{lang}-{current_key(site_dir, plan, lang)}.pdf"
        assert stored.read_bytes() == released.read_bytes(), lang
        assert PdfReader(released).trailer["/Root"]["/Lang"] == lang


def test_any_printed_byte_or_fact_changes_the_key(copy, plan):
    before = current_key(copy, plan)
    assert current_key(copy, plan) == before
    assert current_key(copy, plan, lang="en") != before
    assert current_key(copy, plan, url="https://example.org/sip/") != before
    page = copy / "print.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</h1>", b" </h1>", 1))
    assert current_key(copy, plan) != before, "one character more in the printed page"
    page.write_bytes(original)
    css = next((copy / "assets" / "stylesheets").glob("main.*.min.css"))
    css_bytes = css.read_bytes()
    css.write_bytes(css_bytes + b"\n")
    assert current_key(copy, plan) != before, "a style sheet the page loads"
    css.write_bytes(css_bytes)
    (copy / "pillars" / "new.html").write_text("<h1 id=x>x</h1>", encoding="utf-8")
    assert current_key(copy, plan) != before, "a file a link may point to (kept only when it exists)"
    (copy / "pillars" / "new.html").unlink()
    assert current_key(copy, plan) == before


def test_what_printing_never_reads_leaves_the_key_alone(copy, plan):
    # The JSON download carries the build's time; scripts do not run when printing.
    before = current_key(copy, plan)
    download = copy / "downloads" / "sip.json"
    download.write_text(download.read_text(encoding="utf-8").replace('"generated_at"', '"generated_at" ', 1),
                        encoding="utf-8")
    (copy / "assets" / "sip.js").write_text("/* changed */", encoding="utf-8")
    assert current_key(copy, plan) == before


def test_the_cache_gives_back_only_the_file_stored_for_a_key(tmp_path):
    cache = PdfCache(tmp_path / "cache")
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(b"%PDF-1.7 first")
    cache.store("fr", "a" * 64, printed)
    assert not cache.fetch("fr", "b" * 64, tmp_path / "out.pdf")
    assert not cache.fetch("en", "a" * 64, tmp_path / "out.pdf")
    assert cache.fetch("fr", "a" * 64, tmp_path / "out.pdf")
    assert (tmp_path / "out.pdf").read_bytes() == b"%PDF-1.7 first"
    printed.write_bytes(b"%PDF-1.7 second")
    cache.store("fr", "b" * 64, printed)
    assert cache.fetch("fr", "b" * 64, tmp_path / "out.pdf")
    assert (tmp_path / "out.pdf").read_bytes() == b"%PDF-1.7 second"
    assert cache.fetch("fr", "a" * 64, tmp_path / "out.pdf"), "a build of other data does not evict the first PDF"
    assert (tmp_path / "out.pdf").read_bytes() == b"%PDF-1.7 first"


def test_beyond_keep_the_least_recently_used_pdf_of_a_language_is_evicted(tmp_path):
    import os
    cache = PdfCache(tmp_path / "cache")
    printed = tmp_path / "printed.pdf"
    for n in range(KEEP):
        printed.write_bytes(f"%PDF {n}".encode())
        cache.store("fr", f"{n:064d}", printed)
        os.utime(tmp_path / "cache" / f"fr-{n:064d}.pdf", ns=(n + 1, n + 1))  # stored one after the other
    cache.store("en", "e" * 64, printed)  # another language's PDFs are counted apart
    assert cache.fetch("fr", f"{0:064d}", tmp_path / "out.pdf")  # the oldest, used again now
    cache.store("fr", "f" * 64, printed)
    kept = {p.name for p in (tmp_path / "cache").glob("fr-*.pdf")}
    assert len(kept) == KEEP
    assert f"fr-{0:064d}.pdf" in kept and f"fr-{'f' * 64}.pdf" in kept
    assert f"fr-{1:064d}.pdf" not in kept, "the least recently used goes"
    assert (tmp_path / "cache" / f"en-{'e' * 64}.pdf").is_file()


def test_a_source_newer_than_the_stored_pdfs_predicts_printing(tmp_path):
    import os
    cache = PdfCache(tmp_path / "cache")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sip.yaml").write_text("x", encoding="utf-8")
    assert not cache.likely_fresh(("fr", "en"), tmp_path), "nothing stored yet"
    printed = tmp_path / "p.pdf"
    printed.write_bytes(b"%PDF")
    cache.store("fr", "a" * 64, printed)
    cache.store("en", "a" * 64, printed)
    os.utime(tmp_path / "data" / "sip.yaml", ns=(1, 1))
    assert cache.likely_fresh(("fr", "en"), tmp_path)
    (tmp_path / "data" / "sip.yaml").write_text("y", encoding="utf-8")
    assert not cache.likely_fresh(("fr", "en"), tmp_path)
    # A data file kept elsewhere (SIP_DATA) counts as a source too.
    os.utime(tmp_path / "data" / "sip.yaml", ns=(1, 1))
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("z", encoding="utf-8")
    assert cache.likely_fresh(("fr", "en"), tmp_path)
    assert not cache.likely_fresh(("fr", "en"), tmp_path, elsewhere)


def test_a_link_the_parser_missed_is_still_rewritten(site_dir):
    # The link plan comes from the HTML file; a link only the browser's DOM holds gets a second pass.
    import asyncio
    import threading

    from macros.exchange import pdf

    async def rewrite() -> tuple[list, list]:
        from playwright.async_api import async_playwright
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=pdf.CHROMIUM_ARGS)
            page = await (await browser.new_context(offline=True, java_script_enabled=False)).new_page()
            await page.goto((site_dir / "print.html").as_uri(), wait_until="load")
            plan = pdf.LinkPlan(site_dir, "print.html", "")
            forgotten = sorted(href for href, (kind, _) in plan.targets.items() if kind == "text")[:3]
            assert forgotten, "the printable plan links to other pages"
            for href in forgotten:
                del plan.targets[href]
            counts = await pdf.rewrite_links(page, plan)
            left = await page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
            await browser.close()
            return forgotten, left, counts

    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("value", asyncio.run(rewrite())))
    worker.start()
    worker.join(120)
    forgotten, left, counts = result["value"]
    assert not set(forgotten) & set(left), "a link the plan did not list stayed as it was"
    assert all(href.startswith(("#", "http", "mailto:")) for href in left), left[:5]
    assert counts.text >= len(forgotten)
