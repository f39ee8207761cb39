"""Each kind of data mistake is reported at its line, with the element, what is wrong and how to fix it; never a traceback."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from macros.data.load import display_name, validate
from macros.data.yamlnodes import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROKEN = FIXTURES / "broken"
MINIMAL = FIXTURES / "plans" / "minimal.yaml"

# Each file in fixtures/broken/ is fixtures/plans/minimal.yaml with one mistake (its first line says which).
# fixture, line of the first error, element named (None: the file has no element there), what is wrong, how to fix it
MISTAKES = [
    ("duplicate_key", 125, "activity 1.1.1.1", "duplicate key 'status' (first at line 123)", "remove or rename one"),
    ("duplicate_activity_id", 161, "activity 2.1.1.1", "duplicate activity id '2.1.1.1' (first at line 154)", "renumber one"),
    ("duplicate_owner_id", 53, "owner rome-team", "duplicate owner id 'rome-team' (first at line 45)", "its own id"),
    ("unknown_owner", 166, "activity 2.1.1.2", "owner 'rome-tem' is not defined", "did you mean 'rome-team'?"),
    ("unknown_status", 135, "activity 1.1.1.2", "status 'not-reported' is not defined", "did you mean 'not_reported'?"),
    ("unknown_glossary_ref", 52, "owner rome-team", "glossary entry 'gsl-rom' is not defined", "did you mean 'gsl-rome'?"),
    ("unknown_footnote_ref", 156, "activity 2.1.1.1", "footnote 'reference-modul' is not defined",
     "did you mean 'reference-module'?"),
    ("missing_en", 146, "outcome 2.1", "missing English translation (en) of 'text'", "add a non-empty 'en:' line"),
    ("empty_en", 117, "output 1.1.1", "empty English translation of 'text'", "write the English text"),
    ("null_en", 139, "pillar 2", "'title.en' is empty", "write the English text after 'en:'"),
    ("boolean_no", 59, "owner glc", "'short.en' must be text, but YAML reads no as a true/false value",
     'put it in quotes: "no"'),
    ("unquoted_id_number", 109, "outcome 1.10", "'id' must be text, but YAML reads 1.10 as a number",
     'put it in quotes: "1.10"'),
    ("unquoted_date_status_as_of", 28, "meta.status_as_of", "must be text, but YAML reads 2023-11-05 as a date",
     'put it in quotes: "2023-11-05"'),
    ("unquoted_date_text", 22, "meta.revision", "'revision.en' must be text, but YAML reads 2023-11-05 as a date",
     'put it in quotes: "2023-11-05"'),
    ("python_tag", 121, "activity 1.1.1.1", "the tag !!python/object/apply:os.system is not allowed", "remove the tag"),
    ("unknown_key", 166, "activity 2.1.1.2", "unknown key 'ownrs'", "did you mean 'owners'?"),
    ("tab_indentation", 122, "activity 1.1.1.1", "tab character", "indent with spaces, not tabs"),
    ("unclosed_quote", 125, None, "this quote is not closed on its line and runs on to line 136",
     "add the closing quote"),
    ("empty", 1, None, "the file is empty", "restore it from git"),
    ("latin1", 6, None, "the file is not valid UTF-8 (byte 0xc9)", "save the file with UTF-8 encoding"),
    ("billion_laughs", 31, None, "YAML alias *l0 is not allowed", "write the value out in full"),
    ("javascript_link", 156, "activity 2.1.1.1", "link to 'javascript:alert(1' is not allowed",
     "links may only point to http://, https:// or mailto:"),
    ("wrong_type_list", 138, "pillar 2", "'title' must be a mapping (key: value lines), not a list",
     "'fr: ...' and 'en: ...'"),
]
THREE_MISTAKES = ["status 'complete' is not defined", "missing English translation (en) of 'text'",
                  "owner 'rome-tem' is not defined"]
WARNING_ONLY = "warning_activity_numbering"
ACCEPTED = ["minimal", "bom", "crlf"]


def run_check(*paths: Path) -> subprocess.Popen:
    """`python -m macros.data.check <paths>` from the repository root, as an editor would run it."""
    return subprocess.Popen([sys.executable, "-m", "macros.data.check", *map(str, paths)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUTF8": "1"})


@pytest.fixture(scope="module")
def cli_runs() -> dict[str, tuple[int, str]]:
    # One checker process per fixture, all started at once: the suite waits for the slowest, not the sum.
    names = [m[0] for m in MISTAKES] + ["three_mistakes", WARNING_ONLY]
    processes = {name: run_check(BROKEN.relative_to(ROOT) / f"{name}.yaml") for name in names}
    outputs = {name: "".join(p.communicate(timeout=60)) for name, p in processes.items()}
    return {name: (processes[name].returncode, output) for name, output in outputs.items()}


def test_every_broken_fixture_has_an_expectation():
    expected = {m[0] for m in MISTAKES} | {"three_mistakes", WARNING_ONLY}
    assert {p.stem for p in BROKEN.glob("*.yaml")} == expected


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_complete_plan_validates_with_no_problem(name):
    # bom.yaml starts with a UTF-8 byte-order mark and crlf.yaml has Windows line endings: both are fine.
    plan, problems = validate(FIXTURES / "plans" / f"{name}.yaml")
    assert problems == []
    assert [a.id for a in plan.activities] == ["1.1.1.1", "1.1.1.2", "2.1.1.1", "2.1.1.2"]


def test_the_bom_and_crlf_fixtures_really_have_a_bom_and_crlf():
    assert (FIXTURES / "plans" / "bom.yaml").read_bytes().startswith(b"\xef\xbb\xbf")
    crlf = (FIXTURES / "plans" / "crlf.yaml").read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\n") > 100


@pytest.mark.parametrize("name, line, element, wrong, fix", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_mistake_is_reported_at_its_line_with_the_element_and_the_fix(name, line, element, wrong, fix):
    path = BROKEN / f"{name}.yaml"
    plan, problems = validate(path)
    assert plan is None
    first = problems[0]
    assert first.severity == "error"
    assert first.line == line, first.format()
    message = first.format()
    assert re.match(rf"{re.escape(display_name(path))}:{line}:\d+: ", message), message
    assert wrong in message
    assert fix in first.hint and message.endswith(f"({first.hint})"), message
    if element:
        assert message.split(": ", 2)[1] == element, message


@pytest.mark.parametrize("name, line, wrong", [(m[0], m[1], m[3]) for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_the_checker_exits_1_and_prints_the_mistake_without_a_traceback(cli_runs, name, line, wrong):
    code, output = cli_runs[name]
    assert code == 1, output
    assert "Traceback" not in output
    assert f"tests/fixtures/broken/{name}.yaml:{line}:" in output.replace(os.sep, "/")
    assert wrong in output
    assert "fix the errors above" in output


def test_all_mistakes_of_a_file_are_reported_in_one_run(cli_runs):
    plan, problems = validate(BROKEN / "three_mistakes.yaml")
    assert [p.line for p in problems] == [124, 146, 165]
    for problem, wrong in zip(problems, THREE_MISTAKES):
        assert wrong in problem.message
    code, output = cli_runs["three_mistakes"]
    assert code == 1
    assert all(wrong in output for wrong in THREE_MISTAKES)
    assert "3 errors" in output


def test_an_activity_numbered_outside_its_output_is_a_warning_naming_both_ids(cli_runs):
    plan, problems = validate(BROKEN / f"{WARNING_ONLY}.yaml")
    assert plan is not None
    [warning] = problems
    assert warning.severity == "warning" and warning.line == 161
    assert "activity 2.2.1.2" in warning.format() and "output's id 2.1.1" in warning.format()
    assert warning in plan.warnings
    code, output = cli_runs[WARNING_ONLY]
    assert code == 0, output
    assert "warning: activity 2.2.1.2: activity id 2.2.1.2 does not start with its output's id 2.1.1" in output


def test_a_python_tag_is_refused_not_run(tmp_path):
    marker = tmp_path / "ran"
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "fr: Créer des supports de sensibilisation.", f'fr: !!python/object/apply:os.system ["touch {marker}"]')
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    plan, problems = validate(tmp_path / "plan.yaml")
    assert plan is None and "!!python/object/apply:os.system is not allowed" in problems[0].message
    assert not marker.exists()


def test_an_alias_bomb_is_refused_within_5_seconds():
    start = time.perf_counter()
    plan, problems = validate(BROKEN / "billion_laughs.yaml")
    assert time.perf_counter() - start < 5
    # One problem per anchor, each at its first use, rather than one per use.
    assert [p.message for p in problems] == [f"YAML alias *l{i} is not allowed (used 9 times)" for i in range(9)]
    assert [p.line for p in problems] == list(range(31, 40))


def test_a_50_mb_file_is_refused_within_5_seconds(tmp_path):
    path = tmp_path / "huge.yaml"
    line = "# " + "x" * 1022 + "\n"
    path.write_text(MINIMAL.read_text(encoding="utf-8") + line * (50 * 1024), encoding="utf-8")
    start = time.perf_counter()
    plan, problems = validate(path)
    assert time.perf_counter() - start < 5
    [problem] = problems
    assert plan is None and problem.line == 1
    assert f"over the {MAX_BYTES // 10**6} MB limit" in problem.message


@pytest.mark.parametrize("text, wrong", [
    ("- pillars\n", "the file must be a mapping"),
    ("null\n", "the file holds no data"),
    ("a: \x07\n", "the character U+0007 is not allowed"),
    ("a: 1\n---\nb: 2\n", "another document"),
    ("a: [1, 2\n", "YAML syntax error"),
    ("a: &x 1\nb: *x\n", "YAML alias *x is not allowed"),
    ("a: 'never closed\n", "this quote is never closed"),
])
def test_an_odd_file_gets_one_line_messages(tmp_path, text, wrong):
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    plan, problems = validate(path)
    assert plan is None and problems
    assert wrong in problems[0].message
    assert all("\n" not in p.format() for p in problems)


def test_no_small_edit_of_a_plan_crashes_the_validator(tmp_path):
    # Delete each line, or give each key a wrong kind of value: the result is problems, never an exception.
    lines = MINIMAL.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "edited.yaml"
    variants = []
    for i, line in enumerate(lines):
        variants.append(lines[:i] + lines[i + 1:])
        if key := re.match(r"^(\s*(?:- )?[\w-]+:)", line):
            variants += [lines[:i] + [f"{key.group(1)} {value}\n"] + lines[i + 1:] for value in ("1", "{}", "[1, [2]]")]
    for variant in variants:
        path.write_text("".join(variant), encoding="utf-8")
        try:
            plan, problems = validate(path)
            [p.format() for p in problems]
        except Exception as exc:  # report the edit, not just the exception
            pytest.fail(f"{type(exc).__name__}: {exc} on:\n{''.join(variant)}")
