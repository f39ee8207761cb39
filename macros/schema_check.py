"""JSON Schema validation of the raw data, with each error turned into an editor-friendly Problem."""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from .yamlnodes import Document, describe, type_name

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "sip.schema.json"
_LANG_NAMES = {"fr": "French", "en": "English"}
_ID_EXAMPLES = {"^[0-9]+$": "like \"1\"", "^[0-9]+\\.[0-9]+$": "like \"1.2\"",
                "^[0-9]+\\.[0-9]+\\.[0-9]+$": "like \"1.2.3\"", "^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$": "like \"1.2.3.4\"",
                "^[a-z0-9][a-z0-9_-]*$": "lower-case letters, digits, '-' or '_', like \"rome-team\"",
                "^https?://\\S+$": "an http:// or https:// address without spaces",
                "^[0-9]{4}-Q[1-4]$": "a quarter like \"2024-Q1\""}


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def check_schema(doc: Document) -> None:
    """Add one Problem per schema violation to `doc`, located at the offending value."""
    for error in sorted(validator().iter_errors(doc.data), key=lambda e: doc.mark(e.absolute_path)):
        if error.validator in ("oneOf", "anyOf") and error.context:
            error = best_match(error.context)
        path = tuple(error.absolute_path)
        message, hint, at = _explain(error, path, doc)
        doc.problem(at, describe(path, doc.data), message, hint)


def _explain(error, path: tuple, doc: Document) -> tuple[str, str, tuple]:
    field = ".".join(str(p) for p in path[-2:]) if path else "the document"
    if error.validator == "type":
        written = doc.sources.get(path)
        expected = error.validator_value
        if written is not None and "string" in str(expected):
            return (f"'{field}' must be text, but YAML reads {written} as {type_name(error.instance)}",
                    f'put it in quotes: "{written}"', path)
        return f"'{field}' must be {_a(expected)}, not {type_name(error.instance) if not isinstance(error.instance, (str, list, dict)) else _a(_json_type(error.instance))}", "", path
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        if name in _LANG_NAMES:
            return (f"missing {_LANG_NAMES[name]} translation ({name}) of '{field}'",
                    f"add a non-empty '{name}:' line under '{path[-1] if path else field}'", path)
        return f"missing '{name}' in {field}", f"add '{name}:'", path
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        allowed = list(error.schema.get("properties", {}))
        name = extra[0] if extra else "?"
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
        return f"unknown key '{name}'", hint, path + (name,)
    if error.validator == "pattern":
        if error.validator_value == "\\S":
            lang = path[-1] if path else ""
            if lang in _LANG_NAMES:
                return f"empty {_LANG_NAMES[lang]} translation of '{path[-2]}'", f"write the {_LANG_NAMES[lang]} text", path
            return f"'{field}' is empty", "write the text", path
        example = _ID_EXAMPLES.get(error.validator_value, f"matching {error.validator_value}")
        return f"'{error.instance}' is not a valid value for '{field}'", f"expected {example}", path
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return f"'{error.instance}' is not allowed for '{field}'", f"use one of: {', '.join(map(str, allowed))}", path
    if error.validator == "minItems":
        return f"'{field}' must not be empty", "add at least one item", path
    return f"'{field}': {error.message}", "", path


def _json_type(value: object) -> str:
    return {str: "string", list: "array", dict: "object"}[type(value)]


def _a(expected: object) -> str:
    words = {"string": "text", "object": "a mapping (key: value lines)", "array": "a list (- items)",
             "integer": "a whole number", "number": "a number", "boolean": "true or false"}
    if isinstance(expected, list):
        return " or ".join(words.get(e, e) for e in expected)
    return words.get(expected, str(expected))
