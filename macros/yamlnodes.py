"""Read YAML safely into plain Python values plus the line and column of every value."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

import yaml

from .problems import Problem

try:  # libyaml is several times faster; the pure-Python loader behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

MAX_BYTES = 5 * 1024 * 1024  # the real plan is ~100 KB; larger files are mistakes, and slow
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}
_TYPE_NAMES = {bool: "a true/false value", int: "a number", float: "a number",
               datetime.date: "a date", datetime.datetime: "a date and time", type(None): "empty (null)"}

Path = tuple  # keys and indexes from the document root, e.g. ("pillars", 0, "id")


@dataclass
class Document:
    """A parsed YAML document: its data, where each value came from, and how each scalar was written."""

    file: str
    data: object = None
    marks: dict = field(default_factory=dict)    # Path -> (line, column), 1-based
    sources: dict = field(default_factory=dict)  # Path -> the scalar as written, for implicitly typed values
    problems: list = field(default_factory=list)

    def mark(self, path: Path) -> tuple[int, int]:
        """The position of `path`, or of its nearest located ancestor."""
        path = tuple(path)
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def problem(self, path: Path, where: str, message: str, hint: str = "", severity: str = "error",
                code: str = "", **params) -> None:
        line, column = self.mark(path)
        self.problems.append(Problem(self.file, line, column, where, message, hint, severity, code, params))


def read_document(raw: bytes, file: str) -> Document:
    """Decode and parse `raw`; syntax, encoding, tag, alias and duplicate-key mistakes become problems."""
    doc = Document(file)
    if len(raw) > MAX_BYTES:
        doc.problems.append(Problem(file, 1, 1, "", f"the file is {len(raw) / 1e6:.1f} MB, over the {MAX_BYTES // 2**20} MiB limit",
                                    "the plan is about 0.1 MB: check that the right file was saved"))
        return doc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.problems.append(Problem(file, line, column, "", f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                    "save the file with UTF-8 encoding"))
        return doc
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        doc.problems.append(Problem(file, 1, 1, "", "the file is empty", "restore data/sip.yaml from git"))
        return doc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        hint = "indent with spaces, not tabs" if "\\t" in str(exc.problem) or "\t" in str(exc.problem) else "check quotes, colons and indentation"
        message = f"YAML syntax error: {exc.problem}" + (f" ({exc.context})" if exc.context else "")
        doc.problems.append(Problem(file, mark.line + 1, mark.column + 1, "", message, hint))
        return doc
    except yaml.YAMLError as exc:  # e.g. control characters the reader refuses
        doc.problems.append(Problem(file, 1, 1, "", f"YAML error: {exc}", "check the file's encoding and characters"))
        return doc
    _Builder(doc).build(node)
    return doc


class _Builder:
    """Turns a composed node tree into Python values, recording marks and refusing what we do not allow."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.seen: set[int] = set()
        self.pending: list[tuple[Path, Problem]] = []
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node) -> None:
        self.doc.data = self._value(node, ())
        # Problems met while building are named once the whole tree (and so every id) is known.
        for path, problem in self.pending:
            self.doc.problems.append(replace(problem, where=describe(path, self.doc.data)))

    def _problem(self, node, path: Path, message: str, hint: str = "") -> None:
        mark = node.start_mark
        self.pending.append((path, Problem(self.doc.file, mark.line + 1, mark.column + 1, "", message, hint)))

    def _value(self, node, path: Path):
        doc = self.doc
        doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
            self._problem(node, path, f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
                          "remove the tag: the data holds plain text, numbers, lists and mappings only")
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # A node reached twice is an alias: refusing it also defuses "billion laughs" bombs.
            if id(node) in self.seen:
                self._problem(node, path, "YAML aliases (*name) are not allowed", "write the value out in full")
                return None
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._problem(key_node, path, "YAML merge keys (<<) are not allowed", "write the keys out in full")
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self._problem(key_node, path, "a mapping key must be plain text")
                    continue
                key = key_node.value
                key_path = path + (key,)
                if key in result:
                    line = key_node.start_mark.line + 1
                    first = doc.marks.get(key_path, (0, 0))[0]
                    self._problem(key_node, path, f"duplicate key '{key}' (first at line {first})",
                                  "YAML keeps only the last one: remove or rename one of them")
                    continue
                result[key] = self._value(value_node, key_path)
                doc.marks[key_path] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._value(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            return node.value
        if node.style is None:  # implicitly typed: remember how it was written for the error message
            doc.sources[path] = node.value
        return value


def type_name(value: object) -> str:
    """How a YAML reader sees `value`, in words for an editor."""
    return _TYPE_NAMES.get(type(value), type(value).__name__)


_KINDS = {"pillars": "pillar", "outcomes": "outcome", "outputs": "output", "activities": "activity",
          "owners": "owner", "statuses": "status", "acronyms": "acronym", "entries": "glossary entry",
          "sections": "section", "footnotes": "footnote", "commitments": "commitment", "updates": "update",
          "retired": "retired activity"}


def describe(path: Path, data: object) -> str:
    """Name the innermost element that contains `path`, e.g. 'activity 1.2.2.1' or 'owner rome-team'."""
    label, node, kind = "", data, None
    for step in path:
        if isinstance(node, dict) and isinstance(step, str):
            kind, node = _KINDS.get(step), node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            if kind:
                ident = node.get("id", node.get("number")) if isinstance(node, dict) else None
                label = f"{kind} {ident}" if isinstance(ident, (str, int)) and ident != "" else f"{kind} #{step + 1}"
            kind = None
        else:
            break
    return label or ".".join(str(p) for p in path[:2])
