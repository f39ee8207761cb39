"""Inputs that used to stall the build or fail without a data line: refused at their line, quickly and in one line each.

Also the rules behind them: schema patterns match whole strings (in our validator as in editors), texts have
documented limits, texts are NFC, invisible-only texts count as missing, bidirectional controls are flagged, and
Markdown is alive only in the fields the schema declares as Markdown.
"""
from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data import load, model  # noqa: E402
from macros.data.schema_check import SCHEMA_PATH, python_pattern  # noqa: E402
from macros.data.text_check import MAX_BRACKETS, MAX_LINES  # noqa: E402

BASE_FILE = ROOT / "tests" / "fixtures" / "bad" / "base.yaml"
BASE = BASE_FILE.read_text(encoding="utf-8")
TEXT_LINE = "          fr: Créer des supports de sensibilisation.\n"  # activity 1.1.1.1's French text, line 121
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def variant(old: str, new: str, count: int = 1) -> str:
    assert BASE.count(old) >= count, old
    return BASE.replace(old, new, count)


# name -> (file text, line of the first error, what its message says)
CASES = {
    # The three inputs of the issue that stalled the build (2 min, 1 min 37 s, over 15 min).
    "blank_lines_30000": (variant(TEXT_LINE, '          fr: "Créer' + "\\n" * 30000 + 'x"\n'), 121, "characters long"),
    "angle_a_100000": (variant(TEXT_LINE, '          fr: "' + "<a" * 100000 + '"\n'), 121, "characters long"),
    "brackets_50000": (variant(TEXT_LINE, '          fr: "' + "[" * 50000 + '"\n'), 121, "characters long"),
    # The same, within the length limit: the line and bracket limits catch them.
    "blank_lines_block": (variant(TEXT_LINE, "          fr: |\n            Créer\n" + "\n" * 3000 + "            x\n"),
                          121, f"more than the {MAX_LINES} allowed"),
    "brackets_3000": (variant(TEXT_LINE, '          fr: "' + "[" * 3000 + '"\n'), 121, f"more than the {MAX_BRACKETS} allowed"),
    "angle_a_1500": (variant(TEXT_LINE, '          fr: "' + "<a" * 1500 + '"\n'), 121, f"more than the {MAX_BRACKETS} allowed"),
    # Failures that had no data line: a traceback (File name too long) or anchor warnings.
    "owner_id_300": (variant("- id: rome-team\n", "- id: " + "r" * 300 + "\n"), 45, "characters long, more than the 64"),
    "version_300": (variant('version: "2023-11"', 'version: "2023-11-' + "a" * 300 + '"'), 26, "more than the 32"),
    "owner_name_two_lines": (variant("    fr: Équipe du Groupe sectoriel Logistique Rome\n",
                                     '    fr: "Équipe du Groupe\\nsectoriel Logistique Rome"\n'), 47, "cannot hold a line break"),
    "pillar_id_newline": (variant('- id: "1"\n', '- id: "1\\n"\n'), 101, "is not a valid value for 'id'"),
    # Ids ending in a newline passed the schema, whose `$` Python reads as "end, or before a final newline".
    "version_newline": (variant('version: "2023-11"', 'version: "2023-11\\n"'), 26, "is not a valid value for 'meta.version'"),
    "status_id_newline": (variant("- id: completed\n", '- id: "completed\\n"\n'), 30, "is not a valid value for 'id'"),
    # Unicode.
    "zero_width_translation": (variant("    en: Support Team (Rome)\n", '    en: "\\u200b"\n'), 51, "only invisible characters"),
    "bidi_in_abbreviation": (variant("    - GSL Rome\n", '    - "GSL\\u202eRome"\n'), 0, "bidirectional control character (U+202E)"),
    "nfd_duplicate_abbreviation": (variant("    - GSL Rome\n", "    - GSL Rome\n    - GSL Romé\n    - GSL Rome\u0301\n"),
                                   0, "is already defined by acronym"),
    "control_character_escaped": (variant(TEXT_LINE, '          fr: "Créer\\x07 des supports"\n'), 121, "control character U+0007"),
    "url_javascript": (variant("url: https://example.org/reference-module.pdf", "url: javascript:alert(1)"), 75,
                       "is not a valid value for 'url'"),
    "url_markdown": (variant("url: https://example.org/reference-module.pdf", 'url: "https://x.example/)[evil](javascript:alert(1))"'),
                     75, "is not a valid value for 'url'"),
    "empty_label_reference": (variant(TEXT_LINE, '          fr: "Créer [][]\\n\\n[]: javascript:alert(1)"\n'), 121,
                              "link to 'javascript:alert(1)' is not allowed"),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("hostile")
    results = {}
    for name, (text, _, _) in CASES.items():
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        results[name] = subprocess.run([sys.executable, "-m", "macros.data.check", str(path)], cwd=ROOT,
                                       capture_output=True, text=True, timeout=120)
    return results


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_input_is_refused_at_its_line_in_one_line_per_problem(runs, name):
    _, line, message = CASES[name]
    result = runs[name]
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    problems = [p for p in result.stderr.splitlines() if not p.endswith("fix the errors above.")]
    assert problems and all(re.match(rf".*{name}\.yaml:\d+:\d+: ", p) for p in problems), problems
    assert all(len(p) < 600 for p in problems), "a message repeats a huge value"
    errors = [p for p in problems if ": warning: " not in p]
    assert any(message in p for p in errors), errors
    if line:
        first = next(p for p in errors if message in p)
        assert re.search(rf"\.yaml:{line}:\d+: ", first), first


def test_a_bidi_control_in_a_text_is_a_warning_not_an_error(tmp_path):
    path = tmp_path / "bidi.yaml"
    path.write_text(variant(TEXT_LINE, '          fr: "Créer \\u2067x\\u2069 des supports"\n'), encoding="utf-8")
    plan, problems = load.validate(path)
    assert plan is not None
    assert [(p.severity, p.line) for p in problems if "bidirectional" in p.message] == [("warning", 121)]


def test_texts_are_nfc_on_load_so_search_and_duplicates_see_one_form(tmp_path):
    path = tmp_path / "nfd.yaml"
    path.write_text(unicodedata.normalize("NFD", BASE), encoding="utf-8")
    plan, problems = load.validate(path)
    assert plan is not None, [p.format() for p in problems]
    assert plan.pillars[0].outcomes[0].outputs[0].activities[0].text.fr == "Créer des supports de sensibilisation."
    assert all(unicodedata.is_normalized("NFC", a.text.fr) for a in plan.activities)


def test_texts_at_the_limits_are_accepted(tmp_path):
    at_limit = "Créer " + "[x] " * (MAX_BRACKETS // 2) + "\\n" * (MAX_LINES - 1) + "fin"
    path = tmp_path / "limit.yaml"
    path.write_text(variant(TEXT_LINE, f'          fr: "{at_limit}"\n'), encoding="utf-8")
    plan, problems = load.validate(path)
    assert plan is not None, [p.format() for p in problems]


def schema_patterns(node=SCHEMA):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from schema_patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from schema_patterns(value)


def test_every_anchored_schema_pattern_matches_whole_strings_only():
    """ECMA-262's `$` (editors) is the end of input; our validator gives it that meaning instead of Python's."""
    anchored = [p for p in set(schema_patterns()) if p.endswith("$")]
    assert len(anchored) >= 8
    for pattern in anchored:
        assert python_pattern(pattern).pattern.endswith("\\Z"), pattern
    quarter = python_pattern(r"^[0-9]{4}-Q[1-4]$")
    assert quarter.search("2024-Q1") and not quarter.search("2024-Q1\n")
    inside_class = python_pattern(r"^[^$\]]a\$$")  # a `$` in a class or escaped is a dollar sign
    assert inside_class.search("xa$") and not inside_class.search("xa$\n") and not inside_class.search("$a$")


def test_a_final_newline_is_refused_in_every_field_but_markdown_texts(tmp_path):
    """Each id, reference, date, version, URL, abbreviation and one-line text of the plan, with "\\n" added."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_payloads import BASE, LEAVES, general, get, put

    markdown = markdown_fields()
    leaves = [leaf for leaf in LEAVES if general(leaf) not in markdown]
    data = json.loads(json.dumps(BASE))
    for leaf in leaves:
        put(data, leaf, get(BASE, leaf) + "\n")
    path = tmp_path / "newlines.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    from macros.data.yamlnodes import read_document
    doc = read_document(path.read_bytes(), str(path))
    plan, problems = load.validate(path)
    refused_lines = {p.line for p in problems if p.severity == "error"}
    unrefused = [leaf for leaf in leaves if doc.marks[leaf][0] not in refused_lines]
    assert len(leaves) > 50 and not unrefused, unrefused


def markdown_fields(node=SCHEMA, path=()) -> set[tuple]:
    """Where the schema declares a Markdown text (a string of `$defs/markdown`): key paths, '*' for list items."""
    if node.get("$ref") == "#/$defs/markdown":
        return {path}
    if "$ref" in node:
        target = SCHEMA
        for step in node["$ref"].lstrip("#/").split("/"):
            target = target[step]
        return markdown_fields(target, path)
    found = set()
    for key, child in node.get("properties", {}).items():
        found |= markdown_fields(child, path + (key,))
    if isinstance(node.get("items"), dict):
        found |= markdown_fields(node["items"], path + ("*",))
    for branch in node.get("oneOf", []):
        found |= markdown_fields(branch, path)
    return found


def model_markdown_fields(plan) -> set[str]:
    """The model's MarkdownText fields, by dataclass and attribute name."""
    found, seen = set(), set()

    def walk(obj):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, (list, tuple)):
            for item in obj:
                walk(item)
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, model.Text):
            for f in dataclasses.fields(obj):
                value = getattr(obj, f.name)
                if isinstance(value, model.MarkdownText):
                    found.add(f"{type(obj).__name__}.{f.name}")
                walk(value)

    walk(plan)
    return found


def test_markdown_is_alive_only_in_the_fields_the_schema_declares_as_markdown():
    texts = {path[:-1] for path in markdown_fields()}  # the {fr, en} pairs holding Markdown strings
    declared = {path[-1] for path in texts}
    assert declared, "the schema declares no Markdown field"
    plan, problems = load.validate(ROOT / "tests" / "fixtures" / "payloads" / "plan.yaml")
    in_model = model_markdown_fields(plan)
    # Every declared field is Markdown in the model, and nothing else is (a new field is plain unless declared).
    assert {name.split(".")[1] for name in in_model} <= declared, in_model
    assert len(in_model) == len(texts), (sorted(in_model), sorted(texts))
    plain = {f"{type(o).__name__}.{f.name}" for o in (plan.meta, plan.owners[0], plan.statuses[0], plan.acronyms[0])
             for f in dataclasses.fields(o) if isinstance(getattr(o, f.name), model.Text)}
    assert plain and not plain & in_model
