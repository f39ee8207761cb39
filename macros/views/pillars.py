"""Pillar pages: goal, then outcomes, outputs and activities, each with its permanent anchor."""
from __future__ import annotations

from ..model import Plan
from ..render import Page, render
from ..stats import progress


def render_pillar(plan: Plan, page: Page, pillar_id: str) -> str:
    pillar = next(p for p in plan.pillars if p.id == str(pillar_id))
    return render("pillar.html", page, pillar=pillar, pillar_progress=progress(plan, pillar.activities),
                  retired_here=[r for r in plan.retired if r.pillar_id == pillar.id])
