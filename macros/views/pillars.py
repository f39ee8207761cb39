"""Pillar pages: goal, then outcomes, outputs and activities, each with its permanent anchor."""
from __future__ import annotations

import os
from datetime import datetime, timezone

from babel.dates import format_date
from markupsafe import Markup

from ..data.model import Plan, as_of
from ..revisions.comments import CommentLinks
from .render import Page, render
from ..data.stats import progress
from ..revisions.anchors import moved_away


def render_pillar(plan: Plan, page: Page, pillar_id: str, depth: int = 0, printing: bool = False,
                  marks: dict | None = None, marks_version: str = "") -> str:
    """`marks`: activity id -> (mark, changes page, line anchor) for the activities new or reworded in this
    revision (revision "marks_version"); computed by macros/revisions, none in the printable plan."""
    pillar = next(p for p in plan.pillars if p.id == str(pillar_id))
    return render("pillar.html", page, pillar=pillar, pillar_progress=progress(plan, pillar.activities),
                  retired_here=[r for r in plan.retired if r.pillar_id == pillar.id], depth=depth, printing=printing,
                  moved_here=moved_away(plan).get(pillar.id, []), plan=plan, marks=marks or {}, marks_version=marks_version,
                  comments=CommentLinks.for_page(plan, page, printing))


def render_printable_plan(plan: Plan, page: Page) -> str:
    """The whole plan on one page, in reading order, for print and PDF."""
    # Already rendered (and escaped) Markdown: marked safe so it is not escaped twice.
    pillars = [Markup(render_pillar(plan, page, p.id, depth=1, printing=True)) for p in plan.pillars]
    return render("print.html", page, plan=plan, pillars=pillars, printing=True, cover_as_of=as_of(plan),
                  built=build_date(page.lang))


def build_date(lang: str) -> str:
    """Today's date (UTC) in words, for the cover; SOURCE_DATE_EPOCH (reproducible builds) fixes it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    # Babel's bare "en" is US English ("December 3"); the English site is British (og:locale en_GB).
    return format_date(moment.date(), format="long", locale="en_GB" if lang == "en" else lang)
