"""Limits and Unicode checks on every text: size, lines, brackets, invisible-only texts, bidirectional controls."""
from __future__ import annotations

import re
import unicodedata

from ..messages import Msg
from .yamlnodes import Document, describe

# Documented in the README ("Limits"); the longest text of the plan is about 1,900 characters and 11 lines.
MAX_LINES = 20
MAX_BRACKETS = 200  # [ ] < >: Markdown's link and HTML parsers slow down on long runs of them
BRACKETS = "[]<>"
# Characters that reorder the text shown around them (Trojan Source): never in ids, flagged in texts.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters and symbols that print nothing, though Unicode does not class them as spaces or formats.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# The first C0/C1 control other than tab and line ends, and the first bidi control: one C-speed search each.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Line breaks that YAML, spreadsheets and browsers each read their own way (a space, a break, nothing): one rule,
# shared by `make check` and the workbook import (macros/exchange/update_rows.py).
ODD_BREAKS = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}
_ODD_BREAK = re.compile("[" + "".join(ODD_BREAKS) + "]")
# A text a spreadsheet would read as a formula (OWASP: CSV and formula injection).
FORMULA_START = "=+-@"
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def within_limits(text: str) -> bool:
    """True when later checks and the build may read `text` (each of them is linear, but need not be fast)."""
    return text.count("\n") < MAX_LINES and sum(text.count(c) for c in BRACKETS) <= MAX_BRACKETS


def odd_line_break(text: str) -> tuple[Msg, Msg] | None:
    """(message, hint) when `text` holds U+0085, U+2028 or U+2029; None otherwise."""
    found = _ODD_BREAK.search(text)
    if found is None:
        return None
    char = found.group()
    return Msg("odd_break", code=f"U+{ord(char):04X}", name=ODD_BREAKS[char]), Msg("odd_break_hint")


def visible(text: str) -> bool:
    """True when `text` shows at least one character: not only spaces, zero-width or format characters."""
    return any(not (c.isspace() or c in _BLANK_GLYPHS or unicodedata.category(c) in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"))
               for c in text)


def check_text_limits(doc: Document) -> None:
    """Add a problem for each string over the limits, with no visible character, or holding bidi controls."""
    _walk(doc, doc.data, ())


def _walk(doc: Document, node: object, path: tuple) -> None:
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        if isinstance(node, str):
            _check(doc, node, path)
        return
    for key, value in items:  # the texts are checked here, without a call for each value
        if isinstance(value, str):
            _check(doc, value, path + (key,))
        elif isinstance(value, (dict, list)):
            _walk(doc, value, path + (key,))


def _check(doc: Document, text: str, path: tuple) -> None:
    lines = text.strip("\n").count("\n") + 1
    brackets = text.count("[") + text.count("]") + text.count("<") + text.count(">")  # BRACKETS
    control = _CONTROL.search(text)
    stripped = text.lstrip()
    # A text starting with a letter or digit is visible; only the others need the character-by-character look.
    invisible = stripped and not (stripped[0].isalnum() and stripped[0] not in _BLANK_GLYPHS) and not visible(text)
    bidi = _BIDI.search(text)
    odd = _ODD_BREAK.search(text)
    formula = bool(stripped) and stripped[0] in FORMULA_START
    if (lines <= MAX_LINES and brackets <= MAX_BRACKETS and control is None and not invisible and bidi is None
            and odd is None and not formula):
        return  # the common case: the element is only named (a walk from the root) when there is something to say
    where = describe(path, doc.data, doc.sources)
    field = ".".join(str(p) for p in path[-2:] if isinstance(p, str)) or "text"
    is_text = bool(path) and path[-1] in ("fr", "en")
    if lines > MAX_LINES:
        doc.problem(path, where, Msg("text_lines", field=field, lines=f"{lines:,}", limit=MAX_LINES), Msg("text_lines_hint"))
    if brackets > MAX_BRACKETS:
        doc.problem(path, where, Msg("text_brackets", field=field, brackets=f"{brackets:,}", limit=MAX_BRACKETS),
                    Msg("text_brackets_hint"))
    if control is not None:
        doc.problem(path, where, Msg("text_control", field=field, code=f"U+{ord(control.group()):04X}"), Msg("text_control_hint"))
    if odd is not None:
        message, hint = odd_line_break(text)
        doc.problem(path, where, Msg("field_problem", field=field, problem=message), hint)
    if formula and is_text:
        doc.problem(path, where, Msg("text_formula", field=field, char=stripped[0]), Msg("text_formula_hint"),
                    severity="warning")
    if invisible:
        doc.problem(path, where, Msg("text_invisible", field=field), Msg("text_invisible_hint"))
    bidi = bidi.start() if bidi is not None else None
    if bidi is not None:
        code = f"U+{ord(text[bidi]):04X}"
        line, column = doc.text_mark(path, text, bidi)
        if is_text:
            doc.problem(path, where, Msg("text_bidi", field=field, code=code), Msg("text_bidi_hint"), severity="warning")
        else:
            doc.problem(path, where, Msg("text_bidi_id", field=field, code=code), Msg("text_bidi_id_hint"))
        problem = doc.problems[-1]
        doc.problems[-1] = type(problem)(problem.file, line, column, problem.where, problem.message, problem.hint,
                                         problem.severity, problem.code, problem.params)
