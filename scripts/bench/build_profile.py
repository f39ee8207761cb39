"""Where the seconds of `make build` go: the medians of the timelines that scripts/build.py leaves in .cache/."""
from __future__ import annotations

import json

from .common import ROOT, median

TIMELINE = ROOT / ".cache" / "build-timeline.json"


def last_timeline() -> dict | None:
    """The timeline of the build that just succeeded (scripts/build_timeline.py)."""
    try:
        return json.loads(TIMELINE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def summarise(timelines: list[dict], walls: list[float]) -> dict:
    """Median time at which each pipeline step ended, median seconds of each phase of each MkDocs process, and
    what lies outside the pipeline (make's checks, starting Python, the swap): the wall time minus the last step."""
    timelines = [t for t in timelines if t]
    if not timelines:
        return {}
    steps = [s["step"] for s in timelines[0]["steps"]]
    ends = {step: round(median([next((s["at_s"] for s in t["steps"] if s["step"] == step), 0.0) for t in timelines]), 2)
            for step in steps}
    processes = {}
    for variant in (p["variant"] for p in timelines[0]["mkdocs"]):
        runs = [p for t in timelines for p in t["mkdocs"] if p["variant"] == variant]
        phases = [k for k in runs[0] if k.endswith("_s") and k not in ("started_at_s", "done_at_s")]
        processes[variant] = {k: round(median([r[k] for r in runs]), 2) for k in phases}
        processes[variant]["done_at_s"] = round(median([r["done_at_s"] for r in runs]), 2)
    last = max(ends.values()) if ends else 0.0
    return {"runs": len(timelines), "steps_end_at_s": ends, "mkdocs": processes,
            "outside_pipeline_s": round(median(walls) - last, 2)}


def profile_lines(profile: dict) -> list[str]:
    """RESULTS.md lines: the pipeline's steps, then each MkDocs process's phases."""
    if not profile:
        return []
    out = ["", f"Where the seconds go after an edit (median of {profile['runs']} timelines, `.cache/build-timeline.json`):",
           "", "| pipeline step | ends at s |", "|---|---:|"]
    out += [f"| {step} | {at:.2f} |" for step, at in profile["steps_end_at_s"].items()]
    out += [f"| outside the pipeline (make's checks, Python start, swap) | +{profile['outside_pipeline_s']:.2f} |"]
    variants = list(profile["mkdocs"])
    phases = [k for k in profile["mkdocs"][variants[0]] if k not in ("pages",)]
    out += ["", "| MkDocs phase, s | " + " | ".join(variants) + " |", "|---|" + "---:|" * len(variants)]
    out += [f"| {phase.removesuffix('_s').replace('_', ' ')} | "
            + " | ".join(f"{profile['mkdocs'][v][phase]:.2f}" for v in variants) + " |" for phase in phases]
    return out
