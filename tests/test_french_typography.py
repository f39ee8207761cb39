"""French typography at render time: no-break spaces before ; : ! ? % and inside « », in pages, PDFs and feed."""
from __future__ import annotations

import json
import re
from dataclasses import replace
import sys
from pathlib import Path

import feedparser
import pypdf
import pytest
from bs4 import BeautifulSoup, Comment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data.load import load_plan  # noqa: E402
from macros.data.model import Text  # noqa: E402
from macros.exchange.feed import atom_feed  # noqa: E402
from macros.views.typography import NBSP, NNBSP, french_html, french_text  # noqa: E402

BREAKABLE = "[ \t\r\n]"
# A breakable space before a high mark, after « or before »: what French pages must never show.
LOOSE = re.compile(rf"{BREAKABLE}+[;:!?»]|\d{BREAKABLE}+%|«{BREAKABLE}+")
LITERAL = ("script", "style", "code", "pre", "kbd", "samp", "textarea")


# What a reader hears or sees of an attribute: tooltips, screen-reader names, image text, field hints, what the
# copy-link button says; and the <meta> texts that search engines and link previews show.
READER_ATTRIBUTES = {"title", "alt", "placeholder", "label", "aria-label", "aria-description", "aria-roledescription",
                     "aria-valuetext", "aria-placeholder", "data-sip-copy"}
READER_META = {"description", "og:title", "og:description", "og:site_name", "twitter:title", "twitter:description"}
# Addresses and code: never typeset, whatever they hold.
NOT_TEXT = {"href", "src", "srcset", "action", "style", "id", "for", "name", "class", "content", "value", "type",
            "property", "rel", "hreflang", "lang", "data-md-component", "viewBox", "d", "xmlns"}
# A colon glued to a word ("Précédent:"): French wants a space before it. Not in 10:30 or https://.
GLUED_COLON = re.compile(r"[^\W\d_]:(?=[\s\u00a0\u202f]|\Z)")


def reader_facing(element, name: str) -> bool:
    if element.name == "meta":
        return name == "content" and (element.get("name") or element.get("property") or "").lower() in READER_META
    return name in READER_ATTRIBUTES


def language_of(element) -> str:
    owner = element if element.has_attr("lang") else element.find_parent(attrs={"lang": True})
    return (owner.get("lang") or "")[:2] if owner is not None else ""


def french_reading(html: str):
    """(kind, text) of everything a reader meets in the French parts of a page: each text node outside literal
    elements, and each attribute value but addresses and code (reader-facing ones are marked as such)."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        if language_of(element) != "fr" or element.find_parent(LITERAL) is not None or element.name in LITERAL:
            continue
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if reader_facing(element, name):
                yield f"{element.name}[{name}]", value
            elif name not in NOT_TEXT and not name.startswith("data-md-"):
                yield f"other {element.name}[{name}]", value
        for node in element.find_all(string=True, recursive=False):
            if not isinstance(node, Comment):
                yield "text", str(node)


def french_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "en")


def visible_french_text(html: str) -> str:
    """The text of the French parts of a page, with literal elements (code, scripts) left out."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(LITERAL):
        element.decompose()
    if soup.html is not None and soup.html.get("lang") != "fr":
        return " ".join(part.get_text() for part in soup.select('[lang="fr"]'))
    return soup.get_text()


def loose_spots(text: str) -> list[str]:
    return [repr(text[max(0, m.start() - 25):m.end() + 10]) for m in LOOSE.finditer(text)]


# ---- the rules, on their own ----

@pytest.mark.parametrize("source, expected", [
    ("Réalisé par : GLC", f"Réalisé par{NBSP}: GLC"),
    ("oui ; non ! vrai ? 50 %", f"oui{NNBSP}; non{NNBSP}! vrai{NNBSP}? 50{NNBSP}%"),
    ("« mot »", f"«{NBSP}mot{NBSP}»"),
    ("«mot» et 10:30 et a:b", "«mot» et 10:30 et a:b"),  # no space in the source: none added
    ("{% if x %} et 5 % et cent %", f"{{% if x %}} et 5{NNBSP}% et cent %"),  # % only in a percentage
    ("voir https://x.org/a?b=1;c=2 ou mailto:a@b.org", "voir https://x.org/a?b=1;c=2 ou mailto:a@b.org"),
    ("texte\n  :", f"texte{NBSP}:"),
    ("déjà\u00a0: insécable", "déjà\u00a0: insécable"),
])
def test_only_existing_spaces_become_no_break_spaces(source, expected):
    assert french_text(source) == expected


def test_tags_addresses_comments_and_code_are_left_byte_for_byte():
    html = ('<html lang="fr"><head><title>Plan : SIP</title><script>var a = "x : y";</script>'
            '<meta property="og:url" content="https://x.org/a : b"><meta name="viewport" content="a ; b">'
            '<style>a :hover { color: red }</style></head><body><!-- note : ici -->'
            '<a href="https://x.org/?q=a : b" id="a : b" data-x=\'c ; d\'>lien ?</a>'
            '<pre><span title="a : b">a : b</span></pre><code>c ; d</code><p>mot <em>: suite</em> « <b>gras</b> »</p>'
            '<p lang="en" title="Done : 1">English : kept</p></body></html>')
    out = french_html(html)
    for kept in ('<script>var a = "x : y";</script>', '<style>a :hover { color: red }</style>', '<!-- note : ici -->',
                 '<meta property="og:url" content="https://x.org/a : b">', '<meta name="viewport" content="a ; b">',
                 '<a href="https://x.org/?q=a : b" id="a : b" data-x=\'c ; d\'>', '<pre><span title="a : b">a : b</span></pre>',
                 '<code>c ; d</code>', '<p lang="en" title="Done : 1">English : kept</p>'):
        assert kept in out
    assert f"<title>Plan{NBSP}: SIP</title>" in out
    assert f"lien{NNBSP}?</a>" in out
    assert f"mot{NBSP}<em>: suite</em> «{NBSP}<b>gras</b>{NBSP}»" in out
    assert out.replace(NBSP, " ").replace(NNBSP, " ") == html


def test_attributes_a_reader_hears_or_sees_are_typeset():
    html = ('<html lang="fr"><head><meta name="description" content="Le plan : 4 piliers ; « SIP »">'
            '<meta property="og:title" content=\'Pilier 1 : Base\'><meta property="og:description" content="Quoi ?">'
            '</head><body><span title="Terminé : 1" aria-label="Suivant : Pilier 2">x</span>'
            '<img alt="Figure : essai" src="a.png"><input placeholder="Rechercher !" value="a : b" required>'
            '<svg><title>Tendance : 3</title></svg><button data-sip-copy="Lien : copié">b</button>'
            '<div lang="en"><span title="Done: 1 ; x">y</span></div></body></html>')
    out = french_html(html)
    for typeset in (f'content="Le plan{NBSP}: 4 piliers{NNBSP}; «{NBSP}SIP{NBSP}»"', f"content='Pilier 1{NBSP}: Base'",
                    f'content="Quoi{NNBSP}?"', f'title="Terminé{NBSP}: 1"', f'aria-label="Suivant{NBSP}: Pilier 2"',
                    f'alt="Figure{NBSP}: essai"', f'placeholder="Rechercher{NNBSP}!"', f"<title>Tendance{NBSP}: 3</title>",
                    f'data-sip-copy="Lien{NBSP}: copié"'):
        assert typeset in out, typeset
    assert 'value="a : b"' in out and '<span title="Done: 1 ; x">' in out and 'src="a.png"' in out
    assert out.replace(NBSP, " ").replace(NNBSP, " ") == html


def test_only_french_parts_change():
    html = '<html lang="en"><p>Note : x</p><div lang="fr"><div>a ; b</div> c !</div> d ?</html>'
    assert french_html(html) == f'<html lang="en"><p>Note : x</p><div lang="fr"><div>a{NNBSP}; b</div> c{NNBSP}!</div> d ?</html>'


# ---- the built site ----

def test_french_pages_have_no_breakable_space_before_high_marks_or_inside_guillemets(site_dir):
    problems = []
    pages = french_pages(site_dir)
    assert len(pages) > 10
    for page in pages:
        problems += [f"{page.relative_to(site_dir)}: {spot}" for spot in loose_spots(visible_french_text(page.read_text(encoding="utf-8")))]
    assert not problems, "\n".join(problems[:20])


def test_every_text_and_reader_facing_attribute_of_the_french_parts_is_typeset(site_dir):
    """Every page (French ones, and the lang="fr" parts of the others): 0 breakable spaces before : ; ! ? or inside
    « », and 0 colons glued to a word, in text nodes and in the attributes a reader hears or sees."""
    problems, checked = [], {"text": 0, "attributes": 0, "attributes with a mark": 0}
    for page in sorted(site_dir.rglob("*.html")):
        for kind, text in french_reading(page.read_text(encoding="utf-8")):
            checked["text" if kind == "text" else "attributes"] += 1
            if kind != "text" and re.search("[:;!?«»]", text):
                checked["attributes with a mark"] += 1
            spots = loose_spots(text) + [repr(text[max(0, m.start() - 25):m.end() + 10]) for m in GLUED_COLON.finditer(text)]
            problems += [f"{page.relative_to(site_dir)}: {kind}: {spot}" for spot in spots]
    # Tooltips of the dashboard, the footer's "Précédent : …", meta descriptions: enough for the test to mean something.
    assert checked["text"] > 5000 and checked["attributes with a mark"] > 100, checked
    assert not problems, f"{len(problems)} problem(s) in {checked}:\n" + "\n".join(problems[:30])


def test_the_theme_s_footer_puts_the_french_space_before_its_colon(site_dir):
    doc = BeautifulSoup((site_dir / "pillars" / "2.html").read_text(encoding="utf-8"), "html.parser")
    labels = [a["aria-label"] for a in doc.select("a.md-footer__link")]
    assert len(labels) == 2 and labels[0].startswith(f"Précédent{NBSP}: ") and labels[1].startswith(f"Suivant{NBSP}: ")
    english = BeautifulSoup((site_dir / "en" / "pillars" / "2.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["aria-label"] for a in english.select("a.md-footer__link")][0].startswith("Previous: ")


def test_the_french_404_part_is_typeset_too(site_dir):
    text = visible_french_text((site_dir / "404.html").read_text(encoding="utf-8"))
    assert text.strip() and not loose_spots(text)


def test_typography_reached_plan_text_and_labels(site_dir):
    text = BeautifulSoup((site_dir / "pillars" / "1.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert f"Réalisé par{NBSP}:" in text  # a label followed by the colon label
    assert re.search(f"Pilier 1{NBSP}: ", text)  # a heading made of label + data
    dashboard = BeautifulSoup((site_dir / "dashboard.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert re.search(rf"\d{NNBSP}%", dashboard)


def test_tags_attributes_urls_and_code_carry_no_inserted_space(site_dir):
    # The data and labels hold no no-break space, so any outside the text a reader meets comes from the typography.
    sources = [ROOT / "data" / "sip.yaml", ROOT / "macros" / "labels" / "fr.yml"]
    assert not any(NBSP in s.read_text(encoding="utf-8") or NNBSP in s.read_text(encoding="utf-8") for s in sources)
    for page in french_pages(site_dir):
        html = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        for element in soup.find_all(True):
            assert NBSP not in element.name and NNBSP not in element.name
            for name, value in element.attrs.items():
                if not reader_facing(element, name):
                    value = " ".join(value) if isinstance(value, list) else value
                    assert NBSP not in value and NNBSP not in value, f"{page}: {element.name} {name}={value[:80]!r}"
        for element in soup(LITERAL):
            assert NNBSP not in element.get_text() and NBSP not in element.get_text(), f"{page}: {element}"
        for url in re.findall(r"https?://[^\s<\"']+", soup.get_text()):
            assert url.rstrip(".,;:)»") in html


def test_english_pages_are_not_typeset_the_french_way(site_dir):
    for page in sorted((site_dir / "en").rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.select('[lang="fr"]'):
            element.decompose()
        assert NNBSP not in soup.get_text(), page


def test_the_french_pdf_keeps_the_no_break_spaces(site_dir, plan):
    from macros.exchange import names
    pdf = ROOT / "dist" / names.pdf(plan, "fr")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert f"Pilier 1{NBSP}:" in text
    assert not loose_spots(text)


def test_the_french_feed_is_typeset_and_the_english_one_not():
    plan = load_plan(ROOT / "tests" / "fixtures" / "plans" / "progress.yaml")
    # A title with every mark, as data may hold: the feed repeats it in its own title.
    plan = replace(plan, meta=replace(plan.meta, title=Text(fr="Plan : « essai » ; vrai ? 5 %", en="Plan: test; true? 5%")))
    french = feedparser.parse(atom_feed(plan, "fr", "https://example.org/sip/"))
    english = feedparser.parse(atom_feed(plan, "en", "https://example.org/sip/"))
    assert french.entries and not french.bozo
    assert french.feed.title.endswith(f"Plan{NBSP}: «{NBSP}essai{NBSP}»{NNBSP}; vrai{NNBSP}? 5{NNBSP}%")
    assert english.feed.title.endswith("Plan: test; true? 5%")
    for entry in french.entries:
        assert not loose_spots(entry.title + " " + entry.summary)
        assert entry.link.startswith("https://example.org/sip/reports/") and NBSP not in entry.link
    texts = " ".join(e.title + " " + e.summary for e in english.entries)
    assert NNBSP not in texts and NBSP not in texts


def outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def test_the_french_pdf_s_metadata_and_bookmarks_are_typeset(site_dir, plan):
    reader = pypdf.PdfReader(ROOT / "dist" / f"sip-{plan.meta.version}-fr.pdf", strict=True)
    bookmarks = outline_titles(reader.outline)
    # Pillars, outcomes, outputs and activities: "Pilier 1 : …" is a bookmark that carries a colon.
    assert len(bookmarks) >= len(plan.activities) and any(f"{NBSP}:" in title for title in bookmarks)
    info = {name: str(value) for name, value in reader.metadata.items()}
    assert info["/Title"].endswith(f"{plan.meta.period_start}–{plan.meta.period_end}")  # a range: en dash
    problems = [f"{where}: {spot}" for where, text in [*info.items(), *(("bookmark", t) for t in bookmarks)]
                for spot in loose_spots(text) + [repr(m.group()) for m in GLUED_COLON.finditer(text)]]
    assert not problems, problems[:20]


def test_the_built_french_feed_is_typeset(site_dir):
    feed = feedparser.parse((site_dir / "feed.xml").read_bytes())
    assert not feed.bozo and feed.feed.title
    texts = [feed.feed.title, feed.feed.get("subtitle", "")] + [e.title + " " + e.get("summary", "") for e in feed.entries]
    assert not [spot for text in texts for spot in loose_spots(text)]


def test_the_french_search_index_shows_typeset_titles_and_previews(site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    problems, marks = [], 0
    for doc in index["docs"]:
        if doc["location"].startswith("en/"):
            continue
        for key in ("title", "text"):
            text = visible_french_text(f'<div lang="fr">{doc.get(key) or ""}</div>')
            marks += len(re.findall("[:;!?«»]", text))
            problems += [f"{doc['location']} {key}: {spot}" for spot in loose_spots(text)]
    assert marks > 50, marks
    assert not problems, "\n".join(problems[:20])
    english = (site_dir / "en" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert NNBSP not in english and "\\u202f" not in english
