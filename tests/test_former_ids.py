"""Outputs and outcomes keep their published numbers too: `former_ids` is validated and keeps the old anchors."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from macros.data.load import validate

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "revisions" / "data"


def _errors(tmp_path: Path, edit) -> list[str]:
    path = tmp_path / "sip.yaml"
    path.write_text(edit((FIXTURE / "sip.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    plan, problems = validate(path)
    return [p.format() for p in problems if p.severity == "error"]


def test_the_revision_fixture_validates_without_numbering_warnings():
    for path in (FIXTURE / "sip.yaml", FIXTURE / "revisions" / "2023-11.yaml"):
        plan, problems = validate(path)
        assert plan is not None, [p.format() for p in problems]
    plan, problems = validate(FIXTURE / "sip.yaml")
    assert not [p for p in problems if p.code == "numbering"]
    output = next(op for op in plan.outputs if op.id == "2.2.3")
    assert output.former_ids == ("2.3.3",)


@pytest.mark.parametrize("edit, expected", [
    # another output's id
    (lambda t: t.replace('former_ids: ["2.3.3"]', 'former_ids: ["2.2.2"]'), "output 2.2.3: former id '2.2.2' is already used by another output"),
    # an outcome's former id clashing with an outcome
    (lambda t: t.replace('  - id: "2.2"\n', '  - id: "2.2"\n    former_ids: ["2.1"]\n', 1), "outcome 2.2: former id '2.1' is already used by another outcome"),
    # an output whose former id is another output's former id
    (lambda t: t.replace('    - id: "2.2.2"\n', '    - id: "2.2.2"\n      former_ids: ["2.3.3"]\n', 1),
     "former id '2.3.3' is already used by another output"),
    # a former output id that is not an output id
    (lambda t: t.replace('former_ids: ["2.3.3"]', 'former_ids: ["2.3"]'), "'2.3' is not a valid value"),
])
def test_a_former_id_clash_is_an_error_naming_the_line(tmp_path, edit, expected):
    errors = _errors(tmp_path, edit)
    assert any(expected in e for e in errors), errors
    assert all(re.match(r".*sip\.yaml:\d+:\d+: output 2\.2\.[23]|.*sip\.yaml:\d+:\d+: outcome 2\.2", e) for e in errors), errors


def test_former_output_and_outcome_anchors_stay_on_the_page(tmp_path):
    """A renumbered outcome's and output's old anchors are on the pillar page with a note, in both languages."""
    import os
    import subprocess
    import sys

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    text = (data / "sip.yaml").read_text(encoding="utf-8")
    (data / "sip.yaml").write_text(text.replace('  - id: "2.2"\n', '  - id: "2.2"\n    former_ids: ["2.9"]\n', 1),
                                   encoding="utf-8")
    site = tmp_path / "site"
    env = dict(os.environ, SIP_DATA=str(data / "sip.yaml"), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    from bs4 import BeautifulSoup
    for prefix, output_note, outcome_note in (("", "Ce produit portait auparavant le numéro 2.3.3.",
                                               "Cette réalisation portait auparavant le numéro 2.9."),
                                              ("en/", "This output was previously numbered 2.3.3.",
                                               "This outcome was previously numbered 2.9.")):
        soup = BeautifulSoup((site / prefix / "pillars" / "2.html").read_text(encoding="utf-8"), "html.parser")
        for anchor, new_anchor, note in (("output-2.3.3", "output-2.2.3", output_note),
                                         ("outcome-2.9", "outcome-2.2", outcome_note)):
            former = soup.find(id=anchor)
            assert former is not None and "sip-former-anchor" in former["class"]
            heading = former.find_next(["h2", "h3"])
            assert heading["id"] == new_anchor
            assert soup.find(string=lambda s: s and note in s), note


def test_every_published_permalink_of_2023_11_resolves_in_the_draft(revision_site):
    """The draft keeps every anchor of the manifest: renumbered ones through former_ids, the retired one on its note."""
    import json
    import sys
    sys.path.insert(0, str(ROOT / "scripts"))
    from permalinks import unresolved

    manifest = json.loads((ROOT / "tests" / "permalinks" / "2023-11.json").read_text(encoding="utf-8"))
    assert "pillars/2.html#output-2.3.3" in manifest["urls"]
    assert unresolved(manifest, revision_site) == []
