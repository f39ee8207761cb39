"""JSON Schema validation of the raw data, with each error turned into an editor-friendly Problem."""
from __future__ import annotations

import difflib
import itertools
import json
import re
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match

from ..messages import Msg, Word
from .schema_fast import compile_schema
from .yamlnodes import Document, describe, type_name

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "sip.schema.json"
_LANG_NAMES = {"fr": "French", "en": "English"}
# Enough to list every mistake of a real edit; a file of 100,000 wrong values would otherwise take minutes and GBs.
MAX_ERRORS = 1000
_ID_EXAMPLES = {"^[0-9]+$": "like \"1\"", "^[0-9]+\\.[0-9]+$": "like \"1.2\"",
                "^[0-9]+\\.[0-9]+\\.[0-9]+$": "like \"1.2.3\"", "^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$": "like \"1.2.3.4\"",
                "^[a-z0-9][a-z0-9_-]*$": "lower-case letters, digits, '-' or '_', like \"rome-team\"",
                "^(https?://|mailto:)[^\\s()\\[\\]{}<>\"\\\\]+$": "an http://, https:// or mailto: address without spaces, quotes or brackets",
                "^[^\\n\\r\\u2028\\u2029]*$": "one line: this text is shown as written, so it cannot hold a line break",
                "^[0-9]{4}-Q[1-4]$": "a quarter like \"2024-Q1\"",
                "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$": "a date like \"2024-03-20\"",
                # $defs/email: an address a mailto: link carries as written
                "^[A-Za-z0-9_+-]+(\\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.[A-Za-z]{2,63}$":
                    "an email address like \"consultation@example.org\" (ASCII letters, digits, . _ + - before the @)"}


_ANNOTATIONS = {"description", "title", "$comment", "examples", "default"}


@lru_cache(maxsize=None)
def python_pattern(pattern: str) -> re.Pattern:
    """The schema's ECMA-262 pattern as Python reads it: `$` becomes `\\Z`.

    In ECMA-262 (JSON Schema's regex dialect, used by editors) `$` without the m flag matches only at the end of the
    input; Python's `$` also matches before a final newline, so "2024-Q1\\n" would pass. The schema stays portable
    and every `$` outside a character class or escape gets ECMA's meaning here.
    """
    out, in_class, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append("\\Z" if c == "$" and not in_class else c)
        i += 1
    return re.compile("".join(out))


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not python_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = _schema()
    return _Validator(resolve_refs(schema, schema.get("$defs", {})))


@lru_cache(maxsize=1)
def is_valid():
    """The schema as one predicate, true exactly when validator() finds no error (tests/test_schema_fast.py
    compares them), about ten times faster: jsonschema only runs to explain a file that has mistakes."""
    return compile_schema(_schema(), python_pattern)


def resolve_refs(node, defs: dict, seen: tuple = ()):
    """`node` with each local `$ref` ("#/$defs/name") replaced by its definition, once, before validation.

    jsonschema otherwise resolves every $ref again at every value it checks: a quarter of validation time."""
    if isinstance(node, list):
        return [resolve_refs(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    rest = {key: resolve_refs(value, defs, seen) for key, value in node.items() if key != "$ref"}
    if not (isinstance(ref, str) and ref.startswith("#/$defs/") and ref[len("#/$defs/"):] in defs):
        return {**rest, "$ref": ref} if ref is not None else rest
    name = ref[len("#/$defs/"):]
    if name in seen:  # a recursive definition stays a reference
        return {**rest, "$ref": ref}
    resolved = resolve_refs(defs[name], defs, seen + (name,))
    if set(resolved) & set(rest) - _ANNOTATIONS:  # both constrain the same keyword: both must hold, as with $ref
        return {**rest, "allOf": [*rest.get("allOf", []), resolved]}
    return {**resolved, **rest}


def check_schema(doc: Document) -> None:
    """Add one Problem per schema violation to `doc`, located at the offending value."""
    if is_valid()(doc.data):
        return
    found = list(itertools.islice(validator().iter_errors(doc.data), MAX_ERRORS + 1))
    if len(found) > MAX_ERRORS:
        found.pop()
        doc.problem((), "", Msg("schema_too_many", limit=MAX_ERRORS), Msg("schema_too_many_hint"))
    errors = [c for e in found for c in (_branch_errors(e) if e.validator in ("oneOf", "anyOf") and e.context else [e])]
    # A misspelt key ('ownrs') also makes the right one missing: the typo is the one mistake to report.
    misspelt = {(tuple(e.absolute_path), _close_key(e)) for e in errors if e.validator == "additionalProperties"}
    for error in sorted(errors, key=lambda e: doc.mark(e.absolute_path)):
        path = tuple(error.absolute_path)
        if error.validator == "required" and (path, _missing_key(error)) in misspelt:
            continue
        message, hint, at = _explain(error, path, doc)
        doc.problem(at, describe(path, doc.data, doc.sources), message, hint)


def _branch_errors(error) -> list:
    """The mistakes inside the one alternative of a oneOf/anyOf that has the value's type (an owner written as a
    mapping is checked as a mapping), all of them; otherwise the likeliest single mistake."""
    branches: dict = {}
    for inner in error.context:
        branches.setdefault(inner.relative_schema_path[0], []).append(inner)
    fitting = [inner for inner in branches.values()
               if not any(e.validator == "type" and not e.relative_path for e in inner)]
    return fitting[0] if len(fitting) == 1 else [best_match(error.context)]


def _missing_key(error) -> str:
    missing = re.search(r"'([^']+)' is a required property", error.message)
    return missing.group(1) if missing else "?"


def _unknown_keys(error) -> list[str]:
    known = error.schema.get("properties", {})
    return [key for key in error.instance if key not in known] if isinstance(error.instance, dict) else []


def _close_key(error) -> str | None:
    """The allowed key the first unknown key is a likely misspelling of."""
    unknown = _unknown_keys(error)
    close = difflib.get_close_matches(unknown[0], list(error.schema.get("properties", {})), n=1) if unknown else []
    return close[0] if close else None


def _field(path: tuple) -> str:
    """The key path an editor sees around the value, e.g. 'title', 'short.en' or 'meta.status_as_of'."""
    if len(path) >= 3 and isinstance(path[-1], int) and path[-2] in _LANG_NAMES:  # an abbreviation: 'abbr.fr'
        path = path[:-1]
    keys: list[str] = []
    for step in reversed(path):
        if not isinstance(step, str) or len(keys) == 2:
            break
        keys.insert(0, step)
    return ".".join(keys)


def _explain(error, path: tuple, doc: Document) -> tuple[str, str, tuple]:
    field = _field(path) or Word("the document")
    subject = Msg("quoted", value=field) if _field(path) else Word("the entry") if path else Word("the file")
    lang = Msg(f"language_{path[-1]}") if path and isinstance(path[-1], str) and path[-1] in _LANG_NAMES else None
    if error.validator == "type":
        written = doc.sources.get(path)
        expected = error.validator_value
        if written is not None and "string" in str(expected) and error.instance is not None:
            return (Msg("schema_not_text", subject=subject, written=written, type=Word(type_name(error.instance))),
                    Msg("schema_quote_it", written=written), path)
        if error.instance is None:
            what = Msg("schema_the_text", language=lang) if lang else Word("a value")
            if not path:
                return Msg("schema_no_data"), Msg("schema_restore"), path
            return Msg("schema_empty", subject=subject), Msg("schema_write_after", what=what, key=path[-1]), path
        found = type_name(error.instance) if not isinstance(error.instance, (str, list, dict)) else _a(_json_type(error.instance))
        hint = ""
        if set(error.schema.get("properties", {})) == set(_LANG_NAMES):
            hint = Msg("schema_two_lines", field=field)
        return Msg("schema_must_be", subject=subject, expected=_a(expected), found=found if isinstance(found, Word) else Word(found)), hint, path
    if error.validator == "required":
        name = _missing_key(error)
        if name in _LANG_NAMES:
            return (Msg("schema_missing_translation", language=Msg(f"language_{name}"), code=name, field=field),
                    Msg("schema_add_line", code=name, under=path[-1] if path else field), path)
        if _field(path):
            return Msg("schema_missing_in", name=name, field=_field(path)), Msg("schema_add_key", name=name), path
        return (Msg("schema_missing" if path else "schema_missing_in_document", name=name),
                Msg("schema_add_key", name=name), path)
    if error.validator == "additionalProperties":
        unknown = _unknown_keys(error)
        allowed = list(error.schema.get("properties", {}))
        name = unknown[0] if unknown else "?"
        close = _close_key(error)
        hint = Msg("did_you_mean", value=close) if close else Msg("schema_allowed_keys", keys=', '.join(allowed))
        return Msg("schema_unknown_key", name=name), hint, path + (name,)
    if error.validator == "pattern":
        if error.validator_value == "\\S":
            lang = path[-1] if path else ""
            if lang in _LANG_NAMES:
                return (Msg("schema_empty_translation", language=Msg(f"language_{lang}"), field=path[-2]),
                        Msg("schema_write_the_text_in", language=Msg(f"language_{lang}")), path)
            return Msg("schema_empty", subject=Msg("quoted", value=field)), Msg("schema_write_the_text"), path
        example = (_ID_EXAMPLES.get(error.validator_value) or error.schema.get("description")
                   or f"matching {error.validator_value}")
        return (Msg("schema_invalid_value", value=_shown(error.instance), field=field),
                Msg("schema_expected", example=Word(example)), path)
    if error.validator == "maxLength":
        return (Msg("schema_too_long", field=field, length=f"{len(error.instance):,}", limit=f"{error.validator_value:,}"),
                Msg("schema_too_long_hint"), path)
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return (Msg("schema_not_allowed", value=_shown(error.instance), field=field),
                Msg("schema_use_one_of", choices=', '.join(map(str, allowed))), path)
    if error.validator == "minProperties" and set(error.schema.get("properties", {})) == set(_LANG_NAMES):
        # An update note may hold one language only, but not none.
        return Msg("schema_no_text", field=field), Msg("schema_no_text_hint"), path
    if error.validator == "minItems":
        return Msg("schema_empty_list", field=field), Msg("schema_empty_list_hint"), path
    return f"'{field}': {error.message}", "", path


def _shown(value: object) -> str:
    """A value quoted for a one-line message: control characters visible, long values cut."""
    text = repr(value) if isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: object) -> str:
    return {str: "string", list: "array", dict: "object"}[type(value)]


def _a(expected: object) -> Word:
    words = {"string": "text", "object": "a mapping (key: value lines)", "array": "a list (- items)",
             "integer": "a whole number", "number": "a number", "boolean": "true or false"}
    if isinstance(expected, list):
        return Word(" or ".join(words.get(e, e) for e in expected))
    return Word(words.get(expected, str(expected)))
