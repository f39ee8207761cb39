"""Command line: validate a data file and print every problem; exit 1 on any error (`make check`)."""
from __future__ import annotations

import sys
from pathlib import Path

from .. import environment
from ..messages import Msg, say
from .load import data_path, display_name, validate


def main(argv: list[str]) -> int:
    environment.require()
    from ..revisions.check import check_revisions  # the revisions package builds on this one

    paths = [Path(a) for a in argv] or [data_path()]
    failed = False
    for path in paths:
        plan, problems = validate(path)
        if plan is not None:
            # The build's own references (links between pages, glossary, acronym and data-quality anchors),
            # resolved here first: whatever the strict build would refuse, make check refuses, at a line.
            problems = sorted(problems + _references(plan, path), key=lambda p: (p.line, p.column))
            if any(p.severity == "error" for p in problems):
                plan = None
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        if plan is None:
            failed = True
            print(say("check_failed", file=display_name(path), errors=Msg("n_errors", count=errors),
                      warnings=Msg("n_warnings", count=warnings)), file=sys.stderr)
        else:
            print(say("check_ok", file=display_name(path), pillars=Msg("n_pillars", count=len(plan.pillars)),
                      outcomes=Msg("n_outcomes", count=len(plan.outcomes)), outputs=Msg("n_outputs", count=len(plan.outputs)),
                      activities=Msg("n_activities", count=len(plan.activities)), warnings=Msg("n_warnings", count=warnings)))
        failed |= not _frozen_revisions_ok(check_revisions(path.resolve(), plan.meta.version if plan else None))
    return 1 if failed else 0


def _references(plan, path: Path) -> list:
    from ..views import references
    from .yamlnodes import read_document
    from .problems import DataError
    try:
        broken = references.unresolved(plan)
    except DataError:
        return []  # a broken frozen revision stops a view: the revisions check below names it at its line
    if not broken:
        return []
    return references.problems(plan, read_document(path.read_bytes(), display_name(path)))


def _frozen_revisions_ok(report) -> bool:
    """Print the frozen revisions' problems and a summary; False on any error."""
    for problem in report.problems:
        print(problem.format(), file=sys.stderr)
    if report.errors:
        print(say("frozen_failed", count=len(report.errors)), file=sys.stderr)
        return False
    if report.plans:
        hidden = sum(report.warnings.values())
        print(say("frozen_ok_hidden", plans=", ".join(report.plans), count=hidden) if hidden
              else say("frozen_ok", plans=", ".join(report.plans)))
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
