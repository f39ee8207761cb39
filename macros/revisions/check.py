"""`make check` for the frozen revisions: each file matches its fingerprint, is in the index, and validates."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..data.load import ROOT, display_name, load_plan
from ..data.model import Plan
from ..data.problems import DataError, Problem
from ..data.yamlnodes import read_document
from .index import Entry, read_index
from .store import fingerprint, frozen_revisions, index_path

RESTORE = "a frozen revision is never edited: restore it with git checkout -- {name}"


@dataclass
class Report:
    """What the check found: problems (errors and warnings) and the frozen revisions that validate."""

    problems: list[Problem] = field(default_factory=list)
    plans: dict[str, Plan] = field(default_factory=dict)  # version -> its Plan, for each frozen file that validates
    warnings: dict[str, int] = field(default_factory=dict)  # version -> how many warnings its file has (not shown)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check_revisions(current: Path, current_version: str | None = None) -> Report:
    """Every problem of the frozen revisions beside `current`; `current_version` (its meta.version) adds the
    order checks. A frozen file's warnings are counted, not listed: its text can no longer change."""
    report = Report()
    index = index_path(current)
    entries, problems = read_index(index)
    report.problems += problems
    by_version = {e.version: e for e in entries}
    files = {r.version: r.path for r in frozen_revisions(current)}
    index_name = display_name(index)
    for entry in entries:
        if entry.version not in files:
            report.problems.append(Problem(index_name, entry.line, 1, f"revision {entry.version}",
                                           f"no file {display_name(index.parent / (entry.version + '.yaml'))} for this entry",
                                           "restore the frozen file from git; an entry is never removed by hand"))
        if entry.manifest:
            _check_manifest(report, index_name, entry)
    for version, path in files.items():
        name = display_name(path)
        entry = by_version.get(version)
        if entry is None:
            where = f"it is not in {index_name}" if index.exists() else f"{index_name} does not exist"
            report.problems.append(Problem(name, 1, 1, f"frozen revision {version}", f"unknown frozen revision: {where}",
                                           "freeze a revision with make revision-freeze, never by copying it"))
        elif fingerprint(path) != entry.sha256:
            report.problems.append(Problem(name, 1, 1, f"frozen revision {version}",
                                           f"the file changed since it was frozen: its sha256 is not the one recorded "
                                           f"at {index_name}:{entry.line}", RESTORE.format(name=name)))
        _validate_frozen(report, version, path)
    if current_version is not None:
        _check_order(report, current, current_version, sorted(files))
    return report


def _validate_frozen(report: Report, version: str, path: Path) -> None:
    """A frozen file is validated with today's schema and checks (README: schema changes stay additive)."""
    # Through the loader's cache: the changes pages and the banner read the same frozen file in the same build.
    try:
        plan = load_plan(path)
        problems = list(plan.warnings)
    except DataError as exc:
        plan, problems = None, list(exc.problems)
    report.problems += [p for p in problems if p.severity == "error"]
    report.warnings[version] = sum(p.severity == "warning" for p in problems)
    if plan is None:
        return
    if plan.meta.version != version:
        doc = read_document(path.read_bytes(), display_name(path))
        line, column = doc.mark(("meta", "version"))
        report.problems.append(Problem(display_name(path), line, column, f"frozen revision {version}",
                                       f"meta.version is {plan.meta.version!r}, not the file's name {version!r}",
                                       RESTORE.format(name=display_name(path))))
        return
    report.plans[version] = plan


def _check_manifest(report: Report, index_name: str, entry: Entry) -> None:
    path = Path(entry.manifest) if Path(entry.manifest).is_absolute() else ROOT / entry.manifest
    where = f"revision {entry.version}"
    if not path.is_file():
        report.problems.append(Problem(index_name, entry.line, 1, where, f"its permalink manifest {entry.manifest} is missing",
                                       f"restore it from git: git checkout -- {entry.manifest}"))
        return
    if entry.manifest_sha256 and fingerprint(path) != entry.manifest_sha256:
        report.problems.append(Problem(display_name(path), 1, 1, f"permalink manifest of revision {entry.version}",
                                       f"the file changed since the revision was frozen: its sha256 is not the one "
                                       f"recorded at {index_name}:{entry.line}", RESTORE.format(name=display_name(path))))
        return
    try:
        version = json.loads(path.read_text(encoding="utf-8")).get("version")
    except (ValueError, AttributeError):
        version = None
    if version != entry.version:
        report.problems.append(Problem(display_name(path), 1, 1, f"permalink manifest of revision {entry.version}",
                                       f"this is not the manifest of revision {entry.version} (its version is {version!r})",
                                       RESTORE.format(name=display_name(path))))


def _check_order(report: Report, current: Path, current_version: str, frozen: list[str]) -> None:
    name = display_name(current)
    doc = read_document(current.read_bytes(), name)
    line, column = doc.mark(("meta", "version"))
    if current_version in frozen:
        report.problems.append(Problem(name, line, column, "meta.version",
                                       f"revision {current_version} is already frozen",
                                       "set meta.version to the next revision's before editing the plan", "warning"))
    later = [v for v in frozen if v > current_version]
    if later:
        report.problems.append(Problem(name, line, column, "meta.version",
                                       f"the current revision {current_version} is older than the frozen revision {later[-1]}",
                                       "the current revision is the latest: give it a later version"))
