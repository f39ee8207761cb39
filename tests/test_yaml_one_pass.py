"""The one-pass reader (yamlevents) gives what the full reader gives, or hands the file over to it.

When the one pass finishes, the full reader (size guards, composed nodes, every YAML check) must find no problem
and the same data, marks, sources and block-text positions; otherwise the full reader reads the file and reports.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data import yamlnodes  # noqa: E402
from macros.data.yamlevents import Unusual, read_plain  # noqa: E402
from macros.data.yamlnodes import Document, read_document, read_nodes  # noqa: E402

MINIMAL = ROOT / "tests" / "fixtures" / "plans" / "minimal.yaml"
# Lines that each make a file something only the full reader may judge, or that it must read alike.
ODD_VALUES = ["&a x", "*a", "!!str 12", "!!python/object:os.system x", "! x", "!custom x", "=", "<<", "'<<'",
              "{<<: {a: b}}", "{? [a]: b}", "{[a]: b}", "{a: 1, a: 2}", "[[[[[[1]]]]]]", "|\n    block\n     text\n",
              ">\n    folded\n    text\n", "|-\n\n    after a blank line\n", "2024-01-01", "2024-01-01 10:00:00", "1_000",
              "0x1F", "0o17", ".nan", "-.inf", "1e3", "~", "null", "yes", "No", "on", "''", '""', "'e\u0301'",
              "e\u0301", "\"\\u00e9\\t\"", "!!binary aGk=", "!!timestamp 2024-01-01", "!!int '3'", "[a, b, {c: d}]",
              "{}", "[]", "? complex\n  : key", "\"quoted: colon\"", "a # comment", "- x", "x\n---\nsecond: document",
              "x\n...\n", "'unclosed", "\"tab\tinside\"", "\t"]


def one_pass(text: str) -> Document | None:
    doc = Document("x.yaml")
    try:
        read_plain(text, yamlnodes._Loader, doc, yaml.SafeLoader(""), yamlnodes._PLAIN_TAGS,
                   yamlnodes.MAX_NODES, yamlnodes.MAX_DEPTH)
    except (Unusual, yaml.YAMLError):
        return None
    return doc


def assert_same(text: str, what: str) -> None:
    fast = one_pass(text)
    if fast is None:
        return
    full = read_nodes(text, "x.yaml")
    assert full.problems == [], f"{what}: the one pass accepted what the full reader refuses: {full.problems[:2]}"
    for part in ("data", "marks", "sources", "literal"):
        assert repr(getattr(fast, part)) == repr(getattr(full, part)), f"{what}: {part} differ"


def variants() -> list[tuple[str, str]]:
    lines = MINIMAL.read_text(encoding="utf-8").splitlines(keepends=True)
    found = [("minimal", "".join(lines))]
    keyed = [(i, m) for i, line in enumerate(lines) if (m := re.match(r"^(\s*(?:- )?)([\w-]+):", line))]
    for n, (i, match) in enumerate(keyed[::3]):
        for value in ODD_VALUES[n % 7::7]:
            found.append((f"line {i + 1} = {value!r}", "".join(lines[:i] + [f"{match.group(0)} {value}\n"] + lines[i + 1:])))
        found.append((f"line {i + 1} key doubled", "".join(lines[:i + 1] + [lines[i]] + lines[i + 1:])))
        found.append((f"line {i + 1} removed", "".join(lines[:i] + lines[i + 1:])))
        found.append((f"line {i + 1} key <<", "".join(lines[:i] + [lines[i].replace(match.group(2), "<<", 1)] + lines[i + 1:])))
    return found


def fixtures() -> list[Path]:
    return sorted((ROOT / "tests").rglob("*.yaml")) + [ROOT / "data" / "sip.yaml"]


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixture_reads_alike(path):
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    assert_same(text, str(path))


def test_edited_plans_read_alike_and_the_odd_ones_go_to_the_full_reader():
    handed_over = 0
    for what, text in variants():
        assert_same(text, what)
        handed_over += one_pass(text) is None
    assert handed_over > 50  # anchors, tags, merge and duplicate keys, syntax errors... really reach the full reader


def test_the_fixture_plans_take_the_one_pass():
    for path in sorted((ROOT / "tests" / "fixtures" / "plans").glob("*.yaml")) + [ROOT / "data" / "sip.yaml"]:
        text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        assert one_pass(text) is not None, path


@pytest.mark.parametrize("text", ["a:\n" + "".join(f"{'  ' * d}- \n" for d in range(1, 45)),
                                  "[" * 45 + "]" * 45, "- " * 45 + "x\n", "\n".join(f"- [{','.join('x' * 20)}]" for _ in range(30))])
def test_a_guard_reached_in_the_one_pass_is_reported_by_the_full_reader(text, monkeypatch):
    monkeypatch.setattr(yamlnodes, "MAX_NODES", 500)
    assert one_pass(text) is None
    problems = read_document(text.encode(), "x.yaml").problems
    assert len(problems) == 1 and ("levels deep" in problems[0].message or "more than 500 values" in problems[0].message)
