"""Pillar pages: goal, then outcomes, outputs and activities, each with its permanent anchor."""
from __future__ import annotations

from markupsafe import Markup

from ..data.model import Plan
from .render import Page, render
from ..data.stats import progress
from ..revisions.anchors import moved_away


def render_pillar(plan: Plan, page: Page, pillar_id: str, depth: int = 0, printing: bool = False) -> str:
    pillar = next(p for p in plan.pillars if p.id == str(pillar_id))
    return render("pillar.html", page, pillar=pillar, pillar_progress=progress(plan, pillar.activities),
                  retired_here=[r for r in plan.retired if r.pillar_id == pillar.id], depth=depth, printing=printing,
                  moved_here=moved_away(plan).get(pillar.id, []), plan=plan)


def render_printable_plan(plan: Plan, page: Page) -> str:
    """The whole plan on one page, in reading order, for print and PDF."""
    # Already rendered (and escaped) Markdown: marked safe so it is not escaped twice.
    pillars = [Markup(render_pillar(plan, page, p.id, depth=1, printing=True)) for p in plan.pillars]
    return render("print.html", page, plan=plan, pillars=pillars, printing=True)
