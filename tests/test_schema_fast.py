"""The fast schema check accepts exactly the documents jsonschema accepts: fixtures, payloads and mutants."""
from __future__ import annotations

import copy
import json
import math
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data.schema_check import _Validator, is_valid, python_pattern, validator  # noqa: E402
from macros.data.schema_fast import UnsupportedSchema, compile_schema  # noqa: E402
from macros.data.yamlnodes import read_document  # noqa: E402

SCHEMA = json.loads((ROOT / "data" / "sip.schema.json").read_text(encoding="utf-8"))
PAYLOAD_PLAN = ROOT / "tests" / "fixtures" / "payloads" / "plan.yaml"  # holds every field of the schema
PAYLOADS = yaml.safe_load((ROOT / "tests" / "fixtures" / "payloads" / "payloads.yaml").read_text(encoding="utf-8"))
# One of each kind of value, for "wrong type" mutants.
SAMPLES = ["x", "", " ", 0, 1, -1, 1.0, 2.5, float("nan"), True, False, None, [], ["x"], {}, {"fr": "x", "en": "y"}]


def jsonschema_accepts(data) -> bool:
    return next(validator().iter_errors(data), None) is None


def assert_same(data, what: str) -> None:
    expected = jsonschema_accepts(data)
    assert is_valid()(data) is expected, f"{what}: jsonschema says {'valid' if expected else 'invalid'}"


def yaml_fixtures() -> list[Path]:
    return sorted(p for p in (ROOT / "tests").rglob("*.y*ml") if p.suffix in (".yaml", ".yml")) + [ROOT / "data" / "sip.yaml"]


def test_the_project_schema_compiles():
    assert callable(is_valid())


@pytest.mark.parametrize("path", yaml_fixtures(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixture_is_judged_alike(path):
    doc = read_document(path.read_bytes(), path.name)
    if doc.problems:  # refused before the schema is reached
        return
    assert_same(doc.data, str(path))


# --- mutants, made by walking the schema along a plan that holds every field ------------------------------------

def resolved(node: object) -> list[dict]:
    """`node` and every schema it also has to satisfy ($ref targets, allOf/anyOf/oneOf branches), flattened."""
    if not isinstance(node, dict):
        return []
    found = [node]
    if "$ref" in node:
        target = SCHEMA
        for step in node["$ref"].lstrip("#/").split("/"):
            target = target[step]
        found += resolved(target)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(keyword, []):
            found += resolved(branch)
    return found


def locations(data: object, schemas: list[dict], path: tuple = ()):
    """(path, value, schemas) for each value of `data`, first occurrence of each general path only."""
    yield path, data, schemas
    children: list = []
    if isinstance(data, dict):
        for key, value in data.items():
            inner = [r for s in schemas for r in resolved(s.get("properties", {}).get(key, s.get("additionalProperties")))]
            children.append((key, value, inner))
    elif isinstance(data, list) and data:
        children.append((0, data[0], [r for s in schemas for r in resolved(s.get("items"))]))
    for key, value, inner in children:
        yield from locations(value, inner, path + (key,))


def string_mutants(value: str, schema: dict) -> list:
    out = []
    if "pattern" in schema:
        out += [value + "\n", "\n" + value, value + " ", " " + value, value + "$", value.upper(), value[:-1], value + "x",
                "a\u2028b", "a\rb", "1.2.3.4", "1.2", "2024-Q1", "2024-Q1\n", "2024-Q5", "2024-13", "2024-02-30x",
                "https://x.org/a", "https://x.org/a b", "http://x.org/(a)", "mailto:a@b.org", "javascript:x",
                "GCS(M)", "two  spaces", "rome-team", "Rome", "-x", "\u00a0", "\u200b"]
    for key, delta in (("maxLength", 0), ("maxLength", 1), ("minLength", 0), ("minLength", -1)):
        if key in schema and schema[key] + delta >= 0:
            out.append(("é" if value[:1] != "é" else "a") * (schema[key] + delta))
    return out


def mutants(value: object, schemas: list[dict]) -> list:
    out = list(SAMPLES)
    for schema in schemas:
        if isinstance(value, str):
            out += string_mutants(value, schema)
        for option in schema.get("enum", []) + ([schema["const"]] if "const" in schema else []):
            out += [option, f"{option}x", str(option)]
            if isinstance(option, (int, float)) and not isinstance(option, bool):
                out += [float(option), option + 1, bool(option)]
        if "minimum" in schema:
            out += [schema["minimum"] - 1, schema["minimum"], schema["minimum"] + 0.5, float(schema["minimum"])]
        if isinstance(value, dict):
            for key in value:
                out.append({k: v for k, v in value.items() if k != key})  # a required key missing
                out.append({(k + "s" if k == key else k): v for k, v in value.items()})  # a misspelt key
            out += [{**value, "extra": "x"}, {**value, "fr": None}, {k: v for k, v in value.items() if k not in ("fr", "en")}]
        if isinstance(value, list):
            out += [value[:1], value + value[:1], value + ["x"], value + [None], value + [{}]]
    return out


def replaced(data: object, path: tuple, value: object) -> object:
    """A copy of `data` with `value` at `path`, sharing every untouched branch."""
    if not path:
        return value
    copied = copy.copy(data)
    copied[path[0]] = replaced(data[path[0]], path[1:], value)
    return copied


def first_items(data: object) -> object:
    """`data` with each list cut to its first item (every minItems is 1): the same fields, checked faster."""
    if isinstance(data, dict):
        return {key: first_items(value) for key, value in data.items()}
    return [first_items(item) for item in data[:1]] if isinstance(data, list) else data


def test_mutants_of_every_field_are_judged_alike():
    base = first_items(read_document(PAYLOAD_PLAN.read_bytes(), PAYLOAD_PLAN.name).data)
    assert jsonschema_accepts(base) and is_valid()(base)
    checked = invalid = 0
    seen: set = set()
    for path, value, schemas in locations(base, resolved(SCHEMA)):
        # Fields with the same schema (every 'fr' line, every id of a kind) are mutated once, at their first place.
        signature = (json.dumps(schemas, sort_keys=True), type(value).__name__)
        if signature in seen:
            continue
        seen.add(signature)
        for mutant in mutants(value, schemas):
            document = replaced(base, path, mutant)
            assert_same(document, f"{'/'.join(map(str, path))} = {mutant!r:.80}")
            checked += 1
            invalid += not is_valid()(document)
    assert checked > 1500 and 0.2 < invalid / checked < 0.99  # the walk reached every field and both answers occur


def test_every_payload_in_every_kind_of_string_field_is_judged_alike():
    # Validity is checked field by field (each field's own schema, with the plan's $defs), which is what the whole
    # document's check composes; the mutants test above covers the composition.
    base = read_document(PAYLOAD_PLAN.read_bytes(), PAYLOAD_PLAN.name).data
    kinds: dict[str, dict] = {}
    for _, value, schemas in locations(base, resolved(SCHEMA)):
        if isinstance(value, str):
            schema = {k: v for s in schemas for k, v in s.items() if k != "$ref"}
            kinds.setdefault(json.dumps(schema, sort_keys=True), schema)
    assert len(kinds) >= 10
    for schema in kinds.values():
        whole = {**schema, "$defs": SCHEMA["$defs"]}
        slow, fast = _Validator(whole), compile_schema(whole, python_pattern)
        for payload in PAYLOADS + [p + "\n" for p in PAYLOADS]:
            assert fast(payload) is slow.is_valid(payload), (schema, payload)


# --- the compiler on keywords the plan's schema does not use (yet) ----------------------------------------------

GENERAL = {
    "$defs": {"tree": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/tree"}}},
                       "additionalProperties": {"type": ["integer", "null"], "maximum": 10, "exclusiveMinimum": 0}}},
    "anyOf": [{"$ref": "#/$defs/tree"}, {"type": "array", "maxItems": 2, "items": {"not": {"type": "string"}}},
              {"type": "number", "exclusiveMaximum": 3, "minimum": -1}, {"enum": [[1, True], {"a": 0}]},
              {"allOf": [{"type": "string", "minLength": 2}, {"pattern": "^a"}]},
              {"type": "object", "maxProperties": 1, "required": ["z"], "properties": {"z": {"const": False}}}],
}
INSTANCES = [None, True, False, 0, 1, 2.0, 2.9, 3, -1, -1.5, math.inf, float("nan"), "", "a", "ab", "ba", "ab\n",
             [], [1], [1, 2], [1, 2, 3], ["x"], [1, True], [1, 1], [True, 1], {"a": 0}, {"a": False}, {"a": 0.0},
             {"z": False}, {"z": 0}, {"z": False, "y": 1}, {"kids": []}, {"kids": [{"n": 1}]}, {"kids": [{"n": 11}]},
             {"kids": [{"n": 0}]}, {"kids": [{"n": None}]}, {"kids": [{"kids": [{"n": 2.0}]}]}, {"n": 10},
             {"n": 10.5}, {"kids": "x"}]


@pytest.mark.parametrize("schema", [GENERAL] + GENERAL["anyOf"] + [{"oneOf": GENERAL["anyOf"][1:]}, True, False],
                         ids=lambda s: json.dumps(s)[:40])
def test_other_keywords_mean_what_they_mean_in_jsonschema(schema):
    whole = {**schema, "$defs": GENERAL["$defs"]} if isinstance(schema, dict) else schema
    slow, fast = jsonschema.Draft202012Validator(whole), compile_schema(whole, python_pattern)
    for instance in INSTANCES:
        assert fast(instance) is slow.is_valid(instance), (schema, instance)


@pytest.mark.parametrize("schema", [{"patternProperties": {"^a": {}}}, {"prefixItems": [{}]}, {"items": [{}]},
                                    {"$ref": "other.json#/x"}, {"$ref": "#/$defs/missing"}, {"type": "date"},
                                    {"dependentRequired": {}}, {"unevaluatedProperties": False}, {"maxLength": -1}])
def test_a_keyword_the_fast_check_cannot_honour_fails_loudly_when_compiled(schema):
    with pytest.raises(UnsupportedSchema):
        compile_schema(schema, python_pattern)
