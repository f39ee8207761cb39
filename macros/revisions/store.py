"""Where the revisions live: the current data file, and the frozen ones in `revisions/` beside it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..data.load import data_path, load_plan
from ..data.model import Plan

FOLDER = "revisions"


@dataclass(frozen=True)
class FrozenRevision:
    version: str
    path: Path


def revisions_folder(current: Path | None = None) -> Path:
    """`revisions/` beside the current data file (data/revisions/ for data/sip.yaml)."""
    return (current or data_path()).parent / FOLDER


def frozen_revisions(current: Path | None = None) -> list[FrozenRevision]:
    """The frozen revisions, oldest first: one `<version>.yaml` each (versions sort as they were published)."""
    folder = revisions_folder(current)
    if not folder.is_dir():
        return []
    return [FrozenRevision(p.stem, p) for p in sorted(folder.glob("*.yaml")) if not p.name.startswith(("_", "."))]


def load_revision(revision: FrozenRevision) -> Plan:
    """A frozen revision's Plan, validated like the current one (DataError names its file)."""
    return load_plan(revision.path)
