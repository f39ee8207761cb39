"""French typography at render time: no-break spaces before ; : ! ? % and inside « », in pages, PDFs and feed."""
from __future__ import annotations

import re
from dataclasses import replace
import sys
from pathlib import Path

import feedparser
import pypdf
import pytest
from bs4 import BeautifulSoup

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


def test_tags_attributes_comments_and_code_are_left_byte_for_byte():
    html = ('<html lang="fr"><head><title>Plan : SIP</title><script>var a = "x : y";</script>'
            '<style>a :hover { color: red }</style></head><body><!-- note : ici -->'
            '<a href="https://x.org/?q=a : b" title="a : b" data-x=\'c ; d\'>lien ?</a>'
            '<pre><span>a : b</span></pre><code>c ; d</code><p>mot <em>: suite</em> « <b>gras</b> »</p>'
            '<p lang="en">English : kept</p></body></html>')
    out = french_html(html)
    for kept in ('<script>var a = "x : y";</script>', '<style>a :hover { color: red }</style>', '<!-- note : ici -->',
                 '<a href="https://x.org/?q=a : b" title="a : b" data-x=\'c ; d\'>', '<pre><span>a : b</span></pre>',
                 '<code>c ; d</code>', '<p lang="en">English : kept</p>'):
        assert kept in out
    assert f"<title>Plan{NBSP}: SIP</title>" in out
    assert f"lien{NNBSP}?</a>" in out
    assert f"mot{NBSP}<em>: suite</em> «{NBSP}<b>gras</b>{NBSP}»" in out
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
    # The data and labels hold no no-break space, so any in a tag or in code would come from the typography.
    sources = [ROOT / "data" / "sip.yaml", ROOT / "macros" / "labels" / "fr.yml"]
    assert not any(NBSP in s.read_text(encoding="utf-8") or NNBSP in s.read_text(encoding="utf-8") for s in sources)
    for page in french_pages(site_dir):
        html = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        for tag in re.findall(r"<[^>]*>", html):
            assert NBSP not in tag and NNBSP not in tag, f"{page}: {tag[:120]}"
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
