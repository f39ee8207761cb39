"""Progress updates: each mistake in the periods or the updates is one problem, at its line, saying how to fix it.

Fixtures are tests/fixtures/updates/ (base.yaml with one mistake each, written by make_fixtures.py). The build
date is fixed with SIP_TODAY, as when rebuilding an old release.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from macros.data.load import display_name, validate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "updates"
sys.path.insert(0, str(FIXTURES))

import make_fixtures  # noqa: E402

BUILD_DATE = "2024-10-01"  # the day after the last declared quarter ends

# case, build date, line, element, what is wrong, how to fix it
MISTAKES = [
    ("period_q5", BUILD_DATE, 112, "period 2024-Q5", "'2024-Q5' is not a valid value for 'id'",
     'expected a quarter like "2024-Q1"'),
    ("period_without_dash", BUILD_DATE, 149, "activity 1.1.1.2, update 2024Q1", "'2024Q1' is not a valid value for 'period'",
     'expected a quarter like "2024-Q1"'),
    ("period_in_the_future", "2024-07-01", 112, "period 2024-Q4",
     "the quarter starts on 2024-10-01, after the build date 2024-07-01", "declare a period once its quarter has begun"),
    ("date_in_the_future", BUILD_DATE, 164, "activity 1.1.1.2, update 2024-Q3",
     "the update is dated 2024-10-15, after the build date 2024-10-01", "date an update on the day it was reported"),
    ("date_before_its_period", BUILD_DATE, 157, "activity 1.1.1.2, update 2024-Q2",
     "the update for 2024-Q2 is dated 2024-03-28, before the period starts on 2024-04-01", "correct the date, or the period"),
    ("date_not_in_calendar", BUILD_DATE, 157, "activity 1.1.1.2, update 2024-Q2", "2024-06-31 is not a date in the calendar",
     "check the day and the month"),
    ("out_of_order", BUILD_DATE, 156, "activity 1.1.1.2, update 2024-Q1",
     "the update for 2024-Q1 is listed after the one for 2024-Q2 (line 149)", "list updates from the oldest period to the newest"),
    ("two_for_one_period", BUILD_DATE, 163, "activity 1.1.1.2, update 2024-Q2", "a second update for 2024-Q2 (first at line 156)",
     "one update per period: merge the two, or correct the period"),
    ("undeclared_period", BUILD_DATE, 196, "activity 2.1.1.1, update 2042-Q2",
     "period '2042-Q2' is not declared in the periods list", "did you mean '2024-Q2'?"),
    ("unknown_reporter", BUILD_DATE, 166, "activity 1.1.1.2, update 2024-Q3", "reporting owner 'glcc' is not defined",
     "did you mean 'glc'?"),
    ("status_outside_vocabulary", BUILD_DATE, 165, "activity 1.1.1.2, update 2024-Q3", "status 'done' is not defined",
     "use one of: completed, in_progress, not_reported"),
    ("note_without_text", BUILD_DATE, 167, "activity 1.1.1.2, update 2024-Q3",
     "'note' has no text", "write it in French ('fr:'), English ('en:') or both"),
]


def test_the_fixtures_are_what_make_fixtures_writes():
    assert {p.stem for p in FIXTURES.glob("*.yaml")} - {"base"} == set(make_fixtures.CASES) == {m[0] for m in MISTAKES}
    stale = [name for name in make_fixtures.CASES if (FIXTURES / f"{name}.yaml").read_bytes() != make_fixtures.render(name)]
    assert not stale, f"out of date, run tests/fixtures/updates/make_fixtures.py: {stale}"


@pytest.mark.parametrize("name, today, line, element, wrong, fix", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_mistake_in_the_updates_is_one_problem_at_its_line(monkeypatch, name, today, line, element, wrong, fix):
    monkeypatch.setenv("SIP_TODAY", today)
    path = FIXTURES / f"{name}.yaml"
    plan, problems = validate(path)
    assert plan is None
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    [problem] = problems
    assert (problem.severity, problem.line, problem.where) == ("error", line, element), problem.format()
    assert problem.message == wrong and fix in problem.hint, problem.format()
    assert problem.format().startswith(f"{display_name(path)}:{line}:{problem.column}: {element}: {wrong} (")


@pytest.mark.parametrize("data", ["tests/fixtures/updates/base.yaml", "tests/fixtures/plans/progress.yaml"])
def test_a_plan_with_three_quarters_of_updates_validates_the_day_after_the_third(monkeypatch, data):
    monkeypatch.setenv("SIP_TODAY", BUILD_DATE)
    plan, problems = validate(ROOT / data)
    assert plan is not None and not [p.format() for p in problems if p.severity == "error"]
    assert [p.id for p in plan.periods] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    assert sum(len(a.updates) for a in plan.activities) >= 4


def test_the_same_plan_built_before_its_last_quarter_began_is_refused(monkeypatch):
    # Built on 2024-06-30, the 2024-Q3 period has not begun and its updates are dated in the future.
    monkeypatch.setenv("SIP_TODAY", "2024-06-30")
    plan, problems = validate(FIXTURES / "base.yaml")
    assert plan is None
    assert [(p.line, p.message) for p in problems] == [
        (111, "the quarter starts on 2024-07-01, after the build date 2024-06-30"),
        (164, "the update is dated 2024-09-25, after the build date 2024-06-30"),
    ]


def test_the_checker_takes_its_build_date_from_sip_today():
    path = FIXTURES / "period_in_the_future.yaml"
    runs = {today: subprocess.run([sys.executable, "-m", "macros.data.check", str(path.relative_to(ROOT))], cwd=ROOT, text=True,
                                  capture_output=True, env={**os.environ, "SIP_TODAY": today}) for today in ("2024-07-01", "2024-10-01")}
    assert runs["2024-07-01"].returncode == 1 and "Traceback" not in runs["2024-07-01"].stderr
    assert "period_in_the_future.yaml:112:7: period 2024-Q4: the quarter starts on 2024-10-01" in runs["2024-07-01"].stderr
    assert runs["2024-10-01"].returncode == 0, runs["2024-10-01"].stderr


@pytest.mark.parametrize("period", ["2024-Q5", "2024-Q0", "2024-Qx", "0000-Q3", "24-Q1", "2024-q1"])
def test_no_malformed_period_crashes_the_checker(monkeypatch, tmp_path, period):
    # Each once in the periods list and once in an update: problems, never an exception.
    monkeypatch.setenv("SIP_TODAY", BUILD_DATE)
    text = (FIXTURES / "base.yaml").read_text(encoding="utf-8")
    text = text.replace('- id: "2024-Q3"\n', f'- id: "2024-Q3"\n- id: "{period}"\n').replace(
        'period: "2024-Q2"\n          date: "2024-05-02"', f'period: "{period}"\n          date: "2024-05-02"')
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    plan, problems = validate(tmp_path / "plan.yaml")
    assert plan is None
    assert {p.line for p in problems} == {112, 197}, "\n".join(p.format() for p in problems)
