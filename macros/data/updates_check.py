"""Checks on progress updates: known, well-ordered periods that have started, dates not in the future."""
from __future__ import annotations

import datetime
import difflib
import os
import re

from ..messages import Msg
from .yamlnodes import Document, describe

_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])\Z")
_DATE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\Z")  # as in the schema, which reports the rest


def today() -> datetime.date:
    """The build date; SIP_TODAY=YYYY-MM-DD fixes it (tests, rebuilding an old release)."""
    fixed = os.environ.get("SIP_TODAY")
    return datetime.date.fromisoformat(fixed) if fixed else datetime.date.today()


def period_start(period: str) -> datetime.date:
    """'2024-Q3' -> 2024-07-01; ValueError for anything else than a quarter like '2024-Q3'."""
    quarter = _QUARTER.match(period)
    if not quarter or int(quarter.group(1)) < 1:
        raise ValueError(f"not a quarter: {period!r}")
    return datetime.date(int(quarter.group(1)), 3 * int(quarter.group(2)) - 2, 1)


def _start(period: object) -> datetime.date | None:
    """The first day of `period`, or None when it is not a quarter (the schema check reports that)."""
    try:
        return period_start(period) if isinstance(period, str) else None
    except ValueError:
        return None


def _date(value: object) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) and _DATE.match(value) else None
    except ValueError:
        return None


def check_updates(doc: Document) -> None:
    data = doc.data if isinstance(doc.data, dict) else {}
    now = today()
    declared: dict[str, tuple] = {}
    for i, period in enumerate(_children(data, "periods")):
        ident = period.get("id") if isinstance(period, dict) else None
        start = _start(ident)
        path = ("periods", i, "id")
        if start is None:
            _year_zero(doc, path, f"period {ident}", ident)
            continue
        if ident in declared:
            doc.problem(path, f"period {ident}", Msg("duplicate_period", period=ident, line=doc.mark(declared[ident])[0]),
                        Msg("duplicate_period_hint"))
            continue
        declared[ident] = path
        if start > now:
            doc.problem(path, f"period {ident}", Msg("period_not_started", start=start.isoformat(), today=now.isoformat()),
                        Msg("period_not_started_hint"))
    for a_path, activity in _activities(data):
        _check_activity_updates(doc, a_path, activity, declared, now)


def _check_activity_updates(doc: Document, a_path: tuple, activity: dict, declared: dict, now: datetime.date) -> None:
    """One update per declared period, listed from the oldest period; each dated within its period, not later than today."""
    seen: dict[str, tuple] = {}
    latest: tuple[str, tuple] | None = None  # the latest period listed so far, and where
    for i, update in enumerate(_children(activity, "updates")):
        if not isinstance(update, dict):
            continue
        u_path = a_path + ("updates", i)
        where = describe(u_path, doc.data, doc.sources)
        period, written = update.get("period"), update.get("date")
        start, date = _start(period), _date(written)
        if start is None:
            _year_zero(doc, u_path + ("period",), where, period)
        else:
            if period not in declared:
                close = difflib.get_close_matches(period, sorted(declared), n=1)
                doc.problem(u_path + ("period",), where, Msg("period_undeclared", period=period),
                            Msg("did_you_mean", value=close[0]) if close else Msg("period_declare_hint", period=period))
            if period in seen:
                doc.problem(u_path + ("period",), where, Msg("update_second", period=period, line=doc.mark(seen[period])[0]),
                            Msg("update_second_hint"))
            elif latest is not None and period < latest[0]:
                doc.problem(u_path + ("period",), where, Msg("update_order", period=period, latest=latest[0],
                                                                 line=doc.mark(latest[1])[0]), Msg("update_order_hint"))
            seen.setdefault(period, u_path + ("period",))
            if latest is None or period > latest[0]:
                latest = (period, u_path + ("period",))
        _pending_translation(doc, u_path, where, update.get("note"), activity.get("id"), period)
        if isinstance(written, str) and _DATE.match(written) and date is None:
            doc.problem(u_path + ("date",), where, Msg("not_a_calendar_date", date=written), Msg("not_a_calendar_date_hint"))
        if date is None:
            continue
        if date > now:
            doc.problem(u_path + ("date",), where, Msg("update_future", date=written, today=now.isoformat()),
                        Msg("update_future_hint"))
        elif start is not None and period in declared and date < start:
            doc.problem(u_path + ("date",), where, Msg("update_before_period", period=period, date=written,
                                                        start=start.isoformat()), Msg("update_before_period_hint"))


def _pending_translation(doc: Document, path: tuple, where: str, note: object, activity_id: object, period: object) -> None:
    """A note written in one language is published as written, and listed until someone translates it."""
    if not isinstance(note, dict) or len(note) != 1 or set(note) - {"fr", "en"}:
        return
    written = next(iter(note))
    missing = "en" if written == "fr" else "fr"
    doc.problem(path + ("note", written), where, Msg("note_one_language", written=Msg(f"language_{written}"),
                                                     missing=Msg(f"language_{missing}")),
                Msg("note_one_language_hint", code=missing), severity="warning",
                code="translation_pending", id=activity_id, period=period, written=written, missing=missing)


def _year_zero(doc: Document, path: tuple, where: str, period: object) -> None:
    """The schema's pattern lets '0000-Q3' through; anything else that is not a quarter, it reports."""
    if isinstance(period, str) and _QUARTER.match(period):
        doc.problem(path, where, Msg("quarter_year_zero", period=period), Msg("quarter_year_zero_hint"))


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
