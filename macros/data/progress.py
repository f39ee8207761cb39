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
    by_owner: tuple[tuple[Owner, tuple[Change, ...]], ...]  # each owner's reports: the updates it sent
    # Owners asked to report (those with activities: each gets a workbook), split by whether they sent one.
    sent: tuple[Owner, ...] = ()
    not_sent: tuple[Owner, ...] = ()

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
    # Reported by, not owned by: a co-owner that sent nothing is not credited with its partner's report.
    by_owner = tuple((o, tuple(c for c in changes if c.update.reported_by.id == o.id)) for o in plan.owners)
    sent, not_sent = reporting(plan, period.id)
    return PeriodReport(period, previous, changes, tuple(g for g in by_pillar if g[1]), tuple(g for g in by_owner if g[1]),
                        sent, not_sent)


def reporting(plan: Plan, period_id: str) -> tuple[tuple[Owner, ...], tuple[Owner, ...]]:
    """(owners who reported for `period_id`, owners with activities who have not), in the plan's order of owners.

    An owner is asked when it owns an activity (the report kit makes it a workbook); one that reported without
    owning anything still counts as having sent its report.
    """
    senders = {u.reported_by.id for a in plan.activities for u in a.updates if u.period == period_id}
    asked = {owner_id for a in plan.activities for owner_id in a.owner_ids}
    sent = tuple(o for o in plan.owners if o.id in senders)
    return sent, tuple(o for o in plan.owners if o.id in asked and o.id not in senders)


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
