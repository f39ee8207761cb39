"""What changed between two revisions of the plan, element by element: a Changes object the views render."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..data.model import LANGUAGES, Activity, Owner, OwnerRole, Plan, Status, Text
from .words import WordDiff, same_text, text_diff

# The results framework, from the top: each kind's parent is the kind before it.
KINDS = ("pillar", "outcome", "output", "activity")
_ANCHOR_PREFIX = {"pillar": "pillar-", "outcome": "outcome-", "output": "output-", "activity": "a-"}


@dataclass(frozen=True)
class Ref:
    """An element of one revision: its kind, its id there and the pillar page it is on."""

    kind: str
    id: str
    pillar_id: str

    @property
    def anchor(self) -> str:
        return _ANCHOR_PREFIX[self.kind] + self.id

    @property
    def page(self) -> str:
        """Its page, as a docs path without language folder."""
        return f"pillars/{self.pillar_id}.md"


@dataclass(frozen=True)
class Added:
    ref: Ref
    text: Text  # a pillar's title; every other element's text
    parent: Ref | None


@dataclass(frozen=True)
class Retired:
    ref: Ref  # as it was in the older revision
    text: Text
    note: Text | None = None  # the newer revision's retirement note, when it has one
    note_pillar: str | None = None  # the pillar page of the newer revision that shows the note at the old anchor


@dataclass(frozen=True)
class Renumbered:
    old: Ref
    new: Ref


@dataclass(frozen=True)
class Moved:
    ref: Ref  # in the newer revision
    old_parent: Ref  # as it was in the older revision
    new_parent: Ref


@dataclass(frozen=True)
class Reworded:
    ref: Ref  # in the newer revision
    field: str  # "text", or a pillar's "title" or "goal"
    old: Text
    new: Text
    words: WordDiff

    @property
    def formatting_only(self) -> bool:
        """Only emphasis, a footnote reference or a link target changed: the words read the same."""
        return not any(self.words.changed(lang) for lang in LANGUAGES)


@dataclass(frozen=True)
class RoleChange:
    owner: Owner
    old: Text | None
    new: Text | None


@dataclass(frozen=True)
class OwnersChanged:
    ref: Ref
    added: tuple[OwnerRole, ...]
    removed: tuple[OwnerRole, ...]
    roles: tuple[RoleChange, ...] = ()


@dataclass(frozen=True)
class StatusChanged:
    """The baseline status recorded in the plan (not a progress report) changed."""

    ref: Ref
    old: Status
    new: Status


@dataclass(frozen=True)
class GlossaryChange:
    kind: str  # "term" (a glossary entry) or "acronym"
    id: str
    change: str  # "added", "removed" or "reworded"
    name: Text  # the term, or the abbreviations, in the revision the entry is from
    field: str = ""  # reworded: "term", "definition", "abbr" or "expansion"
    text: Text | None = None  # added or removed: the definition or the expansion
    words: WordDiff | None = None

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.id}"


@dataclass(frozen=True)
class AnnexChange:
    item: str  # "commitment", or a field of the annex: "title", "intro", "lead_in", "source_title"...
    change: str  # "added", "removed" or "reworded"
    number: int | None = None  # a commitment's number
    text: Text | None = None
    words: WordDiff | None = None

    @property
    def anchor(self) -> str:
        return f"commitment-{self.number}" if self.number is not None else f"annex-{self.item.replace('_', '-')}"


SECTIONS = ("added", "retired", "renumbered", "moved", "reworded", "owners", "statuses", "glossary", "annex")


@dataclass(frozen=True)
class Changes:
    """Everything that changed from revision `old_version` to `new_version`, each section in plan order."""

    old_version: str
    new_version: str
    old_revision: Text  # the revisions' titles (meta.revision)
    new_revision: Text
    added: tuple[Added, ...] = ()
    retired: tuple[Retired, ...] = ()
    renumbered: tuple[Renumbered, ...] = ()
    moved: tuple[Moved, ...] = ()
    reworded: tuple[Reworded, ...] = ()
    owners: tuple[OwnersChanged, ...] = ()
    statuses: tuple[StatusChanged, ...] = ()
    glossary: tuple[GlossaryChange, ...] = ()
    annex: tuple[AnnexChange, ...] = ()
    counts: dict = field(init=False, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "counts", {name: len(getattr(self, name)) for name in SECTIONS})

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


@dataclass(frozen=True)
class _Node:
    """An element with what the diff compares: its parent's id and its texts."""

    ref: Ref
    former_ids: tuple[str, ...]
    parent: Ref | None
    texts: dict  # field -> Text
    element: object


def _nodes(plan: Plan) -> dict[str, list[_Node]]:
    nodes: dict[str, list[_Node]] = {kind: [] for kind in KINDS}
    for p in plan.pillars:
        pillar = Ref("pillar", p.id, p.id)
        nodes["pillar"].append(_Node(pillar, (), None, {"title": p.title, "goal": p.goal}, p))
        for oc in p.outcomes:
            outcome = Ref("outcome", oc.id, p.id)
            nodes["outcome"].append(_Node(outcome, oc.former_ids, pillar, {"text": oc.text}, oc))
            for op in oc.outputs:
                output = Ref("output", op.id, p.id)
                nodes["output"].append(_Node(output, op.former_ids, outcome, {"text": op.text}, op))
                for a in op.activities:
                    nodes["activity"].append(_Node(Ref("activity", a.id, p.id), a.former_ids, output, {"text": a.text}, a))
    return nodes


def diff_plans(old: Plan, new: Plan) -> Changes:
    """The changes from `old` to `new`. Elements are the same when they have the same id, or when the newer one
    lists the older one's id in its `former_ids` (a renumbering); an older element no newer one claims is retired,
    a newer one that claims none is added."""
    old_nodes, new_nodes = _nodes(old), _nodes(new)
    notes = {r.id: r for r in new.retired}
    found: dict[str, list] = {name: [] for name in ("added", "retired", "renumbered", "moved", "reworded", "owners", "statuses")}
    forward: dict[str, dict[str, _Node]] = {}  # kind -> older id -> the newer node that continues it
    for kind in KINDS:  # parents first: a move is judged by where the older parent went
        by_id = {node.ref.id: node for node in old_nodes[kind]}
        forward[kind] = {}
        pairs = []
        for node in new_nodes[kind]:
            claimed = [i for i in (node.ref.id, *node.former_ids) if i in by_id]
            for old_id in claimed:
                forward[kind][old_id] = node
                if old_id != node.ref.id:
                    found["renumbered"].append(Renumbered(by_id[old_id].ref, node.ref))
            if claimed:
                pairs.append((by_id[claimed[0]], node))  # the same id first, else the first former one
            else:
                found["added"].append(Added(node.ref, node.texts.get("text") or node.texts["title"], node.parent))
        for node in old_nodes[kind]:
            if node.ref.id not in forward[kind]:
                note = notes.get(node.ref.id) if kind == "activity" else None  # `retired:` lists activities
                found["retired"].append(Retired(node.ref, node.texts.get("text") or node.texts["title"],
                                                note.note if note else None, note.pillar_id if note else None))
        for before, after in pairs:
            _compare(kind, before, after, forward, found)
    order = _plan_order(new_nodes)
    old_order = _plan_order(old_nodes)
    return Changes(
        old_version=old.meta.version, new_version=new.meta.version,
        old_revision=old.meta.revision, new_revision=new.meta.revision,
        added=tuple(sorted(found["added"], key=lambda c: order[c.ref])),
        retired=tuple(sorted(found["retired"], key=lambda c: old_order[c.ref])),
        renumbered=tuple(sorted(found["renumbered"], key=lambda c: (order[c.new], old_order[c.old]))),
        moved=tuple(sorted(found["moved"], key=lambda c: order[c.ref])),
        reworded=tuple(sorted(found["reworded"], key=lambda c: order[c.ref])),
        owners=tuple(found["owners"]), statuses=tuple(found["statuses"]),
        glossary=_glossary(old, new), annex=_annex(old, new))


def _plan_order(nodes: dict[str, list[_Node]]) -> dict[Ref, int]:
    """Reading order, as the pillar pages show the elements: each one followed by those under it."""
    children: dict[Ref | None, list[Ref]] = {}
    for kind in KINDS:
        for node in nodes[kind]:
            children.setdefault(node.parent, []).append(node.ref)
    order: dict[Ref, int] = {}
    stack = list(reversed(children.get(None, [])))
    while stack:
        ref = stack.pop()
        order[ref] = len(order)
        stack.extend(reversed(children.get(ref, [])))
    return order


def _compare(kind: str, before: _Node, after: _Node, forward: dict, found: dict) -> None:
    if before.parent is not None and after.parent is not None:
        continued = forward[before.parent.kind].get(before.parent.id)
        if continued is None or continued.ref != after.parent:
            found["moved"].append(Moved(after.ref, before.parent, after.parent))
    for name, text in after.texts.items():
        old_text = before.texts[name]
        if not same_text(old_text, text):
            found["reworded"].append(Reworded(after.ref, name, old_text, text, text_diff(old_text, text)))
    if kind == "activity":
        _compare_activity(before.element, after.element, after.ref, found)


def _compare_activity(before: Activity, after: Activity, ref: Ref, found: dict) -> None:
    old_roles = {r.owner.id: r for r in before.owners}
    new_roles = {r.owner.id: r for r in after.owners}
    added = tuple(r for r in after.owners if r.owner.id not in old_roles)
    removed = tuple(r for r in before.owners if r.owner.id not in new_roles)
    roles = tuple(RoleChange(r.owner, old_roles[r.owner.id].role, r.role) for r in after.owners
                  if r.owner.id in old_roles and not _same_role(old_roles[r.owner.id].role, r.role))
    if added or removed or roles:
        found["owners"].append(OwnersChanged(ref, added, removed, roles))
    if before.status.id != after.status.id:
        found["statuses"].append(StatusChanged(ref, before.status, after.status))


def _same_role(one: Text | None, two: Text | None) -> bool:
    return (one is None and two is None) or (one is not None and two is not None and same_text(one, two))


def _abbreviations(acronym) -> Text:
    return Text(**{lang: ", ".join(acronym.abbr.get(lang) or ()) for lang in LANGUAGES})


def _glossary(old: Plan, new: Plan) -> tuple[GlossaryChange, ...]:
    changes: list[GlossaryChange] = []
    kinds = (("term", old.glossary, new.glossary, lambda e: e.term, (("term", lambda e: e.term), ("definition", lambda e: e.definition))),
             ("acronym", old.acronyms, new.acronyms, _abbreviations,
              (("abbr", _abbreviations), ("expansion", lambda a: a.expansion))))
    for kind, before, after, name, fields in kinds:
        by_id = {item.id: item for item in before}
        kept = {item.id for item in after}
        for item in after:
            if item.id not in by_id:
                changes.append(GlossaryChange(kind, item.id, "added", name(item), text=fields[-1][1](item)))
                continue
            for field_name, get in fields:
                one, two = get(by_id[item.id]), get(item)
                if not same_text(one, two):
                    changes.append(GlossaryChange(kind, item.id, "reworded", name(item), field_name,
                                                  words=text_diff(one, two)))
        changes += [GlossaryChange(kind, item.id, "removed", name(item), text=fields[-1][1](item))
                    for item in before if item.id not in kept]
    return tuple(changes)


def _annex(old: Plan, new: Plan) -> tuple[AnnexChange, ...]:
    changes: list[AnnexChange] = []
    a, b = old.annex, new.annex

    def source_url(annex) -> Text:
        return Text(fr=annex.source_url, en=annex.source_link("en"))

    for item, get in (("title", lambda x: x.title), ("intro", lambda x: x.intro), ("lead_in", lambda x: x.lead_in),
                      ("source_title", lambda x: x.source_title), ("source_edition", lambda x: x.source_edition),
                      ("source_url", source_url)):
        if not same_text(get(a), get(b)):
            changes.append(AnnexChange(item, "reworded", words=text_diff(get(a), get(b))))
    by_number = {c.number: c for c in a.commitments}
    kept = {c.number for c in b.commitments}
    for commitment in b.commitments:
        before = by_number.get(commitment.number)
        if before is None:
            changes.append(AnnexChange("commitment", "added", commitment.number, text=commitment.text))
        elif not same_text(before.text, commitment.text):
            changes.append(AnnexChange("commitment", "reworded", commitment.number,
                                       words=text_diff(before.text, commitment.text)))
    changes += [AnnexChange("commitment", "removed", c.number, text=c.text) for c in a.commitments if c.number not in kept]
    return tuple(changes)
