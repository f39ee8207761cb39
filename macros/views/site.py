"""Home, governance, annex and data-quality pages."""
from __future__ import annotations

from ..labels import fmt, labels
from ..data.model import Plan
from ..revisions.comments import CommentLinks
from ..revisions.store import in_frozen_build
from . import review
from .render import Page, render
from ..data.stats import progress
from .notes import note_rows


def render_home(plan: Plan, page: Page) -> str:
    t = labels(page.lang)
    overall = progress(plan, plan.activities)
    figures = [(count, fmt(page.lang, f"figure_{key}", count)) for count, key in (
        (len(plan.pillars), "pillars"), (len(plan.outputs), "outputs"), (overall.total, "activities"),
        (overall.done, "completed"), (len(plan.owners), "owners"))]
    purpose = next((s for s in plan.sections if s.id == "purpose"), None)
    return render("home.html", page, plan=plan, figures=figures, purpose=purpose, comments=CommentLinks.for_page(plan, page),
                  frozen=in_frozen_build(),
                  pillars=[(p, progress(plan, p.activities)) for p in plan.pillars])


def render_governance(plan: Plan, page: Page) -> str:
    return render("governance.html", page, plan=plan)


def render_annex(plan: Plan, page: Page) -> str:
    return render("annex.html", page, annex=plan.annex, plan=plan)


def render_data_quality(plan: Plan, page: Page) -> str:
    """The validator's warnings, in the reader's language, each linked to the element it is about."""
    t = labels(page.lang)
    pillar_of = {a.id: a.pillar_id for a in plan.activities} | {op.id: p.id for p in plan.pillars for oc in p.outcomes for op in oc.outputs}
    rows = []
    for warning in plan.warnings:
        params = warning.params
        if warning.code == "numbering":
            # One sentence per parent kind: French articles agree with the noun (sa réalisation, son produit).
            key = f"warning_numbering_{params['parent_kind']}"
            message = (t[key] if key in t else t["warning_numbering"]).format(
                id=params["id"], parent_kind=t[params["parent_kind"]].lower(), parent_id=params["parent_id"])
            anchor = f"a-{params['id']}" if params["kind"] == "activity" else f"{params['kind']}-{params['id']}"
            target = page.link(f"pillars/{pillar_of[params['id']]}.md#{anchor}")
            rows.append((f"{t[params['kind']]} {params['id']}", target, message, warning.line))
    return render("data_quality.html", page, warnings=rows, notes=note_rows(plan, page),
                  pending=_pending_translations(plan, page), translations=review.rows(plan, page))


def _pending_translations(plan: Plan, page: Page) -> list[tuple]:
    """Update notes written in one language: (activity, link, period, language written in, data line)."""
    t = labels(page.lang)
    pillar_of = {a.id: a.pillar_id for a in plan.activities}
    return [(f"{t['activity']} {w.params['id']}", page.link(f"pillars/{pillar_of[w.params['id']]}.md#a-{w.params['id']}"),
             w.params["period"], t[f"language_{w.params['written']}"], w.line)
            for w in plan.warnings if w.code == "translation_pending" and w.params.get("id") in pillar_of]
