"""The downloads page: the plan as JSON and the activities as an HXL-tagged CSV, with their sizes."""
from __future__ import annotations

from ..exchange.exports import CSV_NAME, JSON_NAME, activities_csv, plan_json
from ..data.model import Plan
from .render import Page, render


def render_downloads(plan: Plan, page: Page) -> str:
    files = [("json", page.site_file(JSON_NAME), len(plan_json(plan, page.site_url).encode("utf-8"))),
             ("csv", page.site_file(CSV_NAME), len(activities_csv(plan, page.site_url).encode("utf-8-sig")))]
    return render("downloads.html", page, plan=plan, files=files)
