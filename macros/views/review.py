"""A discreet, accessible "translation being updated" marker after English texts not checked against their French."""
from __future__ import annotations

from markupsafe import Markup

from ..data.model import LANGUAGES, Text
from ..labels import labels


class PendingText(str):
    """A text in a translated language, carrying why it awaits review ("stale" or "new") to the filters."""

    review = ""
    lang = ""


def pick(text: Text, lang: str) -> str:
    """`text` in `lang`; a translation awaiting review comes back as a PendingText so that filters can mark it."""
    value = text(lang)
    if not text.review or lang == LANGUAGES[0]:
        return value
    pending = PendingText(value)
    pending.review, pending.lang = text.review, lang
    return pending


def marking(env, name: str) -> None:
    """Wrap the Jinja filter `name` so that its output is followed by the marker when its input awaits review."""
    inner = env.filters[name]

    def marked(value, *args, **kwargs):
        result = inner(value, *args, **kwargs)
        state = getattr(value, "review", "")
        if not state:
            return result
        label = labels(value.lang)[f"translation_review_{state}"]
        return Markup(result) + Markup(env.get_template("review_marker.html").render(state=state, label=label))

    env.filters[name] = marked


def _target(field: str, plan=None, lang: str = "") -> str | None:
    """The page and anchor where the text of `field` is shown (docs path), or None for texts not on one place."""
    parts = field.split("/")
    if parts[0] == "acronyms" and len(parts) > 1 and plan is not None:
        # An acronym the language does not use (no English "GSL Rome") has no row in that glossary: its term has.
        acronym = next((a for a in plan.acronyms if a.id == parts[1]), None)
        if acronym is not None and not acronym.abbr[lang]:
            return f"glossary.md#term-{acronym.glossary}" if acronym.glossary else None
    anchors = {"pillars": "pillar-", "outcomes": "outcome-", "outputs": "output-", "activities": "a-"}
    if parts[0] == "pillars" and len(parts) > 1:
        anchor = next((anchors[parts[i]] + parts[i + 1] for i in range(len(parts) - 2, -1, -1)
                       if parts[i] in anchors and i + 1 < len(parts)), "")
        return f"pillars/{parts[1]}.md#{anchor}"
    by_top = {"owners": "owners.md#owner-", "acronyms": "glossary.md#acronym-", "sections": "governance.md#"}
    if parts[0] in by_top and len(parts) > 1:
        return by_top[parts[0]] + parts[1]
    if parts[:2] == ["glossary", "entries"] and len(parts) > 2:
        return f"glossary.md#term-{parts[2]}"
    if parts[0] == "annex":
        return "annex.md#commitment-" + parts[2] if parts[1:2] == ["commitments"] and len(parts) > 2 else "annex.md"
    return None


def rows(plan, page) -> list[tuple[str, str | None, str, int]]:
    """(field, link or None, what happened, line in the data) for every translation awaiting review."""
    t = labels(page.lang)
    found = []
    for warning in plan.warnings:
        if warning.code in ("translation_stale", "translation_new"):
            field = warning.params["field"]
            target = _target(field, plan, page.lang)
            found.append((field, page.link(target) if target else None,
                          t[f"translation_state_{warning.code.removeprefix('translation_')}"], warning.line))
    return found
