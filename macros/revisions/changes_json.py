"""The changes of each revision as JSON (downloads/changes-<v>.json), with its published schema."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..data.model import LANGUAGES, Text
from ..exchange.exports import generated_at
from .diff import Changes, Ref

SCHEMA_NAME = "downloads/changes.schema.json"
SCHEMA_SOURCE = Path(__file__).resolve().parents[1] / "exchange" / "changes.download.schema.json"


def json_name(version: str) -> str:
    return f"downloads/changes-{version}.json"


def _text(value: Text | None) -> dict | None:
    return None if value is None else {lang: value(lang) for lang in LANGUAGES}


def _words(words) -> dict | None:
    return None if words is None else {lang: [{"op": r.op, "text": r.text} for r in words(lang)] for lang in LANGUAGES}


def _ref(ref: Ref, site_url: str, base: str) -> dict:
    return {"kind": ref.kind, "id": ref.id, "pillar": ref.pillar_id,
            "permalink": {lang: f"{site_url}{'' if lang == LANGUAGES[0] else lang + '/'}{base}pillars/{ref.pillar_id}.html#{ref.anchor}"
                          for lang in LANGUAGES}}


def changes_document(changes: Changes, site_url: str = "", base: str = "") -> dict:
    """The changes as plain data; permalinks point at the newer revision's pages (`base`: its folder)."""
    def ref(r: Ref) -> dict:
        return _ref(r, site_url, base)

    def owner(role) -> dict:
        return {"id": role.owner.id, "name": _text(role.owner.name), **({"role": _text(role.role)} if role.role else {})}

    return {
        "$schema": site_url + SCHEMA_NAME if site_url else SCHEMA_NAME.rsplit("/", 1)[1],
        "generated_at": generated_at(),
        "from": {"version": changes.old_version, "revision": _text(changes.old_revision)},
        "to": {"version": changes.new_version, "revision": _text(changes.new_revision)},
        "counts": dict(changes.counts),
        "added": [{**ref(c.ref), "parent": {"kind": c.parent.kind, "id": c.parent.id} if c.parent else None,
                   "text": _text(c.text)} for c in changes.added],
        "retired": [{"kind": c.ref.kind, "id": c.ref.id, "pillar": c.ref.pillar_id, "text": _text(c.text),
                     "note": _text(c.note)} for c in changes.retired],
        "renumbered": [{"kind": c.new.kind, "old_id": c.old.id, "new_id": c.new.id, "old_pillar": c.old.pillar_id,
                        **{k: v for k, v in ref(c.new).items() if k in ("pillar", "permalink")}} for c in changes.renumbered],
        "moved": [{**ref(c.ref), "from": {"kind": c.old_parent.kind, "id": c.old_parent.id},
                   "to": {"kind": c.new_parent.kind, "id": c.new_parent.id}} for c in changes.moved],
        "reworded": [{**ref(c.ref), "field": c.field, "old": _text(c.old), "new": _text(c.new), "words": _words(c.words)}
                     for c in changes.reworded],
        "owners": [{**ref(c.ref), "added": [owner(r) for r in c.added], "removed": [owner(r) for r in c.removed],
                    "roles": [{"owner": r.owner.id, "old": _text(r.old), "new": _text(r.new)} for r in c.roles]}
                   for c in changes.owners],
        "statuses": [{**ref(c.ref), "old": c.old.id, "new": c.new.id} for c in changes.statuses],
        "glossary": [{"kind": c.kind, "id": c.id, "change": c.change, "name": _text(c.name), "field": c.field or None,
                      "text": _text(c.text), "words": _words(c.words)} for c in changes.glossary],
        "annex": [{"item": c.item, "change": c.change, "number": c.number, "text": _text(c.text), "words": _words(c.words)}
                  for c in changes.annex],
    }


def changes_json(changes: Changes, site_url: str = "", base: str = "") -> str:
    return json.dumps(changes_document(changes, site_url, base), ensure_ascii=False, indent=1) + "\n"


def write_changes_downloads(all_changes: list[Changes], current_version: str, site_dir: str | Path, site_url: str = "") -> None:
    """One JSON file per revision that has a predecessor, and the schema once (only when there is one)."""
    if not all_changes:
        return
    folder = Path(site_dir) / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SCHEMA_SOURCE, Path(site_dir) / SCHEMA_NAME)
    for changes in all_changes:
        base = "" if changes.new_version == current_version else f"revisions/{changes.new_version}/"
        (Path(site_dir) / json_name(changes.new_version)).write_text(changes_json(changes, site_url, base), encoding="utf-8")

