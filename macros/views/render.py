"""The Jinja environment that turns model objects into page Markdown, escaping every piece of data."""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..labels import fmt as label_fmt, labels
from ..data.model import LANGUAGES, MarkdownText, Text
from . import review

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "partials" / "sip"
_FOOTNOTE_REF = re.compile(r"\[\^([a-z0-9_-]+)\]")
# The URL fields' rule, as in data/sip.schema.json ($defs/url): a scheme, then no whitespace, quotes or brackets.
SAFE_URL = re.compile(r"(?:https?://|mailto:)[^\s()\[\]{}<>\"\\]+")


# Characters that start Markdown, HTML or template syntax anywhere in a line. Plain text shows them as entities;
# Markdown text keeps only emphasis (* _), footnote references and inline links (checked to be http/https/mailto).
# An underscore between two letters or digits (in_progress) can open or close no emphasis: ids stay readable.
# ([^\W_] is str.isalnum.) One regular expression finds the characters to escape: the views spent a third of
# their time escaping character by character in Python.
_KEPT_UNDERSCORE = r"(?!(?<=[^\W_])_(?=[^\W_]))"
_PLAIN_ESCAPES = re.compile(_KEPT_UNDERSCORE + "[" + re.escape("&<>\"'\\`*_{}[]()!|~^=#$@") + "]")
_MARKDOWN_ESCAPES = re.compile("[" + re.escape("&<>\"'\\`{}|~=$@") + "]")
# At the start of a line only: headings, quotes, lists ("- ", "1. "), rules, setext underlines, tables. Ids such as
# "1.2.3" or "2024-Q1" start no structure and stay as written.
# Extension blocks too: admonitions `!!!`, collapsible `???` (pymdownx.details) and `///` blocks (pymdownx.blocks).
_LINE_START = re.compile(r"(?m)^([ \t]*)([#>=|]|[-+*](?=[ \t]|$)|-(?=-)|\d{1,9}[.)](?=[ \t]|$)|!!!|\?\?\?|///)")
# A reference definition `[label]: target` (Markdown's own link table) and an image: never from the data.
_REFERENCE_DEFINITION = re.compile(r"\]([ \t]*):")
_IMAGE = re.compile(r"!(?=\[)")
# $defs/abbreviation in the schema: no character that can end the definition or start Markdown.
_ABBREVIATION = re.compile(r"[^\s\\`*_{}\[\]<>&\"'!|~^=#$:;,]+(?: [^\s\\`*_{}\[\]<>&\"'!|~^=#$:;,]+)*")
_BREAKS = re.compile(r"[ \t\n\r\v\f\x85\u2028\u2029]+")


def plain(value: object) -> Markup:
    """Data shown as it is written: every Markdown, HTML and template character is an entity; lines are joined.

    >>> plain('Rome *team*{: onclick=alert(1) }\\n# x')
    Markup('Rome &#42;team&#42;&#123;: onclick&#61;alert&#40;1&#41; &#125; &#35; x')
    """
    if isinstance(value, Markup):
        return value
    text = _BREAKS.sub(" ", str(value))  # line breaks and runs of spaces become one space; no-break spaces stay
    return Markup(_line_starts(_escape(text, _PLAIN_ESCAPES)))


def md(value: object) -> Markup:
    """Data text in a field documented as Markdown: emphasis, footnote references and checked links stay alive.

    HTML, attribute lists, templates, reference definitions, images and line-start structure are shown as text.
    >>> md('<script>x</script> {: onclick=y}')
    Markup('&#60;script&#62;x&#60;/script&#62; &#123;: onclick&#61;y&#125;')
    """
    if isinstance(value, Markup):
        return value
    text = _escape(str(value), _MARKDOWN_ESCAPES)
    text = "\n".join(line.strip(" \t") for line in text.strip().split("\n"))
    text = _REFERENCE_DEFINITION.sub(lambda m: "]" + m.group(1) + "&#58;", text)
    text = _IMAGE.sub("&#33;", text)
    return Markup(_line_starts(text))


def _escape(text: str, escaped: re.Pattern) -> str:
    return escaped.sub(_entity, text)


def _entity(match: re.Match) -> str:
    return f"&#{ord(match.group())};"


def _value(value: object, spec: str) -> Markup:
    return value if isinstance(value, Markup) and not spec else plain(format(value, spec))


def _line_starts(text: str) -> str:
    # Each match is anchored at a line start and reads a bounded prefix: linear in the text's length.
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + f"&#{ord(m.group(2)[-1])};", text)


def code(value: object) -> Markup:
    """A computed value (a column name, a hashtag, a field path) as a Markdown code span: Markdown escapes its
    content itself, so only a backtick or a line break could end it early."""
    return Markup("`" + " ".join(str(value).replace("`", "'").split()) + "`")


@lru_cache(maxsize=None)
def trusted_labels(lang: str) -> dict:
    """The interface labels as Markup: the project's own words, like the templates (a label may hold `code`)."""
    return {key: Markup(value) if isinstance(value, str) else value for key, value in labels(lang).items()}


def attr_url(value: object) -> Markup:
    """A URL field for an HTML attribute (href): validated again here, so a bypass of the check cannot add a scheme."""
    text = str(value)
    if not SAFE_URL.fullmatch(text):
        raise ValueError(f"refusing to publish the address {text[:60]!r}: not a checked http(s)/mailto URL")
    return Markup(escape(text))


def abbreviation(value: object) -> Markup:
    """An abbreviation for the `*[ABBR]: expansion` definitions, which must match the text as written."""
    text = str(value)
    if not _ABBREVIATION.fullmatch(text):
        raise ValueError(f"refusing to publish the abbreviation {text[:60]!r}: not checked against the schema")
    return Markup(escape(text))


class _Reviewed(Markup):
    """Escaped text that carries its translation-review state ("stale" or "new") to the marking filters."""

    review = ""
    lang = ""


class Page:
    """What a view needs to know about the page being rendered: its language and its place in the site."""

    def __init__(self, lang: str, path: str, site_url: str = "", prefix: str = ""):
        self.lang = lang
        self.path = path  # the page's docs path without language folder, e.g. "pillars/1.md"
        self.site_url = site_url
        # Where this plan's pages and files sit in the site: "" for the current revision, "revisions/<v>" for a
        # frozen one (overrides/hooks/revision_prefix.py), whose pages and files all move there together.
        self.prefix = prefix

    def link(self, target: str) -> str:
        """A Markdown link to `target` (a docs path like 'owners.md#owner-glc'), relative to this page."""
        return _link(posixpath.dirname(self.path), target)


    def site_file(self, target: str) -> str:
        """A raw link to a file written at the site root (downloads), shared by every language."""
        folder = "" if self.lang == LANGUAGES[0] else self.lang
        here = posixpath.join(folder, self.prefix, posixpath.dirname(self.path))
        return _href(posixpath.relpath(posixpath.join(self.prefix, target), here or "."))


@lru_cache(maxsize=65536)
def _link(here: str, target: str) -> Markup:
    # The same few hundred targets from the same few folders, thousands of times a build: worked out once.
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path, here or ".") if path else ""
    return _href(rel + (f"#{anchor}" if anchor else ""))


def _href(path: str) -> Markup:
    """A site-internal path, percent-encoded so that no character of an id can end the Markdown link."""
    return Markup(quote(path, safe="/#.-_~"))


def refresh_templates() -> None:
    """Start afresh if a view template was added, removed or saved since the environment was made (once per
    build, from define_env): the environment itself never looks again (auto_reload off), which spared the views
    one file check per include, about 14,000 at N=500."""
    signature = sorted((path.name, path.stat().st_mtime_ns, path.stat().st_size) for path in TEMPLATES.glob("*.html"))
    if signature != _SEEN.get("signature"):
        _SEEN["signature"] = signature
        environment.cache_clear()
        status_badge.cache_clear()


_SEEN: dict[str, list] = {}


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Compiled templates kept in .cache/ between builds (Jinja recompiles a template whose source changed).
    cache = TEMPLATES.parents[2] / ".cache" / "jinja-views"
    cache.mkdir(parents=True, exist_ok=True)
    # The one escaping path: every {{ value }} that is not already Markup goes through plain() (finalize);
    # Markdown survives only in texts the model types as MarkdownText (see tx), and URLs only through `url`.
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined, auto_reload=False,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False, finalize=plain,
                      bytecode_cache=FileSystemBytecodeCache(str(cache)))
    # `| md` keeps what tx() made of a MarkdownText and escapes anything else as plain: a template cannot
    # make Markdown of a plain field.
    env.filters["md"] = plain
    env.filters["heading"] = plain  # a heading is inline Markdown too; the name says where it is used
    # English awaiting review gets its marker after the escaped text (issue 11): tx() passes the state on.
    review.marking(env, "md")
    review.marking(env, "heading")
    env.filters["url"] = attr_url
    env.filters["abbr"] = abbreviation
    env.filters["structure"] = Markup  # Markdown syntax written by the template itself, e.g. '#' * depth
    env.filters["code"] = code
    env.filters["pct"] = lambda part, whole: round(100 * part / whole) if whole else 0
    return env


def render(template: str, page: Page, **context) -> str:
    """Render `template` for `page`; `t` holds the interface labels and `tx` picks a Text's language."""
    lang = page.lang
    t = trusted_labels(lang)

    def tx(text: Text) -> Markup:
        return escaped_text(text, lang)

    def tx_plain(text: Text) -> Markup:
        # For attributes and inside links: Markdown there would be parsed into the attribute or nest links.
        return escaped_plain(text(lang))

    def fmt(key: str, count: int | None = None, **values) -> Markup:
        # Each value escaped as plain text; the label's own words are interface text, like the templates.
        return Markup(label_fmt(lang, key, count, **{name: _value(value, "") for name, value in values.items()}))

    def as_of(plan, whole: bool = True) -> str:
        # The one "statuses as of" statement (macros/views/as_of.py), escaped by finalize like any value.
        from .as_of import as_of_sentence, as_of_title
        return (as_of_sentence if whole else as_of_title)(plan, lang)

    def badge(status) -> Markup:
        return status_badge(status, lang)

    return environment().get_template(template).render(page=page, lang=lang, t=t, tx=tx, tx_plain=tx_plain, fmt=fmt,
                                                       link=page.link, month_label=lambda value: month_label(value, lang),
                                                       as_of=as_of, badge=badge, **context)


@lru_cache(maxsize=1024)
def status_badge(status, lang: str) -> Markup:
    """A status's badge in `lang`, rendered once for the thousands of activities and updates that show it."""
    return Markup(render("status_badge.html", Page(lang, ""), status=status))


@lru_cache(maxsize=65536)
def escaped_text(text: Text, lang: str) -> Markup:
    """`text` in `lang` escaped for its field's kind, once per build for every page that shows it.

    The field's type decides, never the template: a text is plain unless the model says Markdown. Texts are frozen
    values and their type carries the review state, so equal texts of the same type escape alike."""
    value = review.pick(text, lang)
    escaped = md(value) if isinstance(text, MarkdownText) else plain(value)
    if getattr(value, "review", ""):  # for the | md and | heading filters, which add the review marker
        escaped = _Reviewed(escaped)
        escaped.review, escaped.lang = value.review, value.lang
    return escaped


@lru_cache(maxsize=65536)
def escaped_plain(value: str) -> Markup:
    """`plain(value)`, once per distinct string."""
    return plain(value)


def month_label(value: str, lang: str) -> str:
    """'2023-11' -> 'novembre 2023' / 'November 2023'; a full date keeps its day."""
    parts = value.split("-")
    month = labels(lang)["months"][int(parts[1]) - 1]
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def footnote_refs(markdown: str) -> list[str]:
    """Footnote ids referenced in `markdown`, in order of first use."""
    seen: list[str] = []
    for ref in _FOOTNOTE_REF.findall(markdown):
        if ref not in seen:
            seen.append(ref)
    return seen
