"""Where a build's seconds went: the pipeline's steps and each MkDocs process's phases, in .cache/build-timeline.json."""
from __future__ import annotations

import json
import time
from pathlib import Path

FOLDER_VAR = "SIP_TIMELINE"


class Timeline:
    """Steps marked as they end, in seconds since the pipeline started; MkDocs processes add their own phases
    (overrides/hooks/timeline.py) as files in `folder`, named by their process id."""

    def __init__(self, folder: Path):
        self.folder, self.start, self.steps, self.processes = folder, time.time(), [], {}

    def env(self) -> dict[str, str]:
        """What a MkDocs process needs to record its phases."""
        return {FOLDER_VAR: str(self.folder)}

    def started(self, pid: int, variant: str, at: float) -> None:
        """The MkDocs process `pid`, building `variant` ("online fr", "offline"), was started at `at`."""
        self.processes[pid] = (variant, at)

    def mark(self, step: str) -> None:
        self.steps.append({"step": step, "at_s": round(time.time() - self.start, 3)})

    def write(self, path: Path) -> None:
        processes = [self._phases(int(file.stem), json.loads(file.read_text(encoding="utf-8")))
                     for file in sorted(self.folder.glob("*.json"))]
        record = {"steps": self.steps, "mkdocs": sorted(processes, key=lambda p: p["variant"])}
        path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")

    def _phases(self, pid: int, raw: dict) -> dict:
        """One MkDocs process: from its start, the seconds of each phase (page phases summed over pages and
        languages); imports, config and the data's loading come before its first build."""
        variant, t0 = self.processes.get(pid, ("", self.start))
        phases = {name: round(value, 3) for name, value in raw.items() if name.endswith("_s")}
        return {"variant": variant, "pages": raw["pages"], "started_at_s": round(t0 - self.start, 3),
                "imports_config_data_s": round(raw.get("first_build_at", t0) - t0, 3), **phases,
                "done_at_s": round(raw.get("done_at", t0) - self.start, 3)}
