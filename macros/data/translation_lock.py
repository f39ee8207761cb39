"""Which English texts were checked against the current French: fingerprints recorded in translations.lock.

Every field with `fr` and `en` has a stable path built from ids, not list positions
(`pillars/1/outcomes/1.1/outputs/1.1.1/activities/1.1.1.2/text`), and the lock records, per path, a fingerprint
of the French the English was last checked against. The lock is `translations.lock` in the data file's folder,
and it names the data file it belongs to on its first line; a data file without such a lock (test fixtures,
synthetic benchmark plans) is not tracked at all, so that it does not warn about every field.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..messages import Msg
from .texts import bilingual_texts

LOCK_NAME = "translations.lock"
HEADER = "# translations.lock"
NEW, STALE = "new", "stale"


def fingerprint(french: str) -> str:
    """A short digest of a French text; line folding and surrounding spaces do not count as changes."""
    return hashlib.sha256(" ".join(french.split()).encode("utf-8")).hexdigest()[:16]


def fields(data) -> Iterator[tuple[str, tuple, Mapping]]:
    """(field path, position path in the document, the {fr, en} mapping) for every text with both languages."""
    for path, name, texts in bilingual_texts(data):
        if isinstance(texts.get("fr"), str) and isinstance(texts.get("en"), str):
            yield name, path, texts


def lock_path(data_file: Path) -> Path:
    return Path(data_file).parent / LOCK_NAME


def read_lock(data_file: Path) -> dict[str, tuple[str, int]] | None:
    """path -> (fingerprint, line in the lock), or None when the data file has no lock of its own."""
    lock = lock_path(data_file)
    try:
        lines = lock.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0].strip() != f"{HEADER} {Path(data_file).name}":
        return None  # another data file's lock, or not a lock at all
    entries: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        field_path, _, digest = line.rpartition(" ")
        if field_path.strip() and digest:
            entries[field_path.strip()] = (digest.strip(), number)
    return entries


def lock_text(data, data_name: str, previous: dict[str, tuple[str, int]] | None = None,
              only: set[str] | None = None) -> str:
    """The lock for `data`: every field's current French fingerprint, or, outside `only`, what `previous` held."""
    previous = previous or {}
    out = [f"{HEADER} {data_name}",
           "# Fingerprint of the French each English text was last checked against (`make translations-update`).",
           "# A field whose French no longer matches is flagged for review; do not edit by hand."]
    for name, _, texts in fields(data):
        if only is None or name in only:
            out.append(f"{name} {fingerprint(texts['fr'])}")
        elif name in previous:
            out.append(f"{name} {previous[name][0]}")
    return "\n".join(out) + "\n"


def review_states(data, lock: dict[str, tuple[str, int]] | None) -> Iterator[tuple[str, tuple, Mapping, str]]:
    """(field path, position path, mapping, NEW or STALE) for every field whose English needs checking."""
    if lock is None:
        return
    for name, path, texts in fields(data):
        entry = lock.get(name)
        if entry is None:
            yield name, path, texts, NEW
        elif entry[0] != fingerprint(texts["fr"]):
            yield name, path, texts, STALE


# The key a checked field's mapping carries from the check to build_plan (never written to any file).
REVIEW_KEY = "\0review"


def check_translations(doc, data_file: Path) -> None:
    """Warn about every English text not checked against its current French, and tag it for the model."""
    lock = read_lock(data_file)
    if lock is None or not isinstance(doc.data, Mapping):
        return
    for name, path, texts, state in review_states(doc.data, lock):
        if state == STALE:
            message = Msg("translation_stale")
        else:
            message = Msg("translation_new")
        doc.problem(path + ("en",), f"translation {name}", message, Msg("translation_hint"), severity="warning",
                    code=f"translation_{state}", field=name)
        texts[REVIEW_KEY] = state
