"""MkDocs hook: what search engines and link previews read — description, canonical, hreflang, sitemaps.

Absolute links need the site's public address: SITE_URL (site_url) or else `extra.canonical_url`. Without one,
no hreflang link and no sitemap are written: both must be absolute, and a relative one is an error for crawlers.
The offline bundle gets neither, since Material's language selector fetches `sitemap.xml` beside each alternate
link, which from file:// would be a network request.
"""
from __future__ import annotations

import gzip
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

DESCRIPTION_LENGTH = 160
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# The pages that are not content: the theme's 404 page, one per language (404.html, en/404.html).
SKIPPED_PAGES = {"404.html"}


def public_url(config) -> str:
    """The site's public address with a trailing slash, or '' when unknown."""
    url = config.get("site_url") or config.extra.get("canonical_url") or ""
    return url.rstrip("/") + "/" if url else ""


def offline(config) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled) or os.environ.get("SIP_OFFLINE", "").lower() == "true"


def languages(config) -> tuple[str, list[str]]:
    """(default language, every language) from static-i18n's configuration."""
    i18n = config.plugins.get("i18n")
    langs = [lang.locale for lang in i18n.config.languages]
    default = next(lang.locale for lang in i18n.config.languages if lang.default)
    return default, langs


def neutral_path(url: str, default: str, langs: list[str]) -> tuple[str, str]:
    """('en', 'pillars/1.html') for 'en/pillars/1.html'; the default language has no folder."""
    head, _, rest = url.partition("/")
    if head in langs and head != default and rest:
        return head, rest
    return default, url


def alternates(path: str, base: str, default: str, langs: list[str]) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of every language version of a page, and x-default -> the reference language."""
    links = [(lang, base + (path if lang == default else f"{lang}/{path}")) for lang in langs]
    return links + [("x-default", base + path)]


class _Paragraphs(HTMLParser):
    """The texts of a page's paragraphs, outside admonition titles, tables, code and navigation."""

    SKIP = {"table", "pre", "code", "script", "style", "svg", "nav", "button"}
    VOID = {"br", "img", "hr", "input", "wbr", "meta", "link", "source", "col", "area"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside something skipped)
        self.current: list[str] | None = None
        self.paragraphs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        skipped = tag in self.SKIP or "admonition-title" in classes or bool(self.stack and self.stack[-1][1])
        self.stack.append((tag, skipped))
        if tag == "p" and not skipped:
            self.current = []

    def handle_endtag(self, tag):
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return
        while self.stack:
            open_tag, skipped = self.stack.pop()
            if open_tag == "p" and not skipped and self.current is not None:
                self.paragraphs.append(re.sub(r"\s+", " ", "".join(self.current)).strip())
                self.current = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.current is not None and not (self.stack and self.stack[-1][1]):
            self.current.append(data)


# The end of a sentence: . ! ? (and a closing quote or bracket), then a space or the end of the text.
_SENTENCE_END = re.compile(r"[.!?…][\"»”’)\]]*(?=\s|$)")


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """`text` within `length` characters: cut after the last whole sentence that fits; only when no sentence end
    fits (or the last one leaves too little), at the last word boundary, with an ellipsis. Never "… meeting. The…"."""
    if len(text) <= length:
        return text
    room = text[: length + 1]  # one more character: a sentence ending exactly at `length` is followed by a space
    ends = [m.end() for m in _SENTENCE_END.finditer(room) if m.end() <= length]
    if ends and ends[-1] >= length // 3:
        return text[: ends[-1]]
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:·-—–\u00a0\u202f")
    return cut + "…"


def describe(html: str, fallback: str) -> str:
    """A page's meta description: its first paragraphs, cut after a sentence (see `shorten`), or `fallback`."""
    parser = _Paragraphs()
    parser.feed(html)
    text = ""
    for paragraph in filter(None, parser.paragraphs):
        text = f"{text} {paragraph}".strip()
        if len(text) >= DESCRIPTION_LENGTH // 2:
            break
    return shorten(text or fallback)


def on_page_content(html, page, config, files, **kwargs):
    default, langs = languages(config)
    if "description" not in page.meta:  # most pages have theirs from the data (macros/views/describe.py)
        page.meta["description"] = describe(html, page.title or config.site_name)
    base = public_url(config)
    lang, path = neutral_path(page.url, default, langs)
    if base:
        page.meta["sip_canonical"] = base + page.url
        if not offline(config):
            page.meta["sip_alternates"] = alternates(path, base, default, langs)
    page.meta["sip_locale"] = {"fr": "fr_FR", "en": "en_GB"}.get(lang, lang)
    return html


def on_post_build(config, **kwargs):
    """Write sitemap.xml at the root and in every folder holding pages (Material looks for one beside each
    alternate link); remove MkDocs' own when the site's address is unknown or the build is offline."""
    site = Path(config.site_dir)
    base = public_url(config)
    for old in site.rglob("sitemap.xml*"):
        old.unlink()
    if not base or offline(config):
        return
    default, langs = languages(config)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if p.name not in SKIPPED_PAGES)
    neutral = {}
    for url in pages:
        lang, path = neutral_path(url, default, langs)
        neutral.setdefault(path, set()).add(lang)
    folders = {url.rpartition("/")[0] for url in pages}
    for folder in folders:
        prefix = folder + "/" if folder else ""
        listed = [url for url in pages if url.startswith(prefix)]
        xml = sitemap(listed, base, default, langs, neutral)
        (site / prefix / "sitemap.xml").write_text(xml, encoding="utf-8")
        if not folder:
            with gzip.open(site / "sitemap.xml.gz", "wt", encoding="utf-8") as packed:
                packed.write(xml)


def sitemap(urls: list[str], base: str, default: str, langs: list[str], neutral: dict[str, set]) -> str:
    """A sitemaps.org document listing `urls` with their hreflang alternates."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">']
    for url in urls:
        lines.append(f"  <url>\n    <loc>{escape(base + url)}</loc>")
        _, path = neutral_path(url, default, langs)
        if len(neutral.get(path, ())) > 1:
            for hreflang, href in alternates(path, base, default, langs):
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{hreflang}" href={quoteattr(href)}/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
