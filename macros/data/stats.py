"""Figures computed from the plan (never typed): status counts, progress, and the owner index."""
from __future__ import annotations

from dataclasses import dataclass

from .memo import once_per_plan
from .model import Activity, Owner, OwnerRole, Pillar, Plan, Status

COMPLETED = "completed"


@dataclass(frozen=True)
class Progress:
    """How many of `total` activities are completed, and how all of them split by status."""

    done: int
    total: int
    by_status: tuple[tuple[Status, int], ...]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(plan: Plan, activities: tuple[Activity, ...] | list[Activity]) -> Progress:
    counts = {s.id: 0 for s in plan.statuses}
    for activity in activities:
        counts[activity.current_status.id] += 1
    by_status = tuple((s, counts[s.id]) for s in plan.statuses)
    return Progress(counts.get(COMPLETED, 0), len(activities), by_status)


def statuses_in_use(plan: Plan) -> tuple[Status, ...]:
    """The statuses that at least one activity has, in vocabulary order."""
    used = {a.current_status.id for a in plan.activities}
    return tuple(s for s in plan.statuses if s.id in used)


@dataclass(frozen=True)
class OwnedActivity:
    activity: Activity
    role: OwnerRole | None          # None for the "owner not recorded" entry
    shared_with: tuple[Owner, ...]  # the activity's other owners


@dataclass(frozen=True)
class OwnerEntry:
    """One body of the owner index (owner None: activities whose owner the plan does not record)."""

    owner: Owner | None
    groups: tuple[tuple[Pillar, tuple[OwnedActivity, ...]], ...]
    progress: Progress

    @property
    def anchor(self) -> str:
        return f"owner-{self.owner.id}" if self.owner else "owner-not-recorded"

    @property
    def activities(self) -> tuple[Activity, ...]:
        return tuple(item.activity for _, items in self.groups for item in items)


@once_per_plan
def owner_index(plan: Plan) -> tuple[OwnerEntry, ...]:
    """Every owner with all its activities grouped by pillar, shared ones included; then the unrecorded ones."""
    entries = []
    for owner in plan.owners:
        entries.append(_entry(plan, owner, lambda a, o=owner: next((r for r in a.owners if r.owner.id == o.id), None)))
    unrecorded = _entry(plan, None, lambda a: OwnerRole(None) if not a.owners else None)  # type: ignore[arg-type]
    if unrecorded.activities:
        entries.append(unrecorded)
    return tuple(entries)


def _entry(plan: Plan, owner: Owner | None, role_of) -> OwnerEntry:
    groups = []
    for pillar in plan.pillars:
        items = []
        for activity in pillar.activities:
            role = role_of(activity)
            if role is not None:
                others = tuple(r.owner for r in activity.owners if owner is None or r.owner.id != owner.id)
                items.append(OwnedActivity(activity, role if owner else None, others))
        if items:
            groups.append((pillar, tuple(items)))
    activities = [item.activity for _, items in groups for item in items]
    return OwnerEntry(owner, tuple(groups), progress(plan, activities))
