"""The glossary: the plan's terms, then every acronym with its expansion in the page's language."""
from __future__ import annotations

from ..data.model import Plan
from .render import Page, render


def render_glossary(plan: Plan, page: Page) -> str:
    # An acronym the language does not use (e.g. no English form of "GSL Rome") is not listed there.
    acronyms = sorted((a for a in plan.acronyms if a.abbr[page.lang]), key=lambda a: a.abbr[page.lang][0].lower())
    return render("glossary.html", page, plan=plan, acronyms=acronyms)
