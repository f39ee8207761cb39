"""Checks on the editor's notes: unique ids, an existing element to be about, quotes found in its texts."""
from __future__ import annotations

import difflib

from .texts import bilingual_texts
from ..messages import Msg
from .yamlnodes import Document, describe

# Elements whose text the site shows with a note marker beside it (the schema's pattern for `about` says the same).
NOTED_KINDS = ("meta.", "pillar ", "outcome ", "output ", "activity ", "section ", "glossary entry ", "commitment ")


def check_editor_notes(doc: Document) -> None:
    """Add a problem for each note with a duplicate id, an unknown element, or a quote not in that element."""
    data = doc.data if isinstance(doc.data, dict) else {}
    notes = data.get("editor_notes")
    if not isinstance(notes, list):
        return
    texts = _texts_by_element(data)
    seen: dict = {}
    for i, note in enumerate(notes):
        if not isinstance(note, dict):
            continue
        path = ("editor_notes", i)
        where = f"editor note {note.get('id')}"
        if isinstance(note.get("id"), str):
            if note["id"] in seen:
                doc.problem(path + ("id",), where, Msg("note_duplicate", id=note['id'], line=doc.mark(seen[note['id']])[0]),
                            Msg("note_duplicate_hint"))
            seen.setdefault(note["id"], path + ("id",))
        about = note.get("about")
        if not isinstance(about, str):
            continue
        if about not in texts or not about.startswith(NOTED_KINDS):
            known = sorted(name for name in texts if name.startswith(NOTED_KINDS))
            close = difflib.get_close_matches(about, known, n=1)
            doc.problem(path + ("about",), where, Msg("note_about_unknown", about=about),
                        Msg("did_you_mean", value=close[0]) if close else Msg("note_about_hint"))
            continue
        quote = note.get("quote")
        for lang in ("fr", "en"):
            wording = quote.get(lang) if isinstance(quote, dict) else None
            if isinstance(wording, str) and wording.strip() and not any(wording.strip() in text for text in texts[about][lang]):
                doc.problem(path + ("quote", lang), where, Msg("note_quote_missing", quote=wording.strip()[:60], lang=Msg(f"language_{lang}"), about=about),
                            Msg("note_quote_missing_hint"))


def _texts_by_element(data: dict) -> dict[str, dict[str, list[str]]]:
    """Element name -> language -> the texts of that element (its own fields, not its children's)."""
    found: dict[str, dict[str, list[str]]] = {}
    for path, _, node in bilingual_texts(data):
        if isinstance(node.get("fr"), str) and path[:1] != ("editor_notes",):
            texts = found.setdefault(describe(path, data), {"fr": [], "en": []})
            for lang in texts:
                if isinstance(node.get(lang), str):
                    texts[lang].append(node[lang])
    return found
