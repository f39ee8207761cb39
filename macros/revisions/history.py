"""Which revisions have a predecessor, and what changed in each: computed once per build, for every page."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..data.load import data_path
from ..data.model import Plan
from .diff import Changes, diff_plans
from .store import FrozenRevision, frozen_revisions, load_revision

# Kept across the per-language runs of the macros module (this module is imported once): key -> list of Changes.
_MADE: dict[tuple, list[Changes]] = {}
_KEPT: list[Plan] = []


def _steps(current: Plan, path: Path) -> list[tuple[str, FrozenRevision, FrozenRevision | None]]:
    """(version, predecessor, frozen revision or None for the current one), newest first."""
    frozen = frozen_revisions(path)
    steps: list[tuple[str, FrozenRevision, FrozenRevision | None]] = []
    # The current revision has a predecessor unless it is itself frozen already (right after a freeze).
    if frozen and current.meta.version not in {f.version for f in frozen}:
        steps.append((current.meta.version, frozen[-1], None))
    steps += [(frozen[i].version, frozen[i - 1], frozen[i]) for i in range(len(frozen) - 1, 0, -1)]
    return steps


def change_versions(current: Plan, path: Path | None = None) -> list[str]:
    """The versions that have a changes page, newest first (reads no frozen file)."""
    return [version for version, _, _ in _steps(current, Path(path or data_path()))]


def all_changes(current: Plan, path: Path | None = None) -> list[Changes]:
    """What changed in each revision that has a predecessor, newest first; the first is the current revision's
    when it has one. Frozen files are read and compared once per build (and again only if one changes)."""
    path = Path(path or data_path()).resolve()
    frozen = frozen_revisions(path)
    key = (str(path), id(current), tuple((str(f.path), f.path.stat().st_mtime_ns, f.path.stat().st_size) for f in frozen))
    if key not in _MADE:
        plans: dict[str, Plan] = {}

        def plan_of(revision: FrozenRevision | None) -> Plan:
            if revision is None:
                return current
            if revision.version not in plans:
                plans[revision.version] = load_revision(revision)
            return plans[revision.version]

        _MADE.clear()
        # Named as the store lists them (the file name), which is what the pages and downloads are called.
        _MADE[key] = [replace(diff_plans(plan_of(before), plan_of(after)), old_version=before.version,
                              new_version=version) for version, before, after in _steps(current, path)]
        _KEPT[:] = [current]  # so that id(current) is not reused by another plan while the key holds it
    return _MADE[key]


def changes_for(current: Plan, version: str, path: Path | None = None) -> Changes:
    return next(c for c in all_changes(current, path) if c.new_version == version)


def current_changes(current: Plan, path: Path | None = None) -> Changes | None:
    """The changes of the current revision since the newest frozen one, or None when it has no predecessor."""
    changes = all_changes(current, path)
    return changes[0] if changes and changes[0].new_version == current.meta.version else None
