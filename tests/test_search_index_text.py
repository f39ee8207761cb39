"""The texts of the search index read as the pages do (blind review 5, finding 19): words a page shows apart stay
apart, footnotes stay out of the last section's entry, and an activity without owner says "Owner: not recorded"."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from macros.labels import fmt, labels

ROOT = Path(__file__).resolve().parent.parent


def hook():
    spec = importlib.util.spec_from_file_location("search_index_hook", ROOT / "overrides" / "hooks" / "search_index.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entries(html: str) -> dict[str, str]:
    """Material's index entries of a page holding `html`, parsed as the build parses it (location -> text)."""
    from material.plugins.search import plugin as material_search

    original = material_search.Parser
    try:
        hook().on_config({})
        index = material_search.SearchIndex(lang=["en"], separator=" ", pipeline=[], fields={})
        page = SimpleNamespace(content=html, toc=[], url="page.html", meta={}, title="Page")
        index.add_entry_from_context(page)
    finally:
        material_search.Parser = original
    return {entry["location"]: entry["text"] for entry in index.entries}


def test_cells_line_breaks_and_blocks_keep_their_words_apart():
    text = entries('<h1 id="t">T</h1><table><tr><td>Rome team</td><td>16</td></tr></table>'
                   '<p>Owner not recorded<br>The plan marks</p><div>one</div><div>two</div>')["page.html"]
    assert "Rome team 16" in text and "recorded The plan" in text and "one two" in text, text


def test_the_footnotes_are_left_out_of_the_last_section():
    found = entries('<h1 id="t">T</h1><h2 id="last">Last</h2><p>Its own text.</p>'
                    '<div class="footnote"><hr><ol><li id="fn:1"><p>A source, 2015.</p></li></ol></div>')
    assert "Its own text." in found["page.html#last"] and "A source" not in found["page.html#last"], found


def test_footnote_numbers_and_signs_do_not_run_into_the_words():
    # Blind review 7, finding 10: "Participation in Clusters1 and", "as needed.†Editor's note: …" in the previews.
    text = entries('<h1 id="t">T</h1><p>Participation in Clusters<sup id="fnref:mc"><a class="footnote-ref" '
                   'href="#fn:mc">1</a></sup> and take part, as needed.<a class="sip-editor-note" href="#n">'
                   '<span aria-hidden="true">†</span><span class="sip-visually-hidden">Editor\'s note: it says so.'
                   '</span></a></p>')["page.html"]
    assert "Participation in Clusters and take part, as needed. Editor's note: it says so." in text, text
    assert "<sup>" not in text and "†" not in text, text


def _glued_marks(site_dir: Path, lang: str) -> list[str]:
    """Each footnote number of the language's pages as it would read glued to the word before it ("Clusters1")."""
    from bs4 import BeautifulSoup
    root = site_dir / ("" if lang == "fr" else lang)
    glued = []
    for page in sorted(root.rglob("*.html")):
        if page.relative_to(root).parts[0] in ("en", "assets", "partials", "revisions"):
            continue  # another language's pages, the theme's, and the frozen revisions (indexed apart)
        for mark in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select('sup[id^="fnref"]'):
            before = mark.previous_sibling
            words = (before.get_text() if hasattr(before, "get_text") else str(before or "")).split()
            if words:
                glued.append(f"{words[-1]}{mark.get_text(strip=True)}")
    return sorted(set(glued))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_built_index_keeps_footnote_numbers_and_signs_apart_from_the_words(site_dir, lang):
    folder = site_dir / ("" if lang == "fr" else lang) / "search"
    docs = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))["docs"]
    texts = {d["location"]: " ".join(re.sub(r"<[^>]+>", "", d["text"]).split()) for d in docs}
    glued = _glued_marks(site_dir, lang)
    assert glued, "no footnote number on the pages: the check would check nothing"
    bad = [f"{where}: {mark}" for where, text in texts.items() for mark in glued if mark in text]
    bad += [f"{where}: …{text[max(0, m.start() - 30):m.end() + 30]}…" for where, text in texts.items()
            for m in re.finditer(r"\S†|†\S", text)]
    assert not bad, "\n".join(bad)
    # The editor's note itself stays findable, as its own words after the text it is about.
    note = labels(lang)["editor_note"]
    assert any(re.search(rf"[.!?»”] {re.escape(note)}", text) for text in texts.values()), note


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_built_index_reads_as_the_pages(site_dir, lang):
    folder = site_dir / ("" if lang == "fr" else lang) / "search"
    docs = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))["docs"]
    docs = [{**d, "text": d["text"].replace("\u00a0", " ").replace("\u202f", " ")} for d in docs]  # French typography
    t = labels(lang)
    stutter = f"{fmt(lang, 'owned_by', count=0)}{t['colon']} {t['owner_not_recorded']}"
    assert not [d["location"] for d in docs if stutter in d["text"]], f"'{stutter}' in the index"
    assert any(f"{fmt(lang, 'owned_by', count=0)}{t['colon']} {t['owner_none']}" in d["text"] for d in docs)
    assert not [d["location"] for d in docs if "↩" in d["text"]], "a footnote (its back link) in an entry"
    # An activity's status and owners line is marked, so that the worker weighs its words as status and owners.
    activities = [d for d in docs if d["kind"] == "activity"]
    assert activities and all(d["text"].count('<p class="sip-search-meta">') == 1 for d in activities)
    owners = next(d["text"] for d in docs if d["location"] == "owners.html")
    assert "</span>" not in owners and "(Rome)Support" not in owners and "RomeGSL" not in owners, owners[:200]
