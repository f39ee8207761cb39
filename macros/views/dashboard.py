"""The progress dashboard: totals by status, a bar per pillar and per owner, completed activities."""
from __future__ import annotations

from ..data.model import Plan
from ..data.progress import completed_trend, latest_period
from .render import Page, render
from ..data.stats import COMPLETED, owner_index, progress


def render_dashboard(plan: Plan, page: Page) -> str:
    return render("dashboard.html", page, plan=plan, overall=progress(plan, plan.activities),
                  pillars=[(p, progress(plan, p.activities)) for p in plan.pillars], owners=owner_index(plan),
                  completed=[a for a in plan.activities if a.current_status.id == COMPLETED],
                  trend=completed_trend(plan), latest=latest_period(plan))
