"""Checks the schema cannot express: unique ids, references, footnotes, links, numbering, history order."""
from __future__ import annotations

import difflib
import re
from dataclasses import replace

from ..messages import Kind, Msg
from .problems import Problem
from .text_check import within_limits
from .yamlnodes import Document, describe

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
# Where a Markdown text names a link target: inline `[text](target)` (whitespace and all, up to the closing
# parenthesis), a reference definition `[label]: target` at the start of a line, or an autolink `<scheme:...>`.
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)>]*)|(?m:^[ \t]*\[(?!\^)[^\]]*\]:\s*<?([^\s>]*))|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
_SAFE_SCHEMES = ("http:", "https:", "mailto:")


def check_references(doc: Document) -> None:
    """Add problems for duplicate ids, dangling references, unsafe links and numbering anomalies."""
    data = doc.data if isinstance(doc.data, dict) else {}
    ids = {kind: _unique_ids(doc, data, key) for kind, key in
           [("status", ("statuses",)), ("owner", ("owners",)), ("acronym", ("acronyms",)),
            ("footnote", ("footnotes",)), ("section", ("sections",)), ("glossary entry", ("glossary", "entries"))]}
    _unique_ids(doc, data, ("annex", "commitments"), key_name="number")
    for owner_path, owner in _items(data, ("owners",)):
        _reference(doc, owner_path + ("glossary",), owner.get("glossary"), ids["glossary entry"], f"owner {owner.get('id')}", "glossary entry")
    for acronym_path, acronym in _items(data, ("acronyms",)):
        _reference(doc, acronym_path + ("glossary",), acronym.get("glossary"), ids["glossary entry"], f"acronym {acronym.get('id')}", "glossary entry")
    for entry_path, entry in _items(data, ("glossary", "entries")):
        for i, ref in enumerate(_list(entry.get("acronyms"))):
            _reference(doc, entry_path + ("acronyms", i), ref, ids["acronym"], f"glossary entry {entry.get('id')}", "acronym")
    _check_abbreviations(doc, data)
    _check_tree(doc, data, ids)
    _check_texts(doc, data, (), ids["footnote"])


def _items(data: object, key: tuple):
    """(path, item) for each mapping in the list at `key`, skipping anything malformed."""
    node = data
    for k in key:
        node = node.get(k) if isinstance(node, dict) else None
    for i, item in enumerate(node if isinstance(node, list) else []):
        if isinstance(item, dict):
            yield key + (i,), item


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _unique_ids(doc: Document, data: dict, key: tuple, key_name: str = "id", seen: dict | None = None,
                kind: str | None = None) -> set:
    seen = {} if seen is None else seen
    for path, item in _items(data, key):
        ident = item.get(key_name)
        if not isinstance(ident, (str, int)) or isinstance(ident, bool):
            continue
        label = kind or {"statuses": "status", "owners": "owner", "acronyms": "acronym", "footnotes": "footnote",
                         "sections": "section", "entries": "glossary entry", "commitments": "commitment"}.get(key[-1], key[-1])
        if ident in seen:
            doc.problem(path + (key_name,), f"{label} {ident}",
                        Msg("duplicate_key", kind=Kind(label), key=key_name, ident=ident, line=doc.mark(seen[ident])[0]),
                        Msg("duplicate_key_hint", kind=Kind(label), key=key_name))
        else:
            seen[ident] = path + (key_name,)
    return set(seen)


def _dangling(ref: object, known: set) -> bool:
    return isinstance(ref, str) and ref not in known


def _reference(doc: Document, path: tuple, ref: object, known: set, where: str, kind: str) -> None:
    if not _dangling(ref, known):
        return
    # Ids YAML read as numbers are reported by the schema check; suggestions only come from text ids.
    known = sorted(k for k in known if isinstance(k, str))
    close = difflib.get_close_matches(ref, known, n=1)
    hint = Msg("did_you_mean", value=close[0]) if close else Msg("ref_define_first", known=', '.join(known))
    doc.problem(path, where, Msg("ref_undefined", kind=Kind(kind), ref=ref), hint)


def _check_abbreviations(doc: Document, data: dict) -> None:
    for lang in ("fr", "en"):
        seen: dict = {}
        for path, acronym in _items(data, ("acronyms",)):
            abbr = acronym.get("abbr")
            for i, written in enumerate(_list(abbr.get(lang) if isinstance(abbr, dict) else None)):
                if not isinstance(written, str):
                    continue
                if written in seen:
                    doc.problem(path + ("abbr", lang, i), f"acronym {acronym.get('id')}",
                                Msg("abbr_twice", abbr=written, lang=lang, other=seen[written]), Msg("abbr_twice_hint"))
                seen.setdefault(written, acronym.get("id"))


def _check_tree(doc: Document, data: dict, ids: dict) -> None:
    """Pillars -> outcomes -> outputs -> activities: unique ids, owner and status references, numbering."""
    seen_ids: dict[str, dict] = {"pillar": {}, "outcome": {}, "output": {}, "activity": {}}
    for p_path, pillar in _items(data, ("pillars",)):
        _unique_here(doc, p_path, pillar, "pillar", seen_ids)
        for oc_path, outcome in _children(pillar, p_path, "outcomes"):
            _unique_here(doc, oc_path, outcome, "outcome", seen_ids)
            _numbering(doc, oc_path, "outcome", outcome, "pillar", pillar)
            _former_ids(doc, oc_path, outcome, "outcome", seen_ids)
            for op_path, output in _children(outcome, oc_path, "outputs"):
                _unique_here(doc, op_path, output, "output", seen_ids)
                _numbering(doc, op_path, "output", output, "outcome", outcome)
                _former_ids(doc, op_path, output, "output", seen_ids)
                for a_path, activity in _children(output, op_path, "activities"):
                    _unique_here(doc, a_path, activity, "activity", seen_ids)
                    _numbering(doc, a_path, "activity", activity, "output", output)
                    _check_activity(doc, a_path, activity, ids, seen_ids)
    for path, retired in _items(data, ("retired",)):
        _unique_here(doc, path, retired, "activity", seen_ids)


def _children(parent: dict, path: tuple, key: str):
    for i, child in enumerate(_list(parent.get(key))):
        if isinstance(child, dict):
            yield path + (key, i), child


def _unique_here(doc: Document, path: tuple, item: dict, kind: str, seen_ids: dict) -> None:
    ident = item.get("id")
    if not isinstance(ident, str):
        return
    if ident in seen_ids[kind]:
        doc.problem(path + ("id",), f"{kind} {ident}",
                    Msg("duplicate_id", kind=Kind(kind), ident=ident, line=doc.mark(seen_ids[kind][ident])[0]),
                    Msg("duplicate_id_hint"))
    else:
        seen_ids[kind][ident] = path + ("id",)


def _former_ids(doc: Document, path: tuple, item: dict, kind: str, seen_ids: dict) -> None:
    """A former id keeps its anchor on the page: it may clash with no id or former id of the same kind."""
    for i, former in enumerate(_list(item.get("former_ids"))):
        if not isinstance(former, str):
            continue
        if former in seen_ids[kind]:
            doc.problem(path + ("former_ids", i), f"{kind} {item.get('id')}",
                        Msg("former_id_taken", former=former, kind=Kind(kind), line=doc.mark(seen_ids[kind][former])[0]),
                        Msg("former_id_taken_hint"))
        else:
            seen_ids[kind][former] = path + ("former_ids", i)


def _numbering(doc: Document, path: tuple, kind: str, item: dict, parent_kind: str, parent: dict) -> None:
    ident, parent_id = item.get("id"), parent.get("id")
    if isinstance(ident, str) and isinstance(parent_id, str) and not ident.startswith(parent_id + "."):
        doc.problem(path + ("id",), f"{kind} {ident}",
                    Msg("numbering", kind=Kind(kind), ident=ident, parent=Kind(parent_kind), parent_id=parent_id),
                    Msg("numbering_hint"), severity="warning",
                    code="numbering", kind=kind, id=ident, parent_kind=parent_kind, parent_id=parent_id)


def _check_activity(doc: Document, path: tuple, activity: dict, ids: dict, seen_ids: dict) -> None:
    where = f"activity {activity.get('id')}"
    listed: set = set()
    for i, ref in enumerate(_list(activity.get("owners"))):
        owner_id = ref.get("id") if isinstance(ref, dict) else ref
        ref_path = path + ("owners", i) + (("id",) if isinstance(ref, dict) else ())
        _reference(doc, ref_path, owner_id, ids["owner"], where, "owner")
        if isinstance(owner_id, str) and owner_id in listed:
            doc.problem(ref_path, where, Msg("owner_twice", owner=owner_id), Msg("owner_twice_hint"))
        if isinstance(owner_id, str):
            listed.add(owner_id)
    _reference(doc, path + ("status",), activity.get("status"), ids["status"], where, "status")
    _former_ids(doc, path, activity, "activity", seen_ids)
    # Periods, dates and their order are checked with the build date in updates_check.
    for u_path, update in _children(activity, path, "updates"):
        status, reporter = update.get("status"), update.get("reported_by")
        if _dangling(status, ids["status"]) or _dangling(reporter, ids["owner"]):  # naming the update costs a walk
            named = describe(u_path, doc.data, doc.sources)
            _reference(doc, u_path + ("status",), status, ids["status"], named, "status")
            _reference(doc, u_path + ("reported_by",), reporter, ids["owner"], named, "reporting owner")


def _check_texts(doc: Document, node: object, path: tuple, footnotes: set) -> None:
    """Every text: footnote references must exist, and links may only use http(s) or mailto."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_texts(doc, value, path + (key,), footnotes)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_texts(doc, value, path + (i,), footnotes)
    elif (isinstance(node, str) and path and path[-1] in ("fr", "en")
          and ("[" in node or "]" in node or "<" in node)  # what both patterns need; most texts have none
          and within_limits(node)):
        where = None  # the element is named (a walk from the root) only for a text with a problem
        for match in FOOTNOTE_REF.finditer(node):
            if not _dangling(match.group(1), footnotes):
                continue
            where = where or describe(path, doc.data, doc.sources)
            _reference(doc, path, match.group(1), footnotes, where, "footnote")
            # point at the reference itself inside a multi-line text
            line, column = doc.text_mark(path, node, match.start())
            doc.problems[-1] = replace(doc.problems[-1], line=line, column=column)
        for match in _LINK_TARGET.finditer(node):
            group = next(i for i, g in enumerate(match.groups(), 1) if g is not None)
            target = match.group(group).strip()
            # Browsers drop tabs, line breaks and control characters from a URL: 'java<newline>script:' is javascript:.
            if not re.sub(r"[\x00-\x20]", "", target).lower().startswith(_SAFE_SCHEMES):
                where = where or describe(path, doc.data, doc.sources)
                shown = " ".join(target.split())
                line, column = doc.text_mark(path, node, match.start(group))
                doc.problems.append(Problem(doc.file, line, column, where, Msg("link_refused", target=shown[:40]),
                                            Msg("link_refused_hint")))
