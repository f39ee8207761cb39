"""`once_per_plan`: a function of the plan (and hashable arguments) worked out once per plan object."""
from __future__ import annotations

import functools


def once_per_plan(make):
    """`make(plan, *args)` computed once per plan object and arguments, for the pages and steps that all need it.

    Keyed by the plan's identity, and the plan is kept beside the value, so a later plan (a live preview's next
    save) that happens to get the same id is never served an older plan's result."""
    made: dict[tuple, tuple[object, object]] = {}

    @functools.wraps(make)
    def wrapper(plan, *args):
        key = (id(plan), *args)
        entry = made.get(key)
        if entry is None or entry[0] is not plan:
            if len(made) > 8:
                made.clear()  # older plans (a live preview's earlier saves)
            entry = made[key] = (plan, make(plan, *args))
        return entry[1]
    return wrapper
