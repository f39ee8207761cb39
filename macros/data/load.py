"""Load data/sip.yaml once: read, validate (schema + cross-references), and build the typed Plan."""
from __future__ import annotations

import gc
import os
from pathlib import Path

from ..messages import Msg
from .checks import check_references
from .meta_check import check_meta
from .notes_check import check_editor_notes
from .model import (Acronym, Activity, Annex, Commitment, Consultation, EditorNote, Footnote, GlossaryEntry,
                    MarkdownText, Meta, Outcome, Output, Owner, OwnerRole, Period, Pillar, Plan, RetiredActivity, Section, Status, Text,
                    Update)
from .model import NewMarkdownText, NewText, StaleMarkdownText, StaleText
from .problems import DataError, Problem
from .schema_check import check_schema
from .search_synonyms import check_search_synonyms
from .text_check import check_text_limits
from .translation_lock import REVIEW_KEY, check_translations
from .updates_check import check_updates
from .yamlnodes import read_document

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT / "data" / "sip.yaml"
# Survives static-i18n re-running the macros module once per language: keyed by file identity (the current data
# file and the frozen revisions compared with it).
_CACHE: dict[tuple, Plan] = {}


def data_path() -> Path:
    """The data file to publish: $SIP_DATA if set (tests, benchmarks), else data/sip.yaml."""
    return Path(os.environ.get("SIP_DATA", DEFAULT_DATA)).resolve()


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def validate(path: Path) -> tuple[Plan | None, list[Problem]]:
    """Every problem in the file at `path` (errors and warnings), and the Plan if there is no error."""
    # Reading builds many small objects and frees none: the cyclic collector only costs time here
    # (a third of validation at 5,000 activities, measured in bench/RESULTS.md).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _validate(path)
    finally:
        if collecting:
            gc.enable()


def _validate(path: Path) -> tuple[Plan | None, list[Problem]]:
    name = display_name(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, 1, "", Msg("file_unreadable", reason=exc.strerror), Msg("file_unreadable_hint"))]
    doc = read_document(raw, name)
    if doc.problems:
        return None, doc.problems
    check_schema(doc)
    check_text_limits(doc)
    check_references(doc)
    check_editor_notes(doc)
    check_updates(doc)
    check_meta(doc)
    check_translations(doc, path)
    check_search_synonyms(doc, path)
    problems = sorted(doc.problems, key=lambda p: (p.line, p.column))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return build_plan(doc.data, tuple(p for p in problems if p.severity == "warning")), problems


def load_plan(path: Path | None = None) -> Plan:
    """The validated Plan, parsed once per file version; raises DataError listing every problem."""
    path = Path(path or data_path()).resolve()
    stat = path.stat() if path.exists() else None
    key = (str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)
    if key not in _CACHE:
        plan, problems = validate(path)
        if plan is None:
            raise DataError(problems)
        # One version per file: a live preview's earlier saves go, the frozen revisions read beside it stay.
        for older in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[older]
        _CACHE[key] = plan
        while len(_CACHE) > 8:  # a process reading many files (tests) keeps the latest ones
            del _CACHE[next(iter(_CACHE))]
    return _CACHE[key]


_REVIEWED = {"": Text, "stale": StaleText, "new": NewText}
_REVIEWED_MARKDOWN = {"": MarkdownText, "stale": StaleMarkdownText, "new": NewMarkdownText}


def _text(value: dict) -> Text:
    return _REVIEWED[value.get(REVIEW_KEY, "")](fr=value["fr"].strip(), en=value["en"].strip())


def _note(value: dict) -> tuple:
    """An update note as (Text, the language awaiting translation or None): one language may be missing."""
    written = {lang: value[lang].strip() for lang in ("fr", "en") if lang in value}
    missing = next((lang for lang in ("fr", "en") if lang not in written), None)
    text = next(iter(written.values()))
    return _REVIEWED_MARKDOWN[value.get(REVIEW_KEY, "")](fr=written.get("fr", text), en=written.get("en", text)), missing


def _md(value: dict) -> MarkdownText:
    """A field typed `$defs/markdown_text` in the schema (a test checks the two lists agree); every other is plain."""
    return _REVIEWED_MARKDOWN[value.get(REVIEW_KEY, "")](fr=value["fr"].strip(), en=value["en"].strip())


def build_plan(data: dict, warnings: tuple = ()) -> Plan:
    """Turn validated raw data into the immutable model."""
    statuses = {s["id"]: Status(s["id"], _text(s["label"]), _text(s["meaning"])) for s in data["statuses"]}
    owners = {o["id"]: Owner(o["id"], _text(o["name"]), _text(o["short"]), o.get("glossary")) for o in data["owners"]}

    def owner_role(ref) -> OwnerRole:
        if isinstance(ref, str):
            return OwnerRole(owners[ref])
        return OwnerRole(owners[ref["id"]], _text(ref["role"]) if "role" in ref else None)

    def update(u: dict) -> Update:
        note, pending = _note(u["note"])
        return Update(u["period"], u["date"], statuses[u["status"]], note, owners[u["reported_by"]], pending)

    pillars = tuple(
        Pillar(p["id"], _text(p["title"]), _md(p["goal"]), tuple(
            Outcome(oc["id"], _md(oc["text"]), tuple(
                Output(op["id"], _md(op["text"]), tuple(
                    Activity(a["id"], _md(a["text"]), tuple(owner_role(r) for r in a["owners"]), statuses[a["status"]],
                             p["id"], oc["id"], op["id"], tuple(a.get("former_ids", ())),
                             tuple(update(u) for u in a.get("updates", ())))
                    for a in op["activities"]), tuple(op.get("former_ids", ())))
                for op in oc["outputs"]), tuple(oc.get("former_ids", ())))
            for oc in p["outcomes"]))
        for p in data["pillars"])
    meta, annex = data["meta"], data["annex"]
    return Plan(
        meta=Meta(_text(meta["series"]), _text(meta["subtitle"]), _text(meta["title"]), _text(meta["short_title"]),
                  _text(meta["organisation"]), _text(meta["revision"]), meta["period"]["start"], meta["period"]["end"],
                  meta["version"], meta["reference_language"], meta["status_as_of"],
                  _text(meta["licence"]) if "licence" in meta else None, meta.get("state"), meta.get("approved_on"),
                  _text(meta["approved_by"]) if "approved_by" in meta else None,
                  Consultation(**meta["consultation"]) if "consultation" in meta else None),
        statuses=tuple(statuses.values()),
        owners=tuple(owners.values()),
        acronyms=tuple(Acronym(a["id"], {lang: tuple(a["abbr"][lang]) for lang in ("fr", "en")}, _text(a["expansion"]), a.get("glossary"))
                       for a in data["acronyms"]),
        footnotes=tuple(Footnote(f["id"], _md(f["text"]), f.get("url"), f.get("url_en")) for f in data["footnotes"]),
        sections=tuple(Section(s["id"], _text(s["title"]), _md(s["body"])) for s in data["sections"]),
        glossary_title=_text(data["glossary"]["title"]),
        glossary=tuple(GlossaryEntry(g["id"], _text(g["term"]), _md(g["definition"]), tuple(g.get("acronyms", ())))
                       for g in data["glossary"]["entries"]),
        pillars=pillars,
        annex=Annex(annex["id"], _text(annex["title"]), _md(annex["intro"]), _md(annex["lead_in"]),
                    tuple(Commitment(c["number"], _md(c["text"])) for c in annex["commitments"]),
                    _text(annex["source"]["title"]), _text(annex["source"]["edition"]), annex["source"]["url"],
                    annex["source"].get("url_en")),
        periods=tuple(sorted((Period(p["id"], p.get("glm", False)) for p in data.get("periods", ())), key=lambda p: p.id)),
        retired=tuple(RetiredActivity(r["id"], r["pillar"], _md(r["note"])) for r in data.get("retired", ())),
        editor_notes=tuple(EditorNote(n["id"], n["about"], _md(n["note"]), _text(n["quote"]) if "quote" in n else None)
                           for n in data.get("editor_notes", ())),
        warnings=warnings,
    )
