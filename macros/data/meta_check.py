"""Checks on the revision's state the schema cannot express: an approval has a date and a body, dates are real."""
from __future__ import annotations

import datetime

from ..messages import Msg
from .updates_check import _DATE, today
from .yamlnodes import Document

_APPROVAL = ("approved_on", "approved_by")


def check_meta(doc: Document) -> None:
    meta = doc.data.get("meta") if isinstance(doc.data, dict) else None
    if not isinstance(meta, dict):
        return
    state = meta.get("state")
    if state == "approved":
        for key in _APPROVAL:
            if key not in meta:
                doc.problem(("meta", "state"), "meta.state", Msg("meta_approved_needs", key=key),
                            Msg("meta_approved_needs_hint"))
    elif state == "draft":
        for key in _APPROVAL:
            if key in meta:
                doc.problem(("meta", key), f"meta.{key}", Msg("meta_draft_has", key=key),
                            Msg("meta_draft_has_hint"))
    elif state is None and any(key in meta for key in _APPROVAL):
        doc.problem(("meta", next(k for k in _APPROVAL if k in meta)), "meta.state",
                    Msg("meta_state_missing"), Msg("meta_state_missing_hint"))
    approved = _real_date(doc, ("meta", "approved_on"), meta.get("approved_on"))
    if approved is not None and approved > today():
        doc.problem(("meta", "approved_on"), "meta.approved_on", Msg("meta_approval_future", date=approved.isoformat(),
                                                                today=today().isoformat()), Msg("meta_approval_future_hint"))
    consultation = meta.get("consultation")
    if isinstance(consultation, dict):
        _real_date(doc, ("meta", "consultation", "deadline"), consultation.get("deadline"))


def _real_date(doc: Document, path: tuple, value: object) -> datetime.date | None:
    """The date at `path`, or None; a date the schema's pattern accepts but the calendar has not (02-30) is refused."""
    if not isinstance(value, str) or not _DATE.match(value):  # the schema reports anything not shaped like a date
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        doc.problem(path, ".".join(path), Msg("meta_not_a_date", value=value), Msg("not_a_calendar_date_hint"))
        return None
