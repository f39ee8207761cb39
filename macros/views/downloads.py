"""The downloads page: the plan as JSON (with its schema) and the activities as an HXL-tagged CSV, documented."""
from __future__ import annotations

from ..exchange.exports import (CSV_NAME, JSON_NAME, SCHEMA_NAME, SCHEMA_SOURCE, activities_csv, hxl_columns,
                                licence, plan_json)
from ..data.model import Plan
from .render import Page, render


def render_downloads(plan: Plan, page: Page) -> str:
    files = [("json", page.site_file(JSON_NAME), len(plan_json(plan, page.site_url).encode("utf-8"))),
             ("schema", page.site_file(SCHEMA_NAME), SCHEMA_SOURCE.stat().st_size),
             ("csv", page.site_file(CSV_NAME), len(activities_csv(plan, page.site_url).encode("utf-8")))]
    # The recipe names the published address when known, else the file as saved by the browser.
    csv_source = page.site_url + CSV_NAME if page.site_url else CSV_NAME.rsplit("/", 1)[1]
    return render("downloads.html", page, plan=plan, files=files, columns=hxl_columns(), csv_source=csv_source,
                  licence=licence(plan))
