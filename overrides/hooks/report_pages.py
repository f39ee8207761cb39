"""MkDocs hook: a page per reporting period and per owner report, generated in memory from the data.

Periods and owners come from the data, so their pages cannot be committed stubs. Each generated page is
a single macro call like every other page, added after static-i18n has sorted the files (priority -200),
with the language attributes that its language switcher needs.
"""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel


def stubs(plan) -> dict[str, str]:
    """Language-neutral docs path -> page source."""
    pages = {f"reports/{p.id}.md": f'{{{{ render_period_report("{p.id}") }}}}\n' for p in plan.periods}
    # An owner report repeats activities that live on the pillar pages: search leads to the pillar pages.
    pages.update({f"reports/owners/{o.id}.md": f'---\nsearch:\n  exclude: true\n---\n\n{{{{ render_owner_report("{o.id}") }}}}\n'
                  for o in plan.owners})
    return pages


def dest_uri(path: str, lang: str, default: str) -> str:
    html = path[: -len(".md")] + ".html"
    return html if lang == default else f"{lang}/{html}"


@event_priority(-200)
def on_files(files, config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.data.load import load_plan
    from macros.data.model import LANGUAGES
    from macros.data.problems import DataError
    try:
        plan = load_plan()
    except DataError:
        return files  # the macros report the problem on every page
    lang, default = config.theme["language"], LANGUAGES[0]
    for path, source in stubs(plan).items():
        # Not in the nav: linked from reports.md; NOT_IN_NAV keeps strict validation quiet about it.
        page = File.generated(config, f"{lang}/{path}", content=source, inclusion=InclusionLevel.NOT_IN_NAV)
        page.dest_uri = dest_uri(path, lang, default)
        page.alternates = {other: SimpleNamespace(url=dest_uri(path, other, default)) for other in LANGUAGES}
        page.alternates[lang] = page
        page.locale = page.locale_alternate_of = page.localization = lang
        page.norm_src_uri = path
        files.append(page)
    return files
