"""The registry of page macros, and the appendix (footnotes, abbreviations) added to every page."""
from __future__ import annotations

from pathlib import Path

from ..data.model import LANGUAGES, Plan
from .render import footnote_refs, render, Page
from . import dashboard, downloads, glossary, owners, pillars, reports, site

VIEWS = {
    "render_home": site.render_home,
    "render_governance": site.render_governance,
    "render_pillar": pillars.render_pillar,
    "render_owner_index": owners.render_owner_index,
    "render_dashboard": dashboard.render_dashboard,
    "render_glossary": glossary.render_glossary,
    "render_annex": site.render_annex,
    "render_data_quality": site.render_data_quality,
    "render_downloads": downloads.render_downloads,
    "render_reports": reports.render_reports,
    "render_printable_plan": pillars.render_printable_plan,
    "render_period_report": reports.render_period_report,
    "render_owner_report": reports.render_owner_report,
}


def page_appendix(plan: Plan, lang: str, markdown: str) -> str:
    """`markdown` followed by the definitions of the footnotes it cites and every abbreviation, in `lang`."""
    cited = [plan.footnote(ref) for ref in footnote_refs(markdown) if any(f.id == ref for f in plan.footnotes)]
    return markdown + render("appendix.html", Page(lang, ""), footnotes=cited, acronyms=plan.acronyms)


def pillar_pages_mismatch(plan: Plan, docs_dir: str) -> str:
    """Why the pillar pages in docs/ do not match the plan's pillars, or '' when they do."""
    wanted = {p.id for p in plan.pillars}
    problems = []
    for lang in LANGUAGES:
        have = {path.stem for path in (Path(docs_dir) / lang / "pillars").glob("*.md")}
        if have != wanted:
            problems.append(f"docs/{lang}/pillars/ has pages for pillars {sorted(have)} but the data has pillars {sorted(wanted)}")
    if not problems:
        return ""
    return ("\n".join(problems) + "\nEach pillar has a page: add or remove docs/fr/pillars/N.md and docs/en/pillars/N.md "
            "(each holding {{ render_pillar(\"N\") }}) and the matching nav entry in mkdocs.yml.")
