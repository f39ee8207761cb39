"""The plain baseline: the same pages as static Markdown, built by MkDocs without the macros."""
from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import sys
import time
from pathlib import Path

import jinja2
import yaml

from .common import ROOT

from macros.data.model import LANGUAGES, Plan  # noqa: E402
from macros.entry import footer_lines, short_titles  # noqa: E402
from macros.exchange.exports import write_downloads  # noqa: E402
from macros.exchange.feed import atom_feed, feed_base  # noqa: E402
from macros.labels import labels  # noqa: E402
from macros.views.describe import describe  # noqa: E402
from macros.views.pages import VIEWS, page_appendix  # noqa: E402
from macros.views.render import Page  # noqa: E402

# The same front-matter pattern as MkDocs: the macros only see the page body.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def _with_meta(front: str, meta: dict) -> str:
    """The page's front matter with `meta` added (what the macros set on the page while rendering it)."""
    values = yaml.safe_load(front.strip().strip("-")) if front else {}
    values = {**(values or {}), **meta}
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\n"


def write_plain_project(plan: Plan, dest: Path) -> float:
    """The site as static Markdown: every page rendered once by the views, then a MkDocs project with the same
    theme, overrides, extensions, plugins and hooks, minus the macros plugin and the report-pages hook.

    Returns the time spent rendering the pages (the views alone, for information)."""
    sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
    from report_pages import expand_nav, stubs  # the pillar, period and owner report pages the hook adds in memory

    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    site_url = (os.environ.get("SITE_URL", "").rstrip("/") + "/") if os.environ.get("SITE_URL") else ""
    # As in mkdocs-macros: the page is a Jinja template whose macros return Markdown (data already escaped).
    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    start = time.perf_counter()
    for lang in LANGUAGES:
        sources = {src.relative_to(ROOT / "docs" / lang).as_posix(): src.read_text(encoding="utf-8")
                   for src in sorted((ROOT / "docs" / lang).rglob("*.md"))}
        sources.update(stubs(plan))
        for path, text in sources.items():
            match = _FRONT_MATTER.match(text)
            front = match.group(0) if match else ""
            page = Page(lang, path, site_url)
            meta: dict[str, str] = {}

            def macro(*args, _name, _view, _page=page, _meta=meta):
                # As macros/__init__.py's _bind: the page's description comes from its data.
                description = describe(plan, _name, _page.lang, *args)
                if description:
                    _meta["description"] = description
                return _view(plan, _page, *args)

            macros = {name: functools.partial(macro, _name=name, _view=view) for name, view in VIEWS.items()}
            markdown = page_appendix(plan, lang, jinja.from_string(text[len(front):]).render(**macros))
            if meta:
                front = _with_meta(front, meta)
            target = docs / lang / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(front + markdown, encoding="utf-8")
        if plan.periods:
            (docs / lang / "feed.xml").write_bytes(atom_feed(plan, lang, feed_base(site_url, lang)))
    # The downloads the macros write at the site root: static files of the default language's folder.
    write_downloads(plan, docs / LANGUAGES[0], site_url)
    rendered = time.perf_counter() - start

    from mkdocs.utils.yaml import yaml_load
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as source:
        config = yaml_load(source)
    config["docs_dir"] = "docs"
    config["nav"] = expand_nav(config["nav"], plan)  # the pillar pages' entries, as the hook makes them
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["hooks"] = [str(ROOT / hook) for hook in config["hooks"] if "report_pages" not in hook]
    config["plugins"] = [p for p in config["plugins"] if not (p == "macros" or isinstance(p, dict) and "macros" in p)]
    config.pop("watch", None)
    # What define_env adds to the theme's context (the bilingual 404 page).
    config["extra"]["sip_labels"] = {lang: labels(lang) for lang in LANGUAGES}
    config["extra"]["sip_footer"] = footer_lines(plan)  # the footer's data line
    config["extra"]["sip_short_title"] = short_titles(plan)  # the header's title on a phone
    # The report pages are outside the nav, as the hook marks them.
    config["not_in_nav"] = "reports/\n"
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return rendered


def compare_sites(ours: Path, plain: Path) -> dict:
    """How many HTML pages the plain baseline built byte for byte like ours: the baseline is the same site."""
    def digests(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest() for p in site.rglob("*.html")}
    a, b = digests(ours), digests(plain)
    same = sorted(k for k in a if b.get(k) == a[k])
    return {"html_pages": len(a), "identical": len(same), "differ": sorted(set(a) ^ set(b) | {k for k in a if k in b and a[k] != b[k]})[:10]}
