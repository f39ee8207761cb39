"""Command line: validate a data file and print every problem; exit 1 on any error (`make check`)."""
from __future__ import annotations

import sys
from pathlib import Path

from .load import data_path, display_name, validate


def main(argv: list[str]) -> int:
    from ..revisions.check import check_revisions  # the revisions package builds on this one

    paths = [Path(a) for a in argv] or [data_path()]
    failed = False
    for path in paths:
        plan, problems = validate(path)
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        if plan is None:
            failed = True
            print(f"{display_name(path)}: {errors} error(s), {warnings} warning(s): fix the errors above.", file=sys.stderr)
        else:
            print(f"{display_name(path)}: OK: {len(plan.pillars)} pillars, {len(plan.outcomes)} outcomes, "
                  f"{len(plan.outputs)} outputs, {len(plan.activities)} activities; {warnings} warning(s).")
        failed |= not _frozen_revisions_ok(check_revisions(path.resolve(), plan.meta.version if plan else None))
    return 1 if failed else 0


def _frozen_revisions_ok(report) -> bool:
    """Print the frozen revisions' problems and a summary; False on any error."""
    for problem in report.problems:
        print(problem.format(), file=sys.stderr)
    if report.errors:
        print(f"frozen revisions: {len(report.errors)} error(s): a frozen revision is never edited (README, "
              "'Revisions').", file=sys.stderr)
        return False
    if report.plans:
        hidden = sum(report.warnings.values())
        print(f"frozen revisions: OK: {', '.join(report.plans)}"
              + (f" ({hidden} warning(s) of their frozen text not shown)" if hidden else "") + ".")
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
