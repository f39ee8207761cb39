"""Every revision of the plan, current first, with the state each one has today and where to read it (the Revisions page)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..data.model import Meta, Plan
from ..exchange.names import stem
from ..data.problems import DataError
from .check import check_revisions
from .store import fingerprint, frozen_revisions, index_path

# Kept across the per-language runs of the macros module: a frozen file is validated once per content.
_FROZEN: dict[tuple, dict[str, tuple[Meta, str]]] = {}


@dataclass(frozen=True)
class Revision:
    """One revision as the Revisions page lists it; `state` is what it is today, which a frozen file cannot say."""

    meta: Meta
    current: bool
    state: str  # draft, approved, superseded or unknown
    predecessor: str | None
    files: str  # the stem of its downloads' names (exchange/names.py), which says the quarter its statuses speak for

    @property
    def version(self) -> str:
        return self.meta.version


def frozen_metas(current: Path) -> dict[str, tuple[Meta, str]]:
    """version -> (Meta, downloads' stem) of each frozen revision, oldest first; DataError if any is tampered with or invalid."""
    files = frozen_revisions(current)
    index = index_path(current)
    key = (str(current), index.read_bytes() if index.exists() else b"",
           tuple((r.path.name, fingerprint(r.path)) for r in files))
    if key not in _FROZEN:
        report = check_revisions(current)
        if report.errors:
            raise DataError(report.errors)
        _FROZEN.clear()
        _FROZEN[key] = {version: (plan.meta, stem(plan)) for version, plan in report.plans.items()}
    return _FROZEN[key]


def revision_history(plan: Plan, current: Path) -> list[Revision]:
    """The current revision, then the frozen ones from the latest. A frozen revision is superseded once a later
    one is approved, or at once if it was never approved (a later draft replaced it); an approved one stays in
    force while its successor is a draft."""
    frozen = [*frozen_metas(current).values(), (plan.meta, stem(plan))]
    metas = [meta for meta, _ in frozen]
    rows = []
    for i, meta in enumerate(metas):
        is_current = i == len(metas) - 1
        later_approved = any(m.state == "approved" or m.approved_on for m in metas[i + 1:])
        if is_current:
            state = meta.state or "unknown"
        elif meta.state == "approved" and not later_approved:
            state = "approved"
        else:
            state = "superseded"
        rows.append(Revision(meta, is_current, state, metas[i - 1].version if i else None, frozen[i][1]))
    return rows[::-1]
