"""A failed build never replaces or half-writes the published site/ and dist/."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_FOLDER  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
pytestmark = PROJECT_FOLDER  # builds in the project folder itself


def snapshot() -> dict[str, int]:
    """Modification times of every file in site/ and dist/."""
    return {str(p.relative_to(ROOT)): p.stat().st_mtime_ns for folder in ("site", "dist")
            for p in (ROOT / folder).rglob("*") if p.is_file()}


def run_build(data: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SIP_DATA=str(data), NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "scripts/build.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


BROKEN = {
    # Caught by the validator, before anything is built.
    "unknown owner": lambda text: text.replace("- partnerships-wg\n", "- partnerships-wgg\n", 1),
    # Valid data that builds, but would break a published link: caught after the scratch build.
    "removed activity": lambda text: text.replace('- id: "1.1.1.2"\n', '- id: "1.1.1.8"\n', 1),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path, case):
    assert (ROOT / "site" / "index.html").is_file(), "build the site first (make build)"
    before = snapshot()
    data = tmp_path / "sip.yaml"
    data.write_text(BROKEN[case]((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    result = run_build(data)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "left as they were" in result.stderr
    assert snapshot() == before
    assert not list((ROOT / ".cache").glob("sip-build-*")), "scratch folders must be cleaned up"
