"""Published links never break: committed manifests resolve, renumbering and retiring keep old anchors."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from permalinks import collect, unresolved  # noqa: E402

MANIFESTS = sorted((ROOT / "tests" / "permalinks").glob("*.json"))
SITE = ROOT / "site"


def build_variant(tmp_path: Path, edit) -> Path:
    """Build the site from a copy of the real data changed by `edit(text) -> text`; returns the site dir."""
    data = tmp_path / "sip.yaml"
    data.write_text(edit((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    site = tmp_path / "site"
    env = dict(os.environ, SIP_DATA=str(data), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def renumber(text: str) -> str:
    """Activity 1.1.1.2 becomes 1.1.1.9 and records its published number."""
    return text.replace('- id: "1.1.1.2"\n', '- id: "1.1.1.9"\n        former_ids: ["1.1.1.2"]\n', 1)


def remove_activity(text: str) -> str:
    """Drop activity 1.1.1.2 (its whole block) from the plan."""
    return re.sub(r'      - id: "1\.1\.1\.2"\n(?:        .*\n)+', "", text, count=1)


def retire(text: str) -> str:
    return remove_activity(text) + ('retired:\n- id: "1.1.1.2"\n  pillar: "1"\n  note:\n'
                                    '    fr: Fusionnée avec 1.1.1.3.\n    en: Merged into 1.1.1.3.\n')


def manifest() -> dict:
    return json.loads(MANIFESTS[-1].read_text(encoding="utf-8"))


def test_a_release_manifest_is_committed():
    assert MANIFESTS, "commit the manifest of the current release as tests/permalinks/<version>.json"
    urls = manifest()["urls"]
    assert "pillars/1.html#a-1.1.1.2" in urls and "en/pillars/1.html#a-1.1.1.2" in urls
    assert sum(u.split("#")[-1].startswith("a-") for u in urls) == 2 * 50


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_every_committed_permalink_resolves_in_the_new_build(path):
    assert SITE.is_dir(), "build the site first (make build)"
    assert unresolved(json.loads(path.read_text(encoding="utf-8")), SITE) == []


def test_the_build_writes_a_manifest_of_its_own_permalinks():
    written = json.loads((SITE / "permalinks.json").read_text(encoding="utf-8"))
    assert written["urls"] == collect(SITE)
    assert {"index.html", "en/index.html", "pillars/2.html#output-2.3.3", "en/pillars/4.html#a-4.2.3.1"} <= set(written["urls"])


def test_a_renumbered_activity_keeps_its_old_link_with_a_note(tmp_path):
    site = build_variant(tmp_path, renumber)
    assert unresolved(manifest(), site) == []
    for page, note in (("pillars/1.html", "portait auparavant le numéro 1.1.1.2"), ("en/pillars/1.html", "previously numbered 1.1.1.2")):
        html = (site / page).read_text(encoding="utf-8")
        old, new = html.index('id="a-1.1.1.2"'), html.index('id="a-1.1.1.9"')
        # The old anchor sits right above the renumbered activity, whose body says it was renumbered.
        assert 0 < new - old < 300
        assert note in html[new:new + 3000]


def test_removing_an_activity_without_an_entry_breaks_published_links(tmp_path):
    site = build_variant(tmp_path, remove_activity)
    assert set(unresolved(manifest(), site)) == {"pillars/1.html#a-1.1.1.2", "en/pillars/1.html#a-1.1.1.2"}


def test_a_retired_activity_keeps_its_anchor_on_a_note(tmp_path):
    site = build_variant(tmp_path, retire)
    assert unresolved(manifest(), site) == []
    html = (site / "en" / "pillars" / "1.html").read_text(encoding="utf-8")
    at = html.index('id="a-1.1.1.2"')
    assert "Activity 1.1.1.2 has been retired from the plan." in html[at:at + 500]
    assert "Merged into 1.1.1.3." in html[at:at + 500]
