"""One-line page descriptions (meta description, link previews), drawn from each page's own data."""
from __future__ import annotations

import re

from ..data.model import Plan
from ..data.progress import owner_activities
from ..data.stats import progress
from ..labels import fmt, labels

# Markdown that the data's texts may hold, reduced to its words: links, footnote references, emphasis.
_LINK = re.compile(r"\[([^\[\]]{0,500})\]\([^()\s]{0,2000}\)")
_FOOTNOTE = re.compile(r"\[\^[^\[\]\s]{1,100}\]")
_EMPHASIS = re.compile(r"[*_`]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def plain(markdown: str) -> str:
    """The words of a Markdown text, on one line."""
    text = _FOOTNOTE.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    return " ".join(_EMPHASIS.sub("", text).split())


def first_sentences(text: str, length: int = 160) -> str:
    """Whole sentences of `text` up to about `length` characters (at least one)."""
    sentences = _SENTENCE_END.split(text)
    kept = sentences[0]
    for sentence in sentences[1:]:
        if len(kept) + 1 + len(sentence) > length:
            break
        kept += " " + sentence
    return kept


def describe(plan: Plan, view: str, lang: str, *args) -> str | None:
    """The description of the page a view renders, or None to let the page's first paragraphs speak."""
    t = labels(lang)
    if view == "render_home":
        purpose = next((s for s in plan.sections if s.id == "purpose"), None)
        counts = t["description_home"].format(title=plan.meta.title(lang), pillars=len(plan.pillars),
                                              outcomes=len(plan.outcomes), outputs=len(plan.outputs),
                                              activities=len(plan.activities))
        return counts + (" " + first_sentences(plain(purpose.body(lang)), 120) if purpose else "")
    if view == "render_pillar" and args:
        pillar = next((p for p in plan.pillars if p.id == str(args[0])), None)
        if pillar is None:
            return None
        done = progress(plan, pillar.activities)
        return t["description_pillar"].format(goal=plain(pillar.goal(lang)), activities=fmt(lang, "activities_n", done.total),
                                              completed=done.done, outcomes=fmt(lang, "outcomes_n", len(pillar.outcomes)))
    if view == "render_owner_index":
        return t["description_owners"].format(owners=fmt(lang, "owners_n", len(plan.owners)),
                                              activities=fmt(lang, "activities_n", len(plan.activities)))
    if view == "render_owner_report" and args:
        owner = next((o for o in plan.owners if o.id == args[0]), None)
        if owner is None:
            return None
        done = progress(plan, [a for _, acts in owner_activities(plan, owner) for a in acts])
        return t["description_owner_report"].format(owner=plain(owner.name(lang)), activities=fmt(lang, "activities_n", done.total),
                                                    completed=done.done)
    if view == "render_glossary":
        return t["description_glossary"].format(terms=len(plan.glossary), acronyms=sum(1 for a in plan.acronyms if a.abbr[lang]))
    if view == "render_printable_plan":
        # Without it the fallback strings the cover's lines together ("Logistics Cluster Logistics Cluster ...").
        return t["description_print"].format(title=plan.meta.title(lang), pillars=len(plan.pillars),
                                             activities=len(plan.activities))
    return None
