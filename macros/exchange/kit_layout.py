"""The report workbook's layout, shared by the kit that writes it and the import that reads it back."""
from __future__ import annotations

import calendar
import datetime
import hashlib
import json
import re

from ..data.model import Activity, Plan, Status
from ..data.updates_check import period_start
from ..labels import labels

UPDATES, INSTRUCTIONS, LISTS, IDENTITY = "updates", "instructions", "lists", "kit"
# Columns A..G of the updates sheet, in order; the first three are locked.
COLUMNS = ("id", "text", "last_status", "status", "date", "note_fr", "note_en")
LOCKED = 3
FORMAT = "sip-report-kit/1"
# The identity sheet: key/value lines, then one line per activity as the kit wrote it (id, text, status).
IDENTITY_KEYS = ("format", "owner", "period", "data_version", "generated", "fingerprint")
FIRST_ACTIVITY_ROW = len(IDENTITY_KEYS) + 2
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")


def column(name: str) -> str:
    """The column letter of `name`: 'status' -> 'D'."""
    return "ABCDEFG"[COLUMNS.index(name)]


def bilingual(key: str, **values) -> str:
    """An interface label in French, then English: 'Nouveau statut / New status'."""
    return " / ".join(labels(lang)[key].format(**values) for lang in ("fr", "en"))


def period_end(period: str) -> datetime.date:
    """'2025-Q1' -> 2025-03-31, the last day of the quarter."""
    start = period_start(period)
    return datetime.date(start.year, start.month + 2, calendar.monthrange(start.year, start.month + 2)[1])


def owned_activities(plan: Plan, owner_id: str) -> list[Activity]:
    """The activities `owner_id` reports on, shared ones included, in the plan's order."""
    return [a for a in plan.activities if owner_id in a.owner_ids]


def activity_text(activity: Activity) -> str:
    """Column B: the French text, then the English one; footnote markers mean nothing in a spreadsheet."""
    return "\n\n".join(_FOOTNOTE_REF.sub("", activity.text(lang)).strip() for lang in ("fr", "en"))


def status_text(status: Status) -> str:
    return f"{status.label.fr} / {status.label.en}"


def status_before(activity: Activity, period: str) -> Status:
    """Column C: the status reported for the latest period before `period`; the plan's baseline if none."""
    earlier = [u for u in activity.updates if u.period < period]
    return earlier[-1].status if earlier else activity.status


def status_choices(plan: Plan) -> list[str]:
    """The drop-down of column D: every status label, French ones first, each once."""
    return list(dict.fromkeys([s.label.fr for s in plan.statuses] + [s.label.en for s in plan.statuses]))


def fingerprint(owner: str, period: str, rows: list[tuple[str, str, str]]) -> str:
    """A checksum of what the kit wrote: a workbook whose identity was edited no longer matches it."""
    payload = json.dumps([FORMAT, owner, period, [list(r) for r in rows]], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
