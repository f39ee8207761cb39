"""Progress over time, computed from the dated updates: what changed in each period, the trend, histories."""
from __future__ import annotations

from dataclasses import dataclass

from .model import Activity, Owner, Period, Pillar, Plan, Status, Update
from .stats import COMPLETED


@dataclass(frozen=True)
class Change:
    """One activity's report in a period: its status before and after, and the note."""

    activity: Activity
    before: Status
    update: Update

    @property
    def after(self) -> Status:
        return self.update.status

    @property
    def transition(self) -> bool:
        return self.before.id != self.after.id


@dataclass(frozen=True)
class PeriodReport:
    period: Period
    previous: Period | None  # None: the previous state is the plan's baseline
    changes: tuple[Change, ...]
    by_pillar: tuple[tuple[Pillar, tuple[Change, ...]], ...]
    by_owner: tuple[tuple[Owner, tuple[Change, ...]], ...]

    @property
    def transitions(self) -> int:
        return sum(change.transition for change in self.changes)

    @property
    def completed(self) -> int:
        return sum(change.transition and change.after.id == COMPLETED for change in self.changes)


def period_report(plan: Plan, period_id: str) -> PeriodReport:
    """What was reported in `period_id`, compared with the end of the previous period (or the baseline)."""
    periods = list(plan.periods)
    period = plan.period(period_id)
    index = periods.index(period)
    previous = periods[index - 1] if index else None
    changes = tuple(Change(a, a.status_after(previous.id if previous else None), u)
                    for a in plan.activities for u in a.updates if u.period == period.id)
    by_pillar = tuple((p, tuple(c for c in changes if c.activity.pillar_id == p.id)) for p in plan.pillars)
    by_owner = tuple((o, tuple(c for c in changes if o.id in c.activity.owner_ids or c.update.reported_by.id == o.id))
                     for o in plan.owners)
    return PeriodReport(period, previous, changes, tuple(g for g in by_pillar if g[1]), tuple(g for g in by_owner if g[1]))


def completed_trend(plan: Plan) -> tuple[tuple[str | None, int], ...]:
    """Completed activities at the baseline (None) and at the end of each period."""
    points: list[tuple[str | None, int]] = [(None, sum(a.status.id == COMPLETED for a in plan.activities))]
    for period in plan.periods:
        points.append((period.id, sum(a.status_after(period.id).id == COMPLETED for a in plan.activities)))
    return tuple(points)


def latest_period(plan: Plan) -> Period | None:
    """The most recent period in which something was reported."""
    return plan.as_of.period


def owner_activities(plan: Plan, owner: Owner) -> tuple[tuple[Pillar, tuple[Activity, ...]], ...]:
    groups = ((p, tuple(a for a in p.activities if owner.id in a.owner_ids)) for p in plan.pillars)
    return tuple(g for g in groups if g[1])
