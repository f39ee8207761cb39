"""Where a plan anchor of an earlier revision lands in a plan: the same id, its new id (`former_ids`), or its
retirement note (`retired`). One answer for the pillar pages, the manifest check and the frozen pages' banners."""
from __future__ import annotations

from dataclasses import dataclass

from ..data.memo import once_per_plan
from ..data.model import Plan


@dataclass(frozen=True)
class Landing:
    page: str    # language-neutral page of the plan, e.g. "pillars/2.html"
    anchor: str  # where the reader lands on it, e.g. "a-2.2.2.1"
    how: str     # "same", "renumbered" or "retired"


@dataclass(frozen=True)
class Moved:
    """An old anchor whose element now lives on another page: the old page keeps a note that leads to it."""

    old_anchor: str
    old_id: str
    new_id: str
    landing: Landing


def pillar_page(pillar_id: str) -> str:
    return f"pillars/{pillar_id}.html"


def _elements(plan: Plan):
    """(element, its page) for every outcome, output and activity, in reading order."""
    for pillar in plan.pillars:
        page = pillar_page(pillar.id)
        for outcome in pillar.outcomes:
            yield outcome, page
            for output in outcome.outputs:
                yield output, page
                for activity in output.activities:
                    yield activity, page


@once_per_plan
def landings(plan: Plan) -> dict[str, Landing]:
    """Every plan anchor `plan` serves, its elements' former numbers and its retired activities included."""
    found = {p.anchor: Landing(pillar_page(p.id), p.anchor, "same") for p in plan.pillars}
    renumbered = {}
    for element, page in _elements(plan):
        found[element.anchor] = Landing(page, element.anchor, "same")
        kind = element.anchor[: -len(element.id)]  # "a-", "output-", "outcome-"
        for former in getattr(element, "former_ids", ()):
            renumbered[kind + former] = Landing(page, element.anchor, "renumbered")
    for retired in plan.retired:
        renumbered[f"a-{retired.id}"] = Landing(pillar_page(retired.pillar_id), f"a-{retired.id}", "retired")
    # A number reused by another element belongs to that element now.
    return {**renumbered, **found}


def former_pillar(old_anchor: str) -> str:
    """The pillar whose page published an old number: its first part (the plan numbers within its pillar)."""
    return old_anchor.partition("-")[2].split(".")[0]


@once_per_plan
def moved_away(plan: Plan) -> dict[str, list[Moved]]:
    """By pillar id: the old numbers that page published whose element was renumbered onto another page."""
    pillars = {p.id for p in plan.pillars}
    moved: dict[str, list[Moved]] = {}
    for old, landing in landings(plan).items():
        pillar = former_pillar(old)
        if landing.how == "renumbered" and pillar in pillars and pillar_page(pillar) != landing.page:
            moved.setdefault(pillar, []).append(Moved(old, old.partition("-")[2], landing.anchor.partition("-")[2],
                                                      landing))
    return moved
