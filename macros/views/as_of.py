"""The "statuses as of" statement in words, from plan.as_of: one wording for pages, README, feed, JSON and PDF."""
from __future__ import annotations

from ..data.model import Plan
from ..labels import fmt


def as_of_title(plan: Plan, lang: str) -> str:
    """Short: « Statuts en date du rapport 2026-Q3 » / "Statuses as of November 2023"."""
    return _say(plan, lang, "as_of_title")


def as_of_sentence(plan: Plan, lang: str) -> str:
    """Whole: the date the statuses speak for and, when a report was imported, the plan's baseline beside it."""
    return _say(plan, lang, "as_of")


def _say(plan: Plan, lang: str, key: str) -> str:
    from .render import month_label  # render imports this module for its templates

    as_of = plan.as_of
    which = "report" if as_of.period else "baseline"
    return fmt(lang, f"{key}_{which}", period=as_of.period.id if as_of.period else "",
               baseline=month_label(as_of.baseline, lang))
