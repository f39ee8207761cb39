"""The schema compiled into one yes/no predicate: a quick "valid"; jsonschema still explains every mistake."""
from __future__ import annotations

import numbers
from collections.abc import Callable

Check = Callable[[object], bool]

# Keywords that only describe; jsonschema asserts nothing for them either (format included, with no format checker).
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default",
                          "deprecated", "readOnly", "writeOnly", "format"})


class UnsupportedSchema(ValueError):
    """The schema uses a keyword or form this compiler does not implement with jsonschema's exact meaning."""


def _integer(x) -> bool:
    # Draft 6 and later: 1.0 is an integer; a bool never is.
    return (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "integer": _integer,
    "number": lambda x: isinstance(x, numbers.Number) and not isinstance(x, bool),
}
_NUMBER = _TYPES["number"]


def equal(one, two) -> bool:
    """JSON equality, as jsonschema's: true is not 1, and lists and mappings compare item by item."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, (list, tuple)) and isinstance(two, (list, tuple)):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return len(one) == len(two) and all(key in two and equal(value, two[key]) for key, value in one.items())
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return one == two


def compile_schema(schema: dict, pattern: Callable[[str], object]) -> Check:
    """A predicate true exactly when jsonschema (draft 2020-12) finds no error in a value; `pattern(p)` is the
    compiled regex that jsonschema's `pattern` keyword uses. Raises UnsupportedSchema for anything else."""
    defs = schema.get("$defs", {}) if isinstance(schema, dict) else {}
    compiled: dict[str, Check] = {}

    def ref(target: str, where: str) -> Check:
        name = target[len("#/$defs/"):] if isinstance(target, str) and target.startswith("#/$defs/") else None
        if name is None or "/" in name or "~" in name or name not in defs:
            raise UnsupportedSchema(f"{where}: only local references '#/$defs/<name>' are supported, not {target!r}")
        if name not in compiled:
            compiled[name] = lambda x: compiled[name](x)  # replaced below; a recursive definition calls it late
            compiled[name] = node(defs[name], f"#/$defs/{name}")
        return lambda x: compiled[name](x)

    def node(s, where: str) -> Check:
        if s is True:
            return lambda x: True
        if s is False:
            return lambda x: False
        if not isinstance(s, dict):
            raise UnsupportedSchema(f"{where}: a schema must be a mapping or a boolean")
        unknown = set(s) - _ANNOTATIONS - _KEYWORDS
        if unknown:
            raise UnsupportedSchema(f"{where}: {'keyword' if len(unknown) == 1 else 'keywords'} {', '.join(sorted(unknown))} not supported by the fast check "
                                    "(macros/data/schema_fast.py): implement them with jsonschema's meaning")
        checks: list[Check] = []
        if "$ref" in s:
            checks.append(ref(s["$ref"], where))
        if "type" in s:
            names = [s["type"]] if isinstance(s["type"], str) else s["type"]
            if not isinstance(names, list) or any(n not in _TYPES for n in names):
                raise UnsupportedSchema(f"{where}: unknown type {s['type']!r}")
            tests = [_TYPES[n] for n in names]
            checks.append(tests[0] if len(tests) == 1 else (lambda x: any(t(x) for t in tests)))
        if "enum" in s:
            options = list(s["enum"])
            checks.append(lambda x: any(equal(option, x) for option in options))
        if "const" in s:
            constant = s["const"]
            checks.append(lambda x: equal(x, constant))
        checks += _string_checks(s, where, pattern) + _number_checks(s, where)
        if any(k in s for k in ("properties", "required", "additionalProperties", "minProperties", "maxProperties")):
            checks.append(_object_check(s, where, node))
        if any(k in s for k in ("items", "minItems", "maxItems")):
            checks.append(_array_check(s, where, node))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in s:
                if not isinstance(s[keyword], list) or not s[keyword]:
                    raise UnsupportedSchema(f"{where}/{keyword}: must be a non-empty list")
                branches = [node(b, f"{where}/{keyword}/{i}") for i, b in enumerate(s[keyword])]
                checks.append(_combine(keyword, branches))
        if "not" in s:
            negated = node(s["not"], f"{where}/not")
            checks.append(lambda x: not negated(x))
        return _all(checks)

    return node(schema, "#")


_KEYWORDS = frozenset({"$ref", "type", "enum", "const", "pattern", "maxLength", "minLength", "minimum", "maximum",
                       "exclusiveMinimum", "exclusiveMaximum", "properties", "required", "additionalProperties",
                       "minProperties", "maxProperties", "items", "minItems", "maxItems", "allOf", "anyOf", "oneOf",
                       "not"})


def _count(s: dict, key: str, where: str) -> int | None:
    value = s.get(key)
    if value is not None and not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        raise UnsupportedSchema(f"{where}/{key}: must be a non-negative integer")
    return value


def _string_checks(s: dict, where: str, pattern) -> list[Check]:
    longest, shortest = _count(s, "maxLength", where), _count(s, "minLength", where)
    search = pattern(s["pattern"]).search if "pattern" in s else None
    if longest is None and shortest is None and search is None:
        return []

    def check(x) -> bool:
        if not isinstance(x, str):
            return True
        return ((longest is None or len(x) <= longest) and (shortest is None or len(x) >= shortest)
                and (search is None or search(x) is not None))
    return [check]


def _number_checks(s: dict, where: str) -> list[Check]:
    bounds = [(s[k], k) for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") if k in s]
    if any(not _NUMBER(v) for v, _ in bounds):
        raise UnsupportedSchema(f"{where}: numeric bounds must be numbers")
    # Written as jsonschema tests the failure (`instance < minimum`...), so that NaN behaves the same.
    fails = {"minimum": lambda x, v: x < v, "maximum": lambda x, v: x > v,
             "exclusiveMinimum": lambda x, v: x <= v, "exclusiveMaximum": lambda x, v: x >= v}
    return [lambda x, v=v, f=fails[k]: not (_NUMBER(x) and f(x, v)) for v, k in bounds]


def _object_check(s: dict, where: str, node) -> Check:
    properties = s.get("properties", {})
    if not isinstance(properties, dict):
        raise UnsupportedSchema(f"{where}/properties: must be a mapping")
    checks = {key: node(sub, f"{where}/properties/{key}") for key, sub in properties.items()}
    required = s.get("required", [])
    if not isinstance(required, list) or not all(isinstance(k, str) for k in required):
        raise UnsupportedSchema(f"{where}/required: must be a list of names")
    required = tuple(required)
    extra = s.get("additionalProperties", True)
    other = None if extra is True else node(extra, f"{where}/additionalProperties")
    fewest, most = _count(s, "minProperties", where), _count(s, "maxProperties", where)

    def check(x) -> bool:
        if not isinstance(x, dict):
            return True
        for key in required:
            if key not in x:
                return False
        for key, value in x.items():
            test = checks.get(key, other)
            if test is not None and not test(value):
                return False
        return (fewest is None or len(x) >= fewest) and (most is None or len(x) <= most)
    return check


def _array_check(s: dict, where: str, node) -> Check:
    if isinstance(s.get("items"), list) or "prefixItems" in s:
        raise UnsupportedSchema(f"{where}/items: only one schema for every item is supported")
    item = node(s["items"], f"{where}/items") if "items" in s else None
    fewest, most = _count(s, "minItems", where), _count(s, "maxItems", where)

    def check(x) -> bool:
        if not isinstance(x, list):
            return True
        if (fewest is not None and len(x) < fewest) or (most is not None and len(x) > most):
            return False
        return item is None or all(map(item, x))
    return check


def _combine(keyword: str, branches: list[Check]) -> Check:
    if keyword == "allOf":
        return lambda x: all(b(x) for b in branches)
    if keyword == "anyOf":
        return lambda x: any(b(x) for b in branches)
    return lambda x: sum(1 for b in branches if b(x)) == 1


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda x: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda x: first(x) and second(x)
    return lambda x: all(c(x) for c in checks)
