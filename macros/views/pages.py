"""The registry of page macros, and the appendix (footnotes, abbreviations) added to every page."""
from __future__ import annotations

from ..data.model import Plan
from .render import footnote_refs, render, Page
from . import dashboard, downloads, glossary, owners, pillars, reports, revisions, site

from ..revisions import pages as revision_pages

VIEWS = {
    "render_home": site.render_home,
    "render_governance": site.render_governance,
    "render_pillar": revision_pages.render_pillar,  # pillars.render_pillar with the revision's marks
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
    "render_changes": revision_pages.render_changes,
    "render_revisions": revisions.render_revisions,
}


def page_appendix(plan: Plan, lang: str, markdown: str) -> str:
    """`markdown` followed by the definitions of the footnotes it cites and every abbreviation, in `lang`."""
    cited = [plan.footnote(ref) for ref in footnote_refs(markdown) if any(f.id == ref for f in plan.footnotes)]
    return markdown + render("appendix.html", Page(lang, ""), footnotes=cited, acronyms=plan.acronyms)

