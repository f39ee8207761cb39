"""The owner index: every responsible body with its counts by status and its activities by pillar."""
from __future__ import annotations

from ..data.model import Plan
from .render import Page, render
from ..data.stats import owner_index, statuses_in_use


def render_owner_index(plan: Plan, page: Page) -> str:
    return render("owners.html", page, entries=owner_index(plan), statuses=statuses_in_use(plan))
