"""One pass over libyaml's events for a plain document: its data and marks, with the size guards on the way."""
from __future__ import annotations

import unicodedata

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


class Unusual(Exception):
    """Something the full reader (yamlnodes) must handle: an anchor, alias, explicit tag, merge key, complex or
    duplicate key, a second document or none, a size guard reached."""


def read_plain(text: str, loader_class, doc, constructor, plain_tags, max_nodes: int, max_depth: int) -> None:
    """Fill `doc.data`, `doc.marks`, `doc.sources` and `doc.literal` as yamlnodes' _Builder does from composed nodes,
    streaming the events once instead of parsing twice (size guards, then composition).

    Raises yaml.YAMLError at a syntax error (nothing more was over the limits up to there) and Unusual for anything
    the full reader reports or refuses, so that every message comes from one place."""
    loader = loader_class(text)
    try:
        _Reader(loader, text, doc, constructor, plain_tags, max_nodes, max_depth).document()
    finally:
        loader.dispose()


class _Reader:
    def __init__(self, loader, text: str, doc, constructor, plain_tags, max_nodes: int, max_depth: int):
        self.next = loader.get_event
        self.resolve = loader.resolve
        self.doc, self.constructor = doc, constructor
        self.marks, self.sources = doc.marks, doc.sources
        self.nodes, self.max_nodes, self.max_depth = 0, max_nodes, max_depth
        self.text, self.lines = text, None
        # resolve() only types a plain scalar whose first character has an implicit resolver ('' for empty): others
        # are text, which spares most calls. Keys repeat: whether one is a merge key (<<) is remembered.
        table = loader.yaml_implicit_resolvers
        self.typed_firsts = None if None in table or loader.yaml_path_resolvers else frozenset(table)
        self.merge_keys: dict[str, bool] = {}
        self.plain_tags = plain_tags

    def document(self) -> None:
        self.next()  # the stream's start
        if not isinstance(self.next(), DocumentStartEvent):
            raise Unusual("no document")
        self.doc.data = self.value(self.next(), (), 0)
        self.next()  # the document's end
        if not isinstance(self.next(), StreamEndEvent):
            raise Unusual("a second document")

    def value(self, event, path: tuple, depth: int):
        # The same counts, in the same order, as yamlnodes._oversized: a guard reached is reported from there.
        self.nodes += 1
        kind = type(event)
        if kind is not ScalarEvent:
            if kind is AliasEvent or event.anchor is not None or event.tag is not None:
                raise Unusual("an alias, anchor or tag")
            depth += 1
            if depth > self.max_depth:
                raise Unusual("too deep")
        elif event.anchor is not None or event.tag is not None:
            raise Unusual("an anchor or tag")
        if self.nodes > self.max_nodes:
            raise Unusual("too many values")
        mark = event.start_mark
        self.marks[path] = (mark.line + 1, mark.column + 1)
        if kind is ScalarEvent:
            return self.scalar(event, path)
        if kind is SequenceStartEvent:
            items: list = []
            event = self.next()
            while type(event) is not SequenceEndEvent:
                items.append(self.value(event, path + (len(items),), depth))
                event = self.next()
            return items
        result: dict = {}
        event = self.next()
        while type(event) is not MappingEndEvent:
            self.nodes += 1
            if type(event) is not ScalarEvent or event.anchor is not None or event.tag is not None:
                raise Unusual("a complex key, alias, anchor or tag")
            if self.nodes > self.max_nodes:
                raise Unusual("too many values")
            key = event.value
            if key in result or (event.implicit[0] and self.merge_key(key, event.implicit)):
                raise Unusual("a duplicate or merge key")
            result[key] = self.value(self.next(), path + (key,), depth)
            event = self.next()
        return result

    def merge_key(self, key: str, implicit: tuple) -> bool:
        if key not in self.merge_keys:
            self.merge_keys[key] = self.resolve(yaml.ScalarNode, key, implicit) == _MERGE
        return self.merge_keys[key]

    def scalar(self, event, path: tuple):
        value = event.value
        typed = event.implicit[0] and (self.typed_firsts is None or value[:1] in self.typed_firsts)
        tag = self.resolve(yaml.ScalarNode, value, event.implicit) if typed else _STR
        if tag == _STR:
            if event.style == "|":
                self.locate_block(event, path)
            # One form for each text (NFC): "é" typed two ways is one abbreviation and one search term.
            return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
        if tag not in self.plain_tags:
            raise Unusual("an unusual implicit tag")
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            constructed = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            return value
        if not event.style:  # plain (None from PyYAML, '' from libyaml): remember how it was written for messages
            self.sources[path] = value
        return constructed

    def locate_block(self, event, path: tuple) -> None:
        """Where the text of a `|` block starts: its first non-blank line after the indicator, and that line's indent."""
        if self.lines is None:
            self.lines = self.text.splitlines()
        for number in range(event.start_mark.line + 1, min(event.end_mark.line + 1, len(self.lines))):
            line = self.lines[number]
            if line.strip():
                self.doc.literal[path] = (event.start_mark.line + 2, len(line) - len(line.lstrip(" ")) + 1)
                return
