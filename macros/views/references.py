"""The links between pages that the build resolves, resolved without MkDocs: `make check` runs this before any build.

Every page's macro is rendered in memory in every language (the Markdown and HTML MkDocs would convert), its
anchors collected (`id="..."`, attribute lists `{#...}`), and every link `page.md#anchor` checked against the page
it names in the same language: the links between languages' pages, glossary and acronym anchors, data-quality
links, footnotes. A link the strict build would refuse comes back here first.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from ..data.model import LANGUAGES, Plan
from .pages import VIEWS, page_appendix
from .render import Page

DOCS = Path(__file__).resolve().parents[2] / "docs"
_CALL = re.compile(r"\{\{\s*(render_\w+)\(([^)]*)\)\s*\}\}")
_ANCHOR = re.compile(r"""\bid=["']([^"']+)["']|\{:?[^}\n]*#([A-Za-z][\w:.-]*)[^}\n]*\}""")
_LINK = re.compile(r"""\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)|\bhref=["']([^"']+)["']""")


def page_sources(plan: Plan) -> dict[str, str]:
    """Docs path -> source, for every page the build makes: the thin pages of docs/ and the generated ones."""
    sources = {path.relative_to(DOCS / LANGUAGES[0]).as_posix(): path.read_text(encoding="utf-8")
               for path in sorted((DOCS / LANGUAGES[0]).rglob("*.md"))}
    from overrides_hooks_report_pages import stubs  # noqa: E402 - loaded below, the hooks folder is no package
    sources.update(stubs(plan))
    return sources


def rendered(plan: Plan, lang: str, path: str, source: str) -> str:
    """What MkDocs would convert for `path` in `lang`: each macro call replaced by its view's output."""
    page = Page(lang, path)

    def call(match: re.Match) -> str:
        args = [a.strip().strip("\"'") for a in match.group(2).split(",") if a.strip()]
        return str(VIEWS[match.group(1)](plan, page, *args))

    return page_appendix(plan, lang, _CALL.sub(call, source))


def unresolved(plan: Plan) -> list[tuple[str, str, str, str]]:
    """(language, page, link as written, anchor) for every link to an anchor its target page does not have."""
    sources = page_sources(plan)
    pages = {(lang, path): rendered(plan, lang, path, source) for lang in LANGUAGES for path, source in sources.items()}
    anchors = {key: {unquote(a or b) for a, b in _ANCHOR.findall(text)} for key, text in pages.items()}
    broken = []
    for (lang, path), text in pages.items():
        for written, href in _LINK.findall(text):
            link = written or href
            target, _, anchor = link.partition("#")
            if not anchor or "://" in target or target.startswith(("mailto:", "data:")):
                continue
            if target and not target.endswith(".md"):
                continue  # a file (download, feed): not an anchor MkDocs checks
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(target))) if target else path
            if (lang, resolved) in anchors and unquote(anchor) not in anchors[(lang, resolved)]:
                broken.append((lang, path, link, unquote(anchor)))
    return broken


_PREFIXES = ("a-", "pillar-", "outcome-", "output-", "acronym-", "term-", "owner-", "commitment-", "note-", "fn:", "")


def problems(plan: Plan, doc) -> list:
    """The unresolved links as data problems, each at the line of the element its anchor names (else line 1)."""
    from ..data.problems import Problem
    found = []
    for lang, path, link, anchor in unresolved(plan):
        where, line, column = _element(doc, anchor)
        page = path[: -len(".md")] + ".html"
        found.append(Problem(doc.file, line, column, where,
                             f"the {_LANGUAGE_NAMES.get(lang, lang)} page {page} links to {unquote(link).replace('.md#', '.html#')}, "
                             f"an anchor that page does not have in {_LANGUAGE_NAMES.get(lang, lang)}: the build would fail",
                             "give the element what it needs in that language (an abbreviation, a text), or report this"))
    return found


_LANGUAGE_NAMES = {"fr": "French", "en": "English"}


def _element(doc, anchor: str) -> tuple[str, int, int]:
    """(name, line, column) of the data element an anchor like `acronym-gsl-rome` or `a-1.2.3.4` stands for."""
    for prefix in _PREFIXES:
        if anchor.startswith(prefix):
            ident = anchor[len(prefix):]
            position = _find(doc.data, ident, ())
            if position is not None:
                line, column = doc.mark(position)
                return f"{prefix.rstrip('-:') or 'element'} {ident}", line, column
    return "", 1, 1


def _find(node, ident: str, path: tuple):
    if isinstance(node, dict):
        if str(node.get("id", node.get("number", ""))) == ident:
            return path + (("id",) if "id" in node else ("number",))
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return None
    for key, value in items:
        found = _find(value, ident, path + (key,))
        if found is not None:
            return found
    return None


def _load_stubs():
    """overrides/hooks/report_pages.py is a MkDocs hook file, not a package module: load it by path once."""
    import importlib.util
    import sys
    name = "overrides_hooks_report_pages"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, DOCS.parent / "overrides" / "hooks" / "report_pages.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


_load_stubs()
