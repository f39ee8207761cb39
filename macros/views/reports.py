"""Progress reports: the index, one page per reporting period, one report per owner."""
from __future__ import annotations

from ..exchange.feed import FEED_NAME
from ..data.model import Plan
from ..data.progress import owner_activities, period_report
from .render import Page, render
from ..data.stats import progress



def render_reports(plan: Plan, page: Page) -> str:
    reports = [period_report(plan, p.id) for p in plan.periods]
    # Each language's feed sits beside its reports page (feed.xml, en/feed.xml): a raw link, not a page.
    return render("reports.html", page, plan=plan, reports=reports, feed=FEED_NAME)


def render_period_report(plan: Plan, page: Page, period_id: str) -> str:
    return render("period.html", page, plan=plan, report=period_report(plan, period_id))


def render_owner_report(plan: Plan, page: Page, owner_id: str) -> str:
    owner = next(o for o in plan.owners if o.id == owner_id)
    groups = owner_activities(plan, owner)
    activities = [a for _, acts in groups for a in acts]
    return render("owner_report.html", page, plan=plan, owner=owner, groups=groups,
                  owner_progress=progress(plan, activities))
