"""Where each plan anchor of a frozen revision is in the current one, as the script its banner reads."""
from __future__ import annotations

import json
from pathlib import Path

from ..data.model import Plan
from .anchors import landings

MAP_NAME = "current.js"


def revision_map(frozen_anchors: list[str], current: Plan, pages: list[str]) -> dict:
    """{"anchors": {old anchor: "page#anchor" in `current`}, "pages": the current pages (language-neutral)}.

    `frozen_anchors`: the frozen revision's plan anchors (`landings(frozen plan)`, its own former numbers too)."""
    now = landings(current)
    anchors = {}
    for old in frozen_anchors:
        landing = now.get(old)
        if landing is not None:
            anchors[old] = f"{landing.page}#{landing.anchor}"
    return {"anchors": anchors, "pages": sorted(pages)}


def write_map(folder: Path, frozen_anchors: list[str], current: Plan, pages: list[str]) -> Path:
    """`folder`/current.js, loaded by every page of the frozen revision (online and offline: a script, not JSON)."""
    path = folder / MAP_NAME
    path.unlink(missing_ok=True)  # never write through a hard link into the cache
    data = json.dumps(revision_map(frozen_anchors, current, pages), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(f"window.sipRevisionMap = {data};\n", encoding="utf-8")
    return path
