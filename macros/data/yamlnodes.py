"""Read YAML safely into plain Python values plus the line and column of every value."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

import unicodedata

import yaml

from ..messages import Msg
from .problems import Problem
from .yamlevents import Unusual, read_plain

try:  # libyaml is several times faster; the pure-Python loader behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

# The real plan is ~100 KB and 2,100 values; a multi-country plan of 5,000 activities is 4.5 MB and 108,000 values.
# The limits leave room for 15,000 activities; larger files are mistakes, and slow.
MAX_BYTES = 16_000_000  # 16 MB, as the message says (decimal, like the hint's "0.1 MB")
# Under MAX_BYTES a file can still hold millions of tiny values ("- x" lines), each costing time and memory,
# or nest deeper than Python's recursion limit: the plan holds about 2,000 values, 12 levels deep.
MAX_NODES = 500_000
# Values sit on their own lines, after a colon or between commas: more such marks than MAX_NODES is refused before
# parsing, in milliseconds (counting the values of such a file one by one would take seconds).
MAX_SEPARATORS = MAX_NODES
MAX_DEPTH = 40
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
    literal: dict = field(default_factory=dict)  # Path -> (line, column) of the first character of a `|` block text
    problems: list = field(default_factory=list)

    def mark(self, path: Path) -> tuple[int, int]:
        """The position of `path`, or of its nearest located ancestor."""
        path = tuple(path)
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def text_mark(self, path: Path, text: str, offset: int) -> tuple[int, int]:
        """The position of character `offset` of the text at `path`: exact in a `|` block, whose lines are the
        file's lines; otherwise the start of the text (other styles fold their lines)."""
        if tuple(path) not in self.literal:
            return self.mark(path)
        line, column = self.literal[tuple(path)]
        line_start = text.rfind("\n", 0, offset) + 1
        return line + text.count("\n", 0, offset), column + offset - line_start

    def problem(self, path: Path, where: str, message: str, hint: str = "", severity: str = "error",
                code: str = "", **params) -> None:
        line, column = self.mark(path)
        self.problems.append(Problem(self.file, line, column, where, message, hint, severity, code, params))


def read_document(raw: bytes, file: str) -> Document:
    """Decode and parse `raw`; syntax, encoding, tag, alias and duplicate-key mistakes become problems."""
    doc = Document(file)
    if len(raw) > MAX_BYTES:
        doc.problems.append(Problem(file, 1, 1, "", Msg("yaml_too_big", size=len(raw) / 1e6, limit=MAX_BYTES // 10**6),
                                    Msg("yaml_too_big_hint")))
        return doc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        key = "yaml_utf16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "yaml_not_utf8"
        doc.problems.append(Problem(file, line, column, "", Msg(key, byte=f"0x{raw[exc.start]:02x}"),
                                    Msg("yaml_not_utf8_hint")))
        return doc
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        doc.problems.append(Problem(file, 1, 1, "", Msg("yaml_empty_file"), Msg("yaml_empty_file_hint", file=file)))
        return doc
    crowded = _too_many_separators(text, file)
    if crowded:
        doc.problems.append(crowded)
        return doc
    # The one pass builds the values as it reads them: a file whose brackets and dashes may hold more values than
    # allowed ("[[[x]]]" or "- - x" hold several per separator) goes straight to the guards, which refuse it
    # without building anything.
    if sum(map(text.count, ("\n", ",", ": ", "[", "{", "- "))) > MAX_NODES:
        return read_nodes(text, file)
    # Most files are plain data: read in one pass over the events. Anything else (and every mistake) is read and
    # reported by the full reader, from its node tree.
    plain = Document(file)
    try:
        read_plain(text, _Loader, plain, yaml.SafeLoader(""), _PLAIN_TAGS, MAX_NODES, MAX_DEPTH)
        return plain
    except Unusual:
        return read_nodes(text, file)
    except yaml.YAMLError:  # every value up to the syntax error was within the guards, which stop there too
        return read_nodes(text, file, guard=False)


def read_nodes(text: str, file: str, guard: bool = True) -> Document:
    """The full reader: size guards, then the composed node tree; every YAML mistake becomes a problem."""
    doc = Document(file)
    oversized = _oversized(text, file) if guard else None
    if oversized:
        doc.problems.append(oversized)
        return doc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(_syntax_problem(exc, text, file))
        return doc
    except yaml.reader.ReaderError as exc:  # control characters; its own message spans several lines
        # libyaml gives a byte offset, which is past the character after any accented letter: find the character.
        position = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        position = exc.position if position < 0 else position
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        doc.problems.append(Problem(file, line, column, "", Msg("yaml_character", code=f"U+{exc.character:04X}"),
                                    Msg("yaml_character_hint")))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(file, 1, 1, "", Msg("yaml_error", reason=' '.join(str(exc).split())), Msg("yaml_error_hint")))
        return doc
    builder = _Builder(doc, text)
    builder.build(node)
    if builder.aliased:
        _report_aliases(doc, text)
    return doc


def _too_many_separators(text: str, file: str) -> Problem | None:
    """A file that may hold too many values, found in milliseconds before it is parsed."""
    # An estimate in three counts: a value starts a line, or follows a comma or a colon ("- x", "a: b", "[x, y]").
    lines, commas, colons = text.count("\n"), text.count(","), text.count(": ")
    if lines + commas + colons > MAX_SEPARATORS:
        return Problem(file, 1, 1, "", Msg("yaml_crowded", limit=f"{MAX_SEPARATORS:,}", lines=f"{lines:,}",
                                           commas=f"{commas:,}", colons=f"{colons:,}"), Msg("yaml_crowded_hint"))
    return None


def _oversized(text: str, file: str) -> Problem | None:
    """Too many values or too deep a nesting, found by streaming events before any node is built."""
    crowded = _too_many_separators(text, file)
    if crowded:
        return crowded
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            nodes += 1
            depth += isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
            line, column = event.start_mark.line + 1, event.start_mark.column + 1
            if depth > MAX_DEPTH:
                return Problem(file, line, column, "", Msg("yaml_too_deep", limit=MAX_DEPTH), Msg("yaml_too_deep_hint"))
            if nodes > MAX_NODES:
                return Problem(file, line, column, "", Msg("yaml_too_many", limit=f"{MAX_NODES:,}"),
                               Msg("yaml_too_many_hint"))
    except yaml.YAMLError:
        pass  # composing the document reports it, with its position
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    """Locate a syntax error where the editor has to act, which is often before where the reader gave up."""
    # The reader's own wording (libyaml's, in English) is quoted as it is; our words around it are translated.
    mark, hint = exc.problem_mark or exc.context_mark, Msg("yaml_syntax_hint")
    message = Msg("yaml_syntax", problem=exc.problem, context=f" ({exc.context})" if exc.context else "")
    if "tab" in str(exc.problem):
        hint = Msg("yaml_tabs_hint")
    elif "alias" in str(exc.problem):
        hint = Msg("yaml_alias_hint")
    elif "another document" in str(exc.problem):
        hint = Msg("yaml_documents_hint")
    elif "quoted scalar" in str(exc.context) and exc.context_mark:
        # The reader only notices at the end of the file; the quote that was never closed is the place to fix.
        mark, message, hint = exc.context_mark, Msg("yaml_quote_never_closed"), Msg("yaml_close_quote_hint")
    else:
        # A quote left open swallows the following lines until the next quote, and the error shows up there.
        opened = _quote_running_to(text, mark.line)
        if opened:
            mark, message = opened, Msg("yaml_quote_runs_on", line=mark.line + 1)
            hint = Msg("yaml_close_quote_hint")
    return Problem(file, mark.line + 1, mark.column + 1, _where_before(text, mark), message, hint)


def _where_before(text: str, mark) -> str:
    """Name the element a syntax error sits in, from what could be read before it."""
    data, where = None, ()
    try:
        for path, is_key, event in _node_events(text):
            if (event.start_mark.line, event.start_mark.column) >= (mark.line, mark.column):
                break
            where = path
            if is_key:
                continue
            value = {} if isinstance(event, yaml.MappingStartEvent) else [] if isinstance(event, yaml.SequenceStartEvent) \
                else getattr(event, "value", None)
            if not path:
                data = value
                continue
            parent = data
            for step in path[:-1]:
                parent = parent[step]
            if isinstance(parent, list):
                parent.append(value)
            else:
                parent[path[-1]] = value
    except (yaml.YAMLError, LookupError, TypeError):
        pass
    return describe(where, data) if where else ""


def _quote_running_to(text: str, line: int):
    """The start of the last quoted text that spans several lines and ends on `line` (0-based), if any."""
    found = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.line > line:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.start_mark.line < token.end_mark.line == line):
                found = token.start_mark
    except yaml.YAMLError:
        pass
    return found


class _Builder:
    """Turns a composed node tree into Python values, recording marks and refusing what we do not allow."""

    def __init__(self, doc: Document, text: str):
        self.doc = doc
        self.lines = text.splitlines()
        self.seen: set[int] = set()
        self.aliased = False  # set when a node is reached twice; _report_aliases then says where
        self.pending: list[tuple[Path, Problem]] = []
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node) -> None:
        self.doc.data = self._value(node, ())
        # Problems met while building are named once the whole tree (and so every id) is known.
        for path, problem in self.pending:
            self.doc.problems.append(replace(problem, where=describe(path, self.doc.data, self.doc.sources)))

    def _problem(self, node, path: Path, message: str, hint: str = "") -> None:
        mark = node.start_mark
        self.pending.append((path, Problem(self.doc.file, mark.line + 1, mark.column + 1, "", message, hint)))

    def _value(self, node, path: Path):
        doc = self.doc
        doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
            self._problem(node, path, Msg("yaml_tag", tag=node.tag.replace('tag:yaml.org,2002:', '!!')),
                          Msg("yaml_tag_hint"))
            return None
        # A node reached twice is an alias: refusing it also defuses "billion laughs" bombs.
        if id(node) in self.seen:
            self.aliased = True
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._problem(key_node, path, Msg("yaml_merge_key"), Msg("yaml_merge_key_hint"))
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self._problem(key_node, path, Msg("yaml_key_not_text"))
                    continue
                if id(key_node) in self.seen:
                    self.aliased = True
                    continue
                self.seen.add(id(key_node))
                key = key_node.value
                key_path = path + (key,)
                if key in result:
                    line = key_node.start_mark.line + 1
                    first = doc.marks.get(key_path, (0, 0))[0]
                    self._problem(key_node, path, Msg("yaml_duplicate_key", key=key, line=first),
                                  Msg("yaml_duplicate_key_hint"))
                    continue
                result[key] = self._value(value_node, key_path)
                doc.marks[key_path] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._value(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:str":
            if node.style == "|":
                self._locate_block(node, path)
            # One form for each text (NFC): "é" typed two ways is one abbreviation and one search term.
            return node.value if unicodedata.is_normalized("NFC", node.value) else unicodedata.normalize("NFC", node.value)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            return node.value
        if not node.style:  # plain (None from PyYAML, '' from libyaml), so implicitly typed: remember how it was written for the error message
            doc.sources[path] = node.value
        return value


    def _locate_block(self, node, path: Path) -> None:
        """Where the text of a `|` block starts: its first non-blank line after the indicator, and that line's indent."""
        for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self.lines))):
            line = self.lines[number]
            if line.strip():
                self.doc.literal[path] = (node.start_mark.line + 2, len(line) - len(line.lstrip(" ")) + 1)
                return


def type_name(value: object) -> str:
    """How a YAML reader sees `value`, in words for an editor."""
    return _TYPE_NAMES.get(type(value), type(value).__name__)


_KINDS = {"pillars": "pillar", "outcomes": "outcome", "outputs": "output", "activities": "activity",
          "owners": "owner", "statuses": "status", "acronyms": "acronym", "entries": "glossary entry",
          "sections": "section", "footnotes": "footnote", "commitments": "commitment", "updates": "update", "periods": "period",
          "retired": "retired activity", "editor_notes": "editor note"}


def describe(path: Path, data: object, sources: dict | None = None) -> str:
    """Name the innermost element that contains `path`, e.g. 'activity 1.2.2.1' or 'owner rome-team'.

    With `sources` (Document.sources), an id YAML read as a number is named as written: 'outcome 1.10'.
    """
    label, node, kind = "", data, None
    for depth, step in enumerate(path):
        if isinstance(node, dict) and isinstance(step, str):
            kind, node = _KINDS.get(step), node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            if kind:
                key = "period" if kind == "update" else "id" if isinstance(node, dict) and "id" in node else "number"
                ident = node.get(key) if isinstance(node, dict) else None
                ident = (sources or {}).get(tuple(path[:depth + 1]) + (key,), ident)
                if isinstance(ident, str) and len(ident) > 40:  # an over-long id is reported; naming it whole helps nobody
                    ident = ident[:37] + "..."
                named = f"{kind} {ident}" if isinstance(ident, (str, int)) and ident != "" else f"{kind} #{step + 1}"
                # An update is only known by its period: say whose it is, 'activity 1.1.1.2, update 2024-Q3'.
                label = f"{label}, {named}" if kind == "update" and label else named
            kind = None
        else:
            break
    return label or ".".join(str(p) for p in path[:2])


def _report_aliases(doc: Document, text: str) -> None:
    """One problem per anchor, at its first *alias: composed nodes only remember where the anchor was."""
    uses: dict[str, list] = {}
    for path, _, event in _node_events(text):
        if isinstance(event, yaml.AliasEvent):
            uses.setdefault(event.anchor, []).append((path, event.start_mark))
    for anchor, found in uses.items():
        path, mark = found[0]
        message = Msg("yaml_alias_times", anchor=anchor, count=len(found)) if len(found) > 1 else Msg("yaml_alias", anchor=anchor)
        doc.problems.append(Problem(doc.file, mark.line + 1, mark.column + 1, describe(path, doc.data, doc.sources),
                                    message, Msg("yaml_alias_full_hint", anchor=anchor)))


def _node_events(text: str):
    """(path, is_key, event) for each node event of `text`, following the same paths as Document.marks."""
    frames: list[list] = []  # per open collection: [path, is_mapping, next index or current key, expecting a key]
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frames.pop()
            _advance(frames, event)
        elif isinstance(event, yaml.NodeEvent):
            path, is_key = (), False
            if frames:
                base, is_mapping, step, at_key = frames[-1]
                is_key = is_mapping and at_key
                path = base if is_key else base + (step,)
            yield path, is_key, event
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                frames.append([path, isinstance(event, yaml.MappingStartEvent), 0, True])
            else:
                _advance(frames, event)


def _advance(frames: list, event) -> None:
    """A node has ended: move its parent on to the next index, or between key and value."""
    if not frames:
        return
    frame = frames[-1]
    if not frame[1]:
        frame[2] += 1
    elif frame[3]:
        frame[2], frame[3] = (event.value if isinstance(event, yaml.ScalarEvent) else None), False
    else:
        frame[3] = True
