"""The Jinja environment that turns model objects into page Markdown, escaping every piece of data."""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..labels import fmt as label_fmt, labels
from ..data.model import LANGUAGES, Text
from . import review

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "partials" / "sip"
_FOOTNOTE_REF = re.compile(r"\[\^([a-z0-9_-]+)\]")


def md(value: str) -> Markup:
    """Data text made safe inside Markdown: HTML and attribute-list syntax are shown, never interpreted.

    Emphasis (`*...*`) and footnote references (`[^id]`) stay Markdown, as the plan uses them.
    >>> md('<script>x</script> {: onclick=y}')
    Markup('&lt;script&gt;x&lt;/script&gt; &#123;: onclick=y&#125;')
    """
    text = str(escape(value)).replace("{", "&#123;").replace("}", "&#125;")
    # Raw HTML is escaped above; a line starting with "#", "-", ">" or "1." stays text, not structure.
    text = re.sub(r"(?m)^(\s*)([#>+-]|\d+\.)(?=\s)", lambda m: m.group(1) + "&#" + str(ord(m.group(2)[0])) + ";" + m.group(2)[1:], text)
    return Markup(text)


class Page:
    """What a view needs to know about the page being rendered: its language and its place in the site."""

    def __init__(self, lang: str, path: str, site_url: str = ""):
        self.lang = lang
        self.path = path  # the page's docs path without language folder, e.g. "pillars/1.md"
        self.site_url = site_url

    def link(self, target: str) -> str:
        """A Markdown link to `target` (a docs path like 'owners.md#owner-glc'), relative to this page."""
        path, _, anchor = target.partition("#")
        here = posixpath.dirname(self.path)
        rel = posixpath.relpath(path, here or ".") if path else ""
        return rel + (f"#{anchor}" if anchor else "")


    def site_file(self, target: str) -> str:
        """A raw link to a file written at the site root (downloads), shared by every language."""
        up = "" if self.lang == LANGUAGES[0] else "../"
        return up + posixpath.relpath(target, posixpath.dirname(self.path) or ".")


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Compiled templates kept in .cache/ between builds (Jinja recompiles a template whose source changed).
    cache = TEMPLATES.parents[2] / ".cache" / "jinja-views"
    cache.mkdir(parents=True, exist_ok=True)
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
                      bytecode_cache=FileSystemBytecodeCache(str(cache)))
    env.filters["md"] = md
    env.filters["heading"] = md  # a heading is inline Markdown too; the name says where it is used
    # English awaiting review gets its marker after the escaped text (issue 11), whatever md() becomes.
    review.marking(env, "md")
    review.marking(env, "heading")
    env.filters["pct"] = lambda part, whole: round(100 * part / whole) if whole else 0
    return env


def render(template: str, page: Page, **context) -> str:
    """Render `template` for `page`; `t` holds the interface labels and `tx` picks a Text's language."""
    lang = page.lang
    t = labels(lang)

    def tx(text: Text) -> str:
        return review.pick(text, lang)

    def fmt(key: str, count: int | None = None, **values) -> str:
        return label_fmt(lang, key, count, **values)

    return environment().get_template(template).render(page=page, lang=lang, t=t, tx=tx, fmt=fmt, link=page.link,
                                                       month_label=lambda value: month_label(value, lang), **context)


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
