"""meta.state, the approval and the consultation: accepted when coherent, refused at their line otherwise."""
from __future__ import annotations

from pathlib import Path

import pytest

from macros.data.load import validate

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "plans" / "minimal.yaml"
ANCHOR = '  status_as_of: "2023-11"\n'


def plan_with_meta(tmp_path: Path, lines: str, name: str = "sip.yaml") -> Path:
    """minimal.yaml with `lines` added at the end of `meta` (their first line is line 29 of the file)."""
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count(ANCHOR) == 1 and text.splitlines().index(ANCHOR.rstrip("\n")) == 27
    path = tmp_path / name
    path.write_text(text.replace(ANCHOR, ANCHOR + lines), encoding="utf-8")
    return path


GOOD = {
    "draft with a consultation": 'state: draft\nconsultation:\n  email: sip-consultation@example.org\n  deadline: "2025-09-15"\n',
    "draft with a deadline only": 'state: draft\nconsultation:\n  deadline: "2025-09-15"\n',
    "approved": 'state: approved\napproved_on: "2024-03-01"\napproved_by:\n  fr: Groupe consultatif stratégique (SAG)\n  en: Strategic Advisory Group (SAG)\n',
    "superseded after approval": 'state: superseded\napproved_on: "2024-03-01"\napproved_by:\n  fr: SAG\n  en: SAG\n',
    "no state (data older than the field)": "",
}


def indent(lines: str) -> str:
    return "".join(f"  {line}\n" for line in lines.splitlines())


@pytest.mark.parametrize("case", GOOD)
def test_coherent_states_validate_and_reach_the_model(tmp_path, case):
    plan, problems = validate(plan_with_meta(tmp_path, indent(GOOD[case])))
    assert plan is not None, [p.format() for p in problems]
    meta = plan.meta
    if "approved" in case:
        assert meta.approved_on == "2024-03-01" and meta.approved_by.en.endswith("(SAG)" if case == "approved" else "SAG")
    if case == "draft with a consultation":
        assert meta.state == "draft" and meta.consultation.email == "sip-consultation@example.org"
        assert meta.consultation.deadline == "2025-09-15" and meta.open_for_comments
    else:
        assert not meta.open_for_comments
    if case.startswith("no state"):
        assert meta.state is None and meta.consultation is None


# lines added to meta, the line of the error, words of the message, words of the hint
BAD = [
    ("state: approved\n", 29, "an approved revision needs meta.approved_on", "approved_by"),
    ('state: approved\napproved_on: "2024-03-01"\n', 29, "needs meta.approved_by", "e.g. the SAG"),
    ('state: draft\napproved_on: "2024-03-01"\n', 30, "a draft cannot have approved_on", "set state: approved"),
    ('approved_on: "2024-03-01"\n', 29, "meta.state is missing", "add state: approved"),
    ("state: adopted\n", 29, "adopted", "draft"),
    ('state: approved\napproved_on: "2024-02-30"\napproved_by: {fr: SAG, en: SAG}\n', 30, "not a date in the calendar", "day"),
    ('state: approved\napproved_on: "2999-01-01"\napproved_by: {fr: SAG, en: SAG}\n', 30, "after the build date", "once it has happened"),
    ('state: approved\napproved_on: 2024-03-01\napproved_by: {fr: SAG, en: SAG}\n', 30, "YAML reads 2024-03-01 as a date", "quotes"),
    ("state: draft\nconsultation:\n  email: comments at example.org\n", 31, "email", "email address like"),
    ('state: draft\nconsultation:\n  email: "a@example.org?cc=b@example.org"\n', 31, "email", "email address like"),
    ('state: draft\nconsultation:\n  email: "a@example.org\\nBcc: b@example.org"\n', 31, "email", "email address like"),
    ('state: draft\nconsultation:\n  email: "é@example.org"\n', 31, "email", "email address like"),
    ('state: draft\nconsultation:\n  deadline: "2025-13-01"\n', 31, "deadline", "date like"),
    ('state: draft\nconsultation:\n  deadline: "2025-02-29"\n', 31, "not a date in the calendar", "day"),
    ("state: draft\nconsultation: {}\n", 30, "consultation", ""),
    ('state: draft\nconsultation:\n  address: x@example.org\n', 31, "unknown key 'address'", ""),
]


@pytest.mark.parametrize("lines, line, wrong, fix", BAD, ids=[b[2][:40] for b in BAD])
def test_incoherent_meta_is_refused_at_its_line(tmp_path, lines, line, wrong, fix):
    path = plan_with_meta(tmp_path, indent(lines))
    plan, problems = validate(path)
    assert plan is None
    errors = [p for p in problems if p.severity == "error"]
    assert errors, problems
    first = errors[0]
    text = first.format()
    assert text.startswith(f"{path.name}:{line}:") or text.startswith(f"{path}:{line}:"), text
    assert wrong in text and fix in text, text
    assert "\n" not in text
