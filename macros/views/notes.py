"""The editor's notes as the Data quality page lists them: each with the element it is about and a link to it."""
from __future__ import annotations

from ..data.model import EditorNote, Plan
from ..labels import labels
from .render import Page


_ANCHORS = {"pillar": "pillar-", "outcome": "outcome-", "output": "output-", "activity": "a-"}


def note_rows(plan: Plan, page: Page) -> list[tuple[EditorNote, str, str]]:
    """(note, the element's name in the page's language, a link to the element) for every editor's note."""
    return [(note, *_element(plan, page, note.about)) for note in plan.editor_notes]


def _element(plan: Plan, page: Page, about: str) -> tuple[str, str]:
    t, lang = labels(page.lang), page.lang
    kind, _, ident = about.rpartition(" ")
    if about.startswith("meta."):
        field = about.removeprefix("meta.")
        return t.get(field, field), page.link("index.md#home")
    if kind in _ANCHORS:
        return f"{t[kind]} {ident}", page.link(f"pillars/{_pillar_of(plan, kind, ident)}.md#{_ANCHORS[kind]}{ident}")
    if kind == "section":
        section = next(s for s in plan.sections if s.id == ident)
        return section.title(lang), page.link(f"governance.md#{ident}")
    if kind == "glossary entry":
        entry = next(g for g in plan.glossary if g.id == ident)
        return entry.term(lang), page.link(f"glossary.md#{entry.anchor}")
    return t["editor_note_commitment"].format(number=ident), page.link(f"annex.md#commitment-{ident}")


def _pillar_of(plan: Plan, kind: str, ident: str) -> str:
    for pillar in plan.pillars:
        for outcome in pillar.outcomes:
            for output in outcome.outputs:
                ids = {"pillar": pillar.id, "outcome": outcome.id, "output": output.id}
                if ids.get(kind) == ident or (kind == "activity" and any(a.id == ident for a in output.activities)):
                    return pillar.id
    raise KeyError(f"{kind} {ident}")
