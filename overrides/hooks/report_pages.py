"""MkDocs hook: the pages that come from the data, generated in memory: a page per pillar (with its nav entry),
per reporting period, per owner report and per revision's changes (with its nav entry).

Pillars, periods and owners come from the data, so their pages cannot be committed stubs. Each generated page is
a single macro call like every other page, added after static-i18n has sorted the files (priority -200),
with the language attributes that its language switcher needs. The nav entry `pillars/*.md` in mkdocs.yml
stands for the pillar pages, in the data's order; `changes/*.md` for the revisions' changes pages, if any.
"""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

NAV_PLACEHOLDER = "pillars/*.md"
CHANGES_PLACEHOLDER = "changes/*.md"  # the changes pages of the revisions (none until a revision is frozen)


def pillar_pages(plan) -> dict[str, str]:
    """Language-neutral docs path -> page source, for the pillar pages (listed in the nav)."""
    return {f"pillars/{p.id}.md": f'{{{{ render_pillar("{p.id}") }}}}\n' for p in plan.pillars}


def changes_pages(plan) -> dict[str, str]:
    """The changes page of every revision that has a predecessor, newest first (listed in the nav). They repeat
    texts of the pillar pages, old wordings included: search leads to the pillar pages."""
    from macros.revisions.history import change_versions
    return {f"changes/{v}.md": f'---\nsearch:\n  exclude: true\n---\n\n{{{{ render_changes("{v}") }}}}\n'
            for v in change_versions(plan)}


def nav_pages(plan) -> dict[str, str]:
    return {**pillar_pages(plan), **changes_pages(plan)}


def stubs(plan) -> dict[str, str]:
    """Language-neutral docs path -> page source, for every generated page."""
    pages = nav_pages(plan)
    pages.update({f"reports/{p.id}.md": f'{{{{ render_period_report("{p.id}") }}}}\n' for p in plan.periods})
    # An owner report repeats activities that live on the pillar pages: search leads to the pillar pages.
    pages.update({f"reports/owners/{o.id}.md": f'---\nsearch:\n  exclude: true\n---\n\n{{{{ render_owner_report("{o.id}") }}}}\n'
                  for o in plan.owners})
    return pages


def expand_nav(nav: list, plan) -> list:
    """`nav` with the placeholder entry replaced by the plan's pillar pages (nothing without a plan)."""
    placeholders = {NAV_PLACEHOLDER: list(pillar_pages(plan)) if plan is not None else [],
                    CHANGES_PLACEHOLDER: list(changes_pages(plan)) if plan is not None else []}
    expanded = []
    for item in nav:
        if item in placeholders:
            expanded.extend(placeholders[item])
        elif isinstance(item, dict):
            expanded.append({title: expand_nav(value, plan) if isinstance(value, list) else value
                             for title, value in item.items()})
        else:
            expanded.append(item)
    return expanded


def dest_uri(path: str, lang: str, default: str) -> str:
    html = path[: -len(".md")] + ".html"
    return html if lang == default else f"{lang}/{html}"


_pinned: list = []  # this module is loaded afresh with each configuration, so once per build or preview rebuild


def _plan(config):
    """The validated plan, or None when the data has errors (the macros then report them on every page).

    Read once per build: a save during the build (a live preview) must not give the nav and the pages two versions."""
    if _pinned:
        return _pinned[0]
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.data.load import load_plan
    from macros.data.problems import DataError
    try:
        plan = load_plan()
    except DataError:
        plan = None
    _pinned.append(plan)
    return plan


def on_config(config, **kwargs):
    if config.nav:
        config.nav = expand_nav(config.nav, _plan(config))
    return config


@event_priority(-200)
def on_files(files, config, **kwargs):
    from macros.data.model import LANGUAGES
    plan = _plan(config)
    if plan is None:
        return files
    lang, default = config.theme["language"], LANGUAGES[0]
    in_nav = nav_pages(plan)
    for path, source in stubs(plan).items():
        # Report pages are not in the nav (linked from reports.md); NOT_IN_NAV keeps strict validation quiet about them.
        inclusion = InclusionLevel.INCLUDED if path in in_nav else InclusionLevel.NOT_IN_NAV
        page = File.generated(config, f"{lang}/{path}", content=source, inclusion=inclusion)
        page.dest_uri = dest_uri(path, lang, default)
        # Itself first, as static-i18n lists alternates; the other languages' pages do not exist yet (no .page).
        page.alternates = {lang: page, **{other: SimpleNamespace(url=dest_uri(path, other, default), page=None)
                                          for other in LANGUAGES if other != lang}}
        page.locale = page.locale_alternate_of = page.localization = lang
        page.norm_src_uri = path
        files.append(page)
    return files
