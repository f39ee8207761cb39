"""The size guards let a multi-country plan of 5,000 activities through and still refuse files that are mistakes."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from macros.data.load import validate  # noqa: E402
from macros.data.yamlnodes import MAX_NODES  # noqa: E402

BASE = ROOT / "tests" / "fixtures" / "bad" / "base.yaml"


def test_a_plan_of_5000_activities_passes_the_check(tmp_path):
    import synthetic_plan
    path = tmp_path / "plan-5000.yaml"
    path.write_text(synthetic_plan.dump(synthetic_plan.synthetic_plan(5000)), encoding="utf-8")
    plan, problems = validate(path)
    assert plan is not None, [p.format() for p in problems if p.severity == "error"][:5]
    assert len(plan.activities) == 5000


# Each is a few MB, under the byte limit, and holds far more values than any plan: refused from three counts,
# before the YAML is parsed.
MANY_VALUES = {
    "block sequence": lambda n: "lots:\n" + "- x\n" * n,
    "flow sequence": lambda n: "lots: [" + "x," * n + "x]\n",
    "flow mapping": lambda n: "lots: {" + ", ".join(f"k{i}: v" for i in range(n // 2 + 1)) + "}\n",
    "block mappings": lambda n: "lots:\n" + "".join(f"- {{a: {i}, b: {i}}}\n" for i in range(n // 4 + 1)),
}


@pytest.mark.parametrize("shape", MANY_VALUES)
def test_a_file_with_too_many_values_is_refused_before_parsing(tmp_path, shape):
    path = tmp_path / "many.yaml"
    path.write_text(BASE.read_text(encoding="utf-8") + MANY_VALUES[shape](MAX_NODES + 1000), encoding="utf-8")
    start = time.perf_counter()
    plan, problems = validate(path)
    seconds = time.perf_counter() - start
    assert plan is None and len(problems) == 1
    assert f"could hold more than the {MAX_NODES:,} values allowed" in problems[0].message
    assert seconds < 5, f"{seconds:.1f} s"  # milliseconds when quiet; the bound only catches a parse of every value
