"""The Revisions page: every revision with its state, date and links (macros/revisions/history.py)."""
from __future__ import annotations

from ..data.load import data_path
from ..data.model import Plan
from ..revisions.listing import revision_history
from .render import Page, render


def render_revisions(plan: Plan, page: Page) -> str:
    # Frozen revisions' pages, changes pages and files are published by convention at these addresses
    # (README, 'Revisions'), by the build of the frozen revisions.
    rows = [(r, {
        "read": None if r.current else f"revisions/{r.version}/index.html",
        "changes": f"changes/{r.version}.html" if r.predecessor else None,
        "downloads": [] if r.current else [(key, page.site_file(f"downloads/revisions/{r.files}-{suffix}"))
                                           for key, suffix in (("revision_pdf_fr", "fr.pdf"), ("revision_pdf_en", "en.pdf"),
                                                               ("revision_offline", "offline.zip"))],
    }) for r in revision_history(plan, data_path())]
    return render("revisions.html", page, plan=plan, rows=rows)
