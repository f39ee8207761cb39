"""Checks on progress updates: known, well-ordered periods that have started, dates not in the future."""
from __future__ import annotations

import datetime
import difflib
import os

from .yamlnodes import Document


def today() -> datetime.date:
    """The build date; SIP_TODAY=YYYY-MM-DD fixes it (tests, rebuilding an old release)."""
    fixed = os.environ.get("SIP_TODAY")
    return datetime.date.fromisoformat(fixed) if fixed else datetime.date.today()


def period_start(period: str) -> datetime.date:
    year, quarter = period.split("-Q")
    return datetime.date(int(year), 3 * int(quarter) - 2, 1)


def check_updates(doc: Document) -> None:
    data = doc.data if isinstance(doc.data, dict) else {}
    now = today()
    declared: dict[str, tuple] = {}
    for i, period in enumerate(data.get("periods") or []):
        ident = period.get("id") if isinstance(period, dict) else None
        if not isinstance(ident, str) or "-Q" not in ident:
            continue
        path = ("periods", i, "id")
        if ident in declared:
            doc.problem(path, f"period {ident}", f"duplicate period '{ident}' (first at line {doc.mark(declared[ident])[0]})",
                        "list each period once")
        declared[ident] = path
        if period_start(ident) > now:
            doc.problem(path, f"period {ident}", f"period {ident} has not started yet (build date {now.isoformat()})",
                        "add a period once its quarter has begun")
    for a_path, activity in _activities(data):
        where = f"activity {activity.get('id')}"
        previous: tuple[str, str] | None = None
        for i, update in enumerate(activity.get("updates") or []):
            if not isinstance(update, dict):
                continue
            u_path = a_path + ("updates", i)
            period, date = update.get("period"), update.get("date")
            if isinstance(period, str) and "-Q" in period and period not in declared:
                close = difflib.get_close_matches(period, sorted(declared), n=1)
                doc.problem(u_path + ("period",), where, f"period '{period}' is not in the periods list",
                            f"did you mean '{close[0]}'?" if close else f"add '- id: \"{period}\"' under periods")
            if not (isinstance(period, str) and isinstance(date, str) and "-Q" in period and len(date) == 10):
                continue
            if date > now.isoformat():
                doc.problem(u_path + ("date",), where, f"update dated {date} is in the future (build date {now.isoformat()})",
                            "date an update on the day it was reported")
            elif date < period_start(period).isoformat():
                doc.problem(u_path + ("date",), where, f"update for {period} is dated {date}, before the period starts",
                            "check the period or the date")
            if previous is not None and (period, date) <= previous:
                same = period == previous[0]
                doc.problem(u_path + ("period",), where,
                            f"a second update for {period}" if same else f"update for {period} ({date}) comes after one for {previous[0]} ({previous[1]})",
                            "one update per period, listed from oldest to newest")
            previous = (period, date)


def _activities(data: dict):
    """(path, activity) for every well-formed activity, skipping anything malformed."""
    for p, pillar in enumerate(_children(data, "pillars")):
        for o, outcome in enumerate(_children(pillar, "outcomes")):
            for q, output in enumerate(_children(outcome, "outputs")):
                for a, activity in enumerate(_children(output, "activities")):
                    if isinstance(activity, dict):
                        yield ("pillars", p, "outcomes", o, "outputs", q, "activities", a), activity


def _children(node: object, key: str) -> list:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, list) else []
