"""The build runner: our site and the plain baseline, alternating, for one N."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from .baseline import compare_sites, write_plain_project
from .common import PY, ROOT, BenchError, Measure, base_env, measured, median
from .patches import MKDOCS, VALIDATE
from .plans import prepare_plan
from .sizes import page_sizes, search_index_kb, site_mb

def build_ours(plan: Path, site: Path, log: Path, lifted: bool, timeout: float | None = None) -> Measure | None:
    env = base_env(SIP_DATA=str(plan), SIP_BENCH_GC=f"{log}.gc", **({"SIP_BENCH_LIMITS": "1"} if lifted else {}))
    return measured([PY, "-c", MKDOCS, "build", "--strict", "--clean", "-d", str(site)], env, log, timeout)


def build_plain(project: Path, site: Path, log: Path, timeout: float | None = None) -> Measure | None:
    cmd = [PY, "-c", MKDOCS, "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    return measured(cmd, base_env(SIP_BENCH_GC=f"{log}.gc"), log, timeout)


def bench_size(n: int, repeat: int, work: Path, keep_site: Path | None = None, timeout: float | None = None) -> dict:
    print(f"N={n}: preparing the plan and the plain baseline", flush=True)
    prepared = time.perf_counter()
    path, plan, check = prepare_plan(n, work)
    lifted = check["lifted_limits"]
    project = work / f"plain-{n}"
    render_s = write_plain_project(plan, project)
    ours_site, plain_site, logs = work / f"site-ours-{n}", work / f"site-plain-{n}", work / "logs"
    ours, plain, validation = [], [], []
    run = {"n": n, "prepare_s": round(time.perf_counter() - prepared, 1)}
    for i in range(repeat):
        # Alternate, so that a burst of load from elsewhere falls on both builds alike.
        m = build_ours(path, ours_site, logs / f"ours-{n}-{i}.log", lifted, timeout)
        if m is None:
            return {**run, "build_s": None, "timed_out_after_s": timeout, "check": check, "runs": 1}
        ours.append(m)
        p = build_plain(project, plain_site, logs / f"plain-{n}-{i}.log", timeout)
        if p is None:
            return {**run, "build_s": round(m.wall_s, 2), "baseline_s": None, "timed_out_after_s": timeout,
                    "check": check, "runs": 1}
        plain.append(p)
        print(f"  run {i + 1}/{repeat}: ours {m.wall_s:.2f} s ({m.rss_mb:.0f} MiB), plain {p.wall_s:.2f} s", flush=True)
    for i in range(repeat):
        out = subprocess.run([PY, "-c", VALIDATE, str(path)], cwd=ROOT, capture_output=True, text=True,
                             env=base_env(**({"SIP_BENCH_LIMITS": "1"} if lifted else {})))
        if out.returncode != 0 or int(out.stdout.split()[1]) != n:
            raise BenchError(f"validation of {path} failed:\n{out.stdout}{out.stderr[-2000:]}")
        validation.append(float(out.stdout.split()[0]))
    build_s, baseline_s = median([m.wall_s for m in ours]), median([m.wall_s for m in plain])
    build_cpu, baseline_cpu = median([m.cpu_s for m in ours]), median([m.cpu_s for m in plain])
    run.update({
        "build_s": round(build_s, 2), "baseline_s": round(baseline_s, 2), "ratio": round(build_s / baseline_s, 3),
        "rss_mb": round(median([m.rss_mb for m in ours]), 1), "validate_s": round(median(validation), 3),
        "gc_s": round(median([m.gc_s for m in ours]), 2), "baseline_gc_s": round(median([m.gc_s for m in plain]), 2),
        "build_cpu_s": round(build_cpu, 2), "baseline_cpu_s": round(baseline_cpu, 2),
        "cpu_ratio": round(build_cpu / baseline_cpu, 3), "baseline_rss_mb": round(median([m.rss_mb for m in plain]), 1),
        "render_pages_s": round(render_s, 2), "runs": repeat,
        "build_runs_s": [round(m.wall_s, 2) for m in ours], "baseline_runs_s": [round(m.wall_s, 2) for m in plain],
        "validate_runs_s": [round(v, 3) for v in validation],
        "pages": page_sizes(ours_site), "search_index_kb": search_index_kb(ours_site), "site_mb": site_mb(ours_site),
        "same_as_baseline": compare_sites(ours_site, plain_site), "check": check,
    })
    if keep_site:
        if keep_site.exists():
            shutil.rmtree(keep_site)
        ours_site.rename(keep_site)
    for folder in (ours_site, plain_site, project):
        shutil.rmtree(folder, ignore_errors=True)
    return run
