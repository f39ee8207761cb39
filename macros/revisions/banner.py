"""The banner of a frozen revision's pages: which revision this is, which one is current (texts, per language)."""
from __future__ import annotations

from ..data.model import LANGUAGES, Meta
from ..labels import fmt, labels


def revision_name(meta: Meta, lang: str) -> str:
    """'2023-11 (draft, 2024-02-01)' as far as the data says: the state and approval date when it records them."""
    state = getattr(meta, "state", None)  # meta.state and approved_on are recent fields (older files lack them)
    date = getattr(meta, "approved_on", None)
    if not state:
        return fmt(lang, "revision_named", version=meta.version)
    state_label = labels(lang).get(f"revision_state_{state}", state)
    if date:
        return fmt(lang, "revision_named_state_date", version=meta.version, state=state_label, date=date)
    return fmt(lang, "revision_named_state", version=meta.version, state=state_label)


def banner(frozen: Meta, current: Meta) -> dict[str, dict[str, str]]:
    """Per language, the banner's sentence and its link's words (plain text: the template escapes them)."""
    return {lang: {"text": fmt(lang, "revision_banner", revision=revision_name(frozen, lang),
                               current=revision_name(current, lang)),
                   "link": labels(lang)["revision_banner_link"]}
            for lang in LANGUAGES}
