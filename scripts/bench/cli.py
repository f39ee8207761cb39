"""The command line of `make bench`: runs what was asked and writes results.json and RESULTS.md."""
from __future__ import annotations

import argparse
import datetime
import json
import shutil
import sys
import time
from pathlib import Path

from .builds import bench_size
from .common import CHROMIUM, HUGE, HUGE_TIMEOUT_S, ROOT, SIZES, BenchError
from .experiments import experiments
from .machine import git_commit, machine, uptime, versions
from .make_runs import make_build, make_build_with_revisions
from .plans import prepare_plan
from .preview import edit_to_preview
from .profiling import profile
from .report import NOTES_MARKER, previous, report
from .sizes import page_sizes, search_index_kb
from .targets import targets
from .weight import first_visits, offline_zip

def main(argv: list[str], doc: str | None = None) -> int:
    parser = argparse.ArgumentParser(description=doc or __doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="numbers of activities (50 is the real plan)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--huge", action="store_true", help=f"also try N={HUGE:,} once, stopped after {HUGE_TIMEOUT_S} s")
    parser.add_argument("--experiments", action="store_true",
                        help="also measure the suggested changes (simulated) at --profile-n activities (~5 minutes)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--profile-n", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=5, help="saves timed for edit-to-preview")
    parser.add_argument("--make-runs", type=int, default=5, help="timed runs of `make build` (after one warm-up run)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench", help="where RESULTS.md and results.json go")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work", help="scratch folder (plans, sites, logs)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    earlier, notes = previous(args.out)

    started = time.perf_counter()
    results = {"command": " ".join(["scripts/bench.py", *argv]), "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"), "commit": git_commit(),
               "machine": machine(), "versions": versions(), "load": {"start": uptime()}, "runs": []}
    print(f"load: {results['load']['start']}", flush=True)
    real_site = work / "site-real"
    try:
        for n in sizes:
            # Small builds last a few seconds and vary most from run to run: more runs for them.
            repeat = max(args.repeat, 5) if n <= 500 and args.repeat >= 3 else args.repeat
            results["runs"].append(bench_size(n, repeat, work, keep_site=real_site if n == 50 else None))
        if args.huge:
            results["runs"].append(bench_size(HUGE, 1, work, timeout=HUGE_TIMEOUT_S))
        else:
            carried = next((r for r in earlier.get("runs", []) if r["n"] == HUGE), None)
            if carried:
                results["runs"].append({**carried, "from_run": carried.get("from_run", earlier.get("date"))})
        if 50 in sizes:
            print("page weight and offline bundle", flush=True)
            html = page_sizes(real_site)
            results["pillar_html_kb"] = max(v["kb"] for v in html["pillar"].values())
            results["search_index_kb"] = search_index_kb(real_site)["total"]
            zipped = offline_zip(work)
            results["zip_mb"] = zipped["zip_mb"]
            results["page_weight"] = {"html": html, "search_index_kb": search_index_kb(real_site), "zip": zipped,
                                      "first_visit": first_visits(real_site) if Path(CHROMIUM).exists() else None}
            print("edit-to-preview", flush=True)
            results["edit_to_preview"] = edit_to_preview(work, args.edits)
            results["edit_to_preview_s"] = results["edit_to_preview"]["browser_s"]
            print("make build (real plan, warm)", flush=True)
            results["make_build"] = make_build(args.make_runs, work)
            results["make_build_s"] = results["make_build"]["median_s"]
            results["make_build_after_edit_s"] = results["make_build"]["after_edit_median_s"]
            print("make build with two frozen revisions", flush=True)
            results["make_build_revisions"] = make_build_with_revisions(args.make_runs, work)
        if not args.no_profile:
            print(f"profile at N={args.profile_n}", flush=True)
            path, _, check = prepare_plan(args.profile_n, work)
            results["profile"] = {"n": args.profile_n, **profile(path, check["lifted_limits"], work)}
        if args.experiments:
            results["experiments"] = experiments(args.profile_n, work, args.repeat)
        elif earlier.get("experiments"):
            results["experiments"] = {**earlier["experiments"], "from_run": earlier["experiments"].get("from_run", earlier.get("date"))}
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(real_site, ignore_errors=True)
    results["load"]["end"] = uptime()
    results["duration_min"] = round((time.perf_counter() - started) / 60, 1)
    results["targets"] = targets(results)
    ordered = {"runs": results["runs"], "edit_to_preview_s": results.get("edit_to_preview_s"), "make_build_s": results.get("make_build_s"),
               "make_build_after_edit_s": results.get("make_build_after_edit_s"),
               "pillar_html_kb": results.get("pillar_html_kb"), "zip_mb": results.get("zip_mb"),
               "search_index_kb": results.get("search_index_kb"), **results}
    (args.out / "results.json").write_text(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    text = report(results, notes)
    (args.out / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text.split(NOTES_MARKER)[0])
    return 0
