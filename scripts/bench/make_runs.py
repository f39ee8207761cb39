"""The `make build` runner: warm, after an edit, and with frozen revisions beside the plan."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from .build_profile import last_timeline, summarise
from .common import ROOT, BenchError, base_env, median
from .preview import editable_copy

from macros.revisions.freeze import adopt  # noqa: E402 - after .common, which puts the project on the path

def make_build(runs: int, work: Path) -> dict:
    """`make build` of the real plan as a user runs it (setup up to date, site, offline zip, PDFs), warm: one run
    first to fill the caches, then `runs` timed runs with nothing changed (the PDFs are then reused from .cache/pdf),
    then `runs` timed runs each after a word of an activity's text was changed (a copy of the plan, SIP_DATA), so
    that the pages and both PDFs are made again; each replaces site/ and dist/ as any build does. A last, untimed
    build of data/sip.yaml puts the real site back."""
    env = {k: v for k, v in base_env().items() if k not in ("SIP_OFFLINE", "SIP_DATA")}

    def timed(extra: dict) -> float:
        start = time.perf_counter()
        result = subprocess.run(["make", "build"], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchError(f"make build failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        return time.perf_counter() - start

    times = [timed({}) for _ in range(runs + 1)][1:]
    data, edited_plan = editable_copy(work / "make-edit", "make build after an edit")
    edited, timelines = [], []
    try:
        for i in range(runs):
            data.write_text(edited_plan(f" ({i})"), encoding="utf-8")
            edited.append(timed({"SIP_DATA": str(data)}))
            timelines.append(last_timeline())
    finally:
        timed({})
    return {"median_s": round(median(times), 2), "runs_s": [round(t, 2) for t in times],
            "after_edit_median_s": round(median(edited), 2), "after_edit_runs_s": [round(t, 2) for t in edited],
            "after_edit_profile": summarise(timelines, edited),
            "measured": "`make build` of data/sip.yaml, wall time, after one warm-up run; then after a word of "
                        "activity 1.1.1.1 was changed before each run (a copy of the plan)"}


FROZEN_BESIDE = ("2022-06", "2023-05")  # two frozen revisions for the measurement below


def make_build_with_revisions(runs: int, work: Path) -> dict:
    """`make build` after a one-word edit of the current plan, with two frozen revisions beside it (built once,
    then reused from .cache/revisions) against none; runs alternate between the two so that load drifts cancel."""
    env = {k: v for k, v in base_env().items() if k not in ("SIP_OFFLINE", "SIP_DATA")}
    copies = {}
    for name, frozen in (("none", ()), ("two", FROZEN_BESIDE)):
        data, edited_plan = editable_copy(work / f"revisions-{name}", "make build with frozen revisions")
        shutil.rmtree(data.parent / "revisions", ignore_errors=True)  # an earlier run's index would refuse adopt()
        for version in frozen:
            (data.parent / "revisions").mkdir(exist_ok=True)
            (data.parent / "revisions" / f"{version}.yaml").write_text(
                re.sub(r'^  version: "[^"]*"', f'  version: "{version}"', edited_plan(""), count=1, flags=re.M),
                encoding="utf-8")
            adopt(data, version)  # recorded in revisions/index.yaml, as make revision-freeze does: else refused
        copies[name] = (data, edited_plan)
    times: dict[str, list[float]] = {"none": [], "two": []}
    try:
        for i in range(runs + 1):
            for name, (data, edited_plan) in copies.items():
                data.write_text(edited_plan(f" ({i})"), encoding="utf-8")
                start = time.perf_counter()
                result = subprocess.run(["make", "build"], cwd=ROOT, env={**env, "SIP_DATA": str(data)},
                                        capture_output=True, text=True)
                if result.returncode != 0:
                    raise BenchError(f"make build ({name} frozen) failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
                if i:  # the first round builds the frozen revisions into the cache
                    times[name].append(time.perf_counter() - start)
    finally:
        subprocess.run(["make", "build"], cwd=ROOT, env=env, capture_output=True, text=True)
    none, two = median(times["none"]), median(times["two"])
    return {"none_median_s": round(none, 2), "two_median_s": round(two, 2), "ratio": round(two / none, 2),
            "runs_s": {k: [round(t, 2) for t in v] for k, v in times.items()},
            "measured": "`make build` after a one-word edit of activity 1.1.1.1, with two frozen revisions "
                        "(copies of the real plan) beside the data file against none, after one warm-up round"}
