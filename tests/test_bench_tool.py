"""The benchmark's quick mode writes results.json shaped like the committed one; its plans pass the loader."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench.plans import prepare_plan  # noqa: E402
from macros.data.load import validate  # noqa: E402

COMMITTED = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))


def shape(value):
    """The keys of every dict, recursively; a list by the shape of its first item; any other value by nothing."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value and isinstance(value[0], (dict, list)) else []
    return None


@pytest.mark.parametrize("n", [120, 400])
def test_generated_plan_passes_validation(tmp_path, n):
    path, plan, check = prepare_plan(n, tmp_path)
    assert path.parent == tmp_path and check["passes_check"] and not check["lifted_limits"]
    loaded, problems = validate(path)
    assert loaded is not None and len(loaded.activities) == n
    assert [p.format() for p in problems if p.severity == "error"] == []


def test_quick_run_writes_the_committed_fields(tmp_path):
    out, work = tmp_path / "out", tmp_path / "work"
    result = subprocess.run([sys.executable, "scripts/bench.py", "--sizes", "60", "--repeat", "1", "--no-profile",
                             "--out", str(out), "--work", str(work)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    written = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert "# Benchmark results" in (out / "RESULTS.md").read_text(encoding="utf-8")
    committed = shape(COMMITTED)
    # A quick run leaves out the real plan's measurements and the profile; what it writes has the committed shape.
    assert set(written) <= set(committed)
    assert {"runs", "command", "date", "commit", "machine", "versions", "load", "duration_min", "targets"} <= set(written)
    for key in set(written) - {"runs", "versions"}:
        assert shape(written[key]) == committed[key], key
    run = next(r for r in COMMITTED["runs"] if r["n"] == 500)
    assert [r["n"] for r in written["runs"]] == [60]
    assert shape(written["runs"][0]) == shape(run)
    # The ratio means something only if the plain baseline builds the very same site.
    same = written["runs"][0]["same_as_baseline"]
    assert same["html_pages"] > 0 and same["identical"] == same["html_pages"], same["differ"]


def test_no_script_module_shares_its_name_with_a_hook():
    # The benchmark puts overrides/hooks/ ahead of scripts/ on sys.path (baseline.py, experiments.py): a hook named
    # like a script module hides it, and `import build` then fails at the page-weight step of a full run.
    scripts = {path.stem for path in (ROOT / "scripts").glob("*.py")}
    hooks = {path.stem for path in (ROOT / "overrides" / "hooks").glob("*.py")}
    assert not scripts & hooks, scripts & hooks
