"""The plan generator: the plan file for N activities, validated by the project's loader."""
from __future__ import annotations

import contextlib
from pathlib import Path

from .common import REAL_PLAN, BenchError

import macros.data.yamlnodes  # noqa: E402
import synthetic_plan  # noqa: E402
from macros.data.load import validate  # noqa: E402
from macros.data.model import Plan  # noqa: E402

@contextlib.contextmanager
def lifted_limits(on: bool = True):
    """The validator's file-size and value-count guards lifted for the duration (this process only)."""
    y = macros.data.yamlnodes
    saved = y.MAX_BYTES, y.MAX_NODES, y.MAX_SEPARATORS
    if on:
        y.MAX_BYTES = y.MAX_NODES = y.MAX_SEPARATORS = 1 << 40
    try:
        yield
    finally:
        y.MAX_BYTES, y.MAX_NODES, y.MAX_SEPARATORS = saved


def prepare_plan(n: int, work: Path) -> tuple[Path, Plan, dict]:
    """The plan file for `n` (the real one for 50), its Plan, and what `make check` says of it."""
    if n == 50:
        path = REAL_PLAN
    else:
        path = work / f"plan-{n}.yaml"
        path.write_text(synthetic_plan.dump(synthetic_plan.synthetic_plan(n)), encoding="utf-8")
    plan, problems = validate(path)
    check = {"file_mb": round(path.stat().st_size / 1e6, 2), "passes_check": plan is not None,
             "refused_by": [p.format() for p in problems if p.severity == "error"][:3]}
    if plan is None:
        # Only the size guards may refuse a generated plan: anything else is a generator bug.
        with lifted_limits():
            plan, problems = validate(path)
        if plan is None:
            raise BenchError(f"the plan for N={n} is invalid:\n" + "\n".join(p.format() for p in problems[:20]))
    if len(plan.activities) != n:
        raise BenchError(f"the plan for N={n} holds {len(plan.activities)} activities")
    check["lifted_limits"] = not check["passes_check"]
    return path, plan, check
