"""Where the revisions live: the current data file, and the frozen ones in `revisions/` beside it."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..data.load import ROOT, data_path, load_plan
from ..data.model import Plan

FOLDER = "revisions"
INDEX = "index.yaml"  # the fingerprints of the frozen revisions (macros/revisions/index.py), not a revision
# The permalink manifests of published revisions, one `<version>.json` each: the build keeps their links working.
MANIFESTS = ROOT / "tests" / "permalinks"
# Set when a frozen revision's pages are built under revisions/<version>/ (overrides/hooks/revision_prefix.py).
FROZEN_BUILD_VAR = "SIP_REVISION_PREFIX"


@dataclass(frozen=True)
class FrozenRevision:
    version: str
    path: Path


def revisions_folder(current: Path | None = None) -> Path:
    """`revisions/` beside the current data file (data/revisions/ for data/sip.yaml)."""
    return (current or data_path()).parent / FOLDER


def index_path(current: Path | None = None) -> Path:
    return revisions_folder(current) / INDEX


def frozen_revisions(current: Path | None = None) -> list[FrozenRevision]:
    """The frozen revisions, oldest first: one `<version>.yaml` each (versions sort as they were published)."""
    folder = revisions_folder(current)
    if not folder.is_dir():
        return []
    return [FrozenRevision(p.stem, p) for p in sorted(folder.glob("*.yaml"))
            if not p.name.startswith(("_", ".")) and p.name != INDEX]


def in_frozen_build() -> bool:
    """True while a frozen revision's pages are built: nothing in them invites comments any more."""
    return bool(os.environ.get(FROZEN_BUILD_VAR))


def load_revision(revision: FrozenRevision) -> Plan:
    """A frozen revision's Plan, validated like the current one (DataError names its file)."""
    return load_plan(revision.path)


def fingerprint(path: Path) -> str:
    """The sha256 of a file's bytes, as the index records it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_path(version: str, manifests: Path = MANIFESTS) -> Path:
    """The permalink manifest of a revision: the one the build checks (tests/permalinks/<version>.json)."""
    return manifests / f"{version}.json"
