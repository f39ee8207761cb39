"""The page macros that need the revisions: the changes pages, and the pillar pages' "new"/"reworded" marks."""
from __future__ import annotations

from ..data.model import Plan
from ..data.problems import DataError
from ..views import changes as changes_view, pillars
from ..views.render import Page
from .changes_json import SCHEMA_NAME, json_name
from .history import changes_for, current_changes


def _checked(compute):
    """A frozen revision with errors stops the build with its file's problems, as the current one does."""
    try:
        return compute()
    except DataError as exc:
        from mkdocs.exceptions import PluginError
        raise PluginError("\n" + exc.report()) from None


def render_changes(plan: Plan, page: Page, version: str) -> str:
    changes = _checked(lambda: changes_for(plan, version))
    current = _checked(lambda: current_changes(plan))
    # A frozen revision's elements are on its own pages (revisions/<v>/...), the current one's at the root.
    base = "" if current is not None and current.new_version == version else f"revisions/{version}/"
    return changes_view.render_changes(plan, page, changes, json_name(version), SCHEMA_NAME, base)


def marks(plan: Plan) -> dict[str, tuple[str, str, str]]:
    """Activity id -> (mark, changes page, line anchor) for the activities new or reworded in the current revision."""
    changes = _checked(lambda: current_changes(plan))
    if changes is None:
        return {}
    page = f"changes/{changes.new_version}.md"
    found: dict[str, tuple[str, str, str]] = {}
    for section, mark in (("added", "new"), ("reworded", "reworded")):
        for item in getattr(changes, section):
            if item.ref.kind == "activity" and item.ref.id not in found and getattr(item, "field", "text") == "text":
                found[item.ref.id] = (mark, page, changes_view.line_anchor(section, item))
    return found


def render_pillar(plan: Plan, page: Page, pillar_id: str) -> str:
    """A pillar page of the current revision, its new and reworded activities marked."""
    current = _checked(lambda: current_changes(plan))
    return pillars.render_pillar(plan, page, pillar_id, marks=marks(plan),
                                 marks_version=current.new_version if current else "")
