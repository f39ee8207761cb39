"""Reads a message catalog (fr.yml, en.yml) with the standard library: `make setup` speaks before PyYAML exists.

The catalogs keep to a small part of YAML: comments, `key: value` lines, and one level of `section:` with indented
`key: value` lines under it; keys and values are plain, "double-quoted" or 'single-quoted'. A line outside that
part is refused with its file and line, and tests/test_messages.py checks that this reader and PyYAML agree.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

_DOUBLE = r'"(?:[^"\\]|\\.)*"'
_SINGLE = r"'(?:[^']|'')*'"
_PLAIN_KEY = r"[^\s\"'#][^:#]*?"
_LINE = re.compile(rf"(?P<key>{_DOUBLE}|{_PLAIN_KEY}):(?:[ ]+(?P<value>{_DOUBLE}|{_SINGLE}|[^\s\"'#&*!|>%@`{{\[-][^#]*?))?[ ]*")


def _scalar(written: str) -> str:
    if written.startswith('"'):
        return json.loads(written)
    if written.startswith("'"):
        return written[1:-1].replace("''", "'")
    if ": " in written:
        raise ValueError("a plain value holds ': '")
    return written


def parse(text: str, name: str = "catalog") -> dict:
    """The catalog's messages: key -> text, or section -> {key -> text}."""
    messages: dict = {}
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        match = _LINE.fullmatch(stripped)
        try:
            if match is None or indent not in (0, 2) or (indent == 2 and section is None):
                raise ValueError("not a 'key: value' line of the catalog")
            key, value = _scalar(match["key"]), match["value"]
            if indent == 0:
                section = messages[key] = {} if value is None else None
                if value is not None:
                    messages[key] = _scalar(value)
            elif value is None:
                raise ValueError("a section may not hold a section")
            else:
                section[key] = _scalar(value)
        except ValueError as exc:
            raise ValueError(f"{name}:{number}: {exc}") from None
    return messages


def read(path: Path) -> dict:
    return parse(path.read_text(encoding="utf-8"), str(path))
