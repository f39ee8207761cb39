"""The names of the files handed out (offline zip, PDFs): named after the data they hold, with a stable alias."""
from __future__ import annotations

from ..data.model import Plan

# The latest build's files under names that never change, e.g. for a link to the newest offline bundle.
LATEST = "sip-latest"


def stem(plan: Plan) -> str:
    """'sip-2023-11' for the plan's baseline alone, 'sip-2023-11-2026Q3' once a report was imported."""
    return f"sip-{plan.meta.version}" + (f"-{plan.as_of.period_tag}" if plan.as_of.period_tag else "")


def offline_zip(plan: Plan) -> str:
    return f"{stem(plan)}-offline.zip"


def pdf(plan: Plan, lang: str) -> str:
    return f"{stem(plan)}-{lang}.pdf"


def alias(name: str, plan: Plan) -> str:
    """The stable name of a file named by offline_zip() or pdf(): 'sip-latest-offline.zip', 'sip-latest-fr.pdf'."""
    return LATEST + name.removeprefix(stem(plan))
