"""The experiments runner: each suggested change simulated, never written into the project."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .baseline import compare_sites, write_plain_project
from .builds import build_ours, build_plain
from .common import PY, ROOT, BenchError, Measure, base_env, best_of, measured, median
from .markdown_experiment import markdown_experiment
from .patches import MKDOCS, VALIDATE
from .plans import prepare_plan
from .sizes import page_sizes

from macros.data.model import LANGUAGES  # noqa: E402

def _validate_s(path: Path, repeat: int, **env: str) -> float:
    repeat = max(repeat, 5)
    times = []
    for _ in range(repeat):
        out = subprocess.run([PY, "-c", VALIDATE, str(path)], cwd=ROOT, capture_output=True, text=True,
                             env=base_env(SIP_BENCH_LIMITS="1", **env))
        if out.returncode != 0:
            raise BenchError(f"validation experiment failed:\n{out.stderr[-2000:]}")
        times.append(float(out.stdout.split()[0]))
    return round(median(times), 3)


def fixed_builds(n: int, work: Path, repeat: int) -> dict:
    """Full builds with every suggested change simulated, alternating with the build as is, the plain baseline,
    and the plain baseline with the library fix (abbr); and whether the site is still byte for byte the same."""
    path, plan, check = prepare_plan(n, work)
    project = work / f"plain-{n}"
    write_plain_project(plan, project)
    cache = work / "jinja-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir()
    limits = {"SIP_BENCH_LIMITS": "1"} if check["lifted_limits"] else {}
    logs, sites = work / "logs", {k: work / f"site-{k}" for k in ("as_is", "changed", "plain", "plain_abbr")}
    plain = [PY, "-c", MKDOCS, "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml"), "-d"]
    ours = [PY, "-c", MKDOCS, "build", "--strict", "--clean", "-d"]
    variants = {
        "changed": (ours, base_env(SIP_DATA=str(path), SIP_BENCH_FIXES=str(cache), SIP_BENCH_ABBR="1", **limits)),
        "as_is": (ours, base_env(SIP_DATA=str(path), **limits)),
        "plain_abbr": (plain, base_env(SIP_BENCH_ABBR="1")),
        "plain": (plain, base_env()),
    }
    # One untimed build fills the template cache, as any earlier build or preview would have.
    measured(ours + [str(sites["changed"])], variants["changed"][1], logs / "changed-warm.log")
    runs: dict[str, list[Measure]] = {k: [] for k in variants}
    for i in range(repeat):
        for name, (cmd, env) in variants.items():
            runs[name].append(measured(cmd + [str(sites[name])], env, logs / f"{name}-{n}-{i}.log"))
        print(f"    N={n} run {i + 1}/{repeat}: " + ", ".join(f"{k} {v[-1].wall_s:.1f} s" for k, v in runs.items()), flush=True)
    found = {f"{k}_s": round(median([m.wall_s for m in v]), 2) for k, v in runs.items()}
    found.update({f"{k}_cpu_s": round(median([m.cpu_s for m in v]), 2) for k, v in runs.items()})
    found["ratio_as_is"] = round(found["as_is_s"] / found["plain_s"], 3)
    found["ratio_changed"] = round(found["changed_s"] / found["plain_abbr_s"], 3)
    found["cpu_ratio_changed"] = round(found["changed_cpu_s"] / found["plain_abbr_cpu_s"], 3)
    same = compare_sites(sites["changed"], sites["as_is"])
    files = ("downloads/sip.json", "downloads/sip-activities.csv", "search/search_index.json", "en/search/search_index.json")
    found["same_site"] = (same["identical"] == same["html_pages"]
                          and all((sites["changed"] / f).read_bytes() == (sites["as_is"] / f).read_bytes() for f in files))
    for folder in (*sites.values(), project, cache):
        shutil.rmtree(folder, ignore_errors=True)
    return {"n": n, **found}


def experiments(n: int, work: Path, repeat: int) -> dict:
    """Each suggested change simulated in a copy of the process (monkeypatching, never editing project files)."""
    import gc

    from macros.exchange import exports
    sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
    import search_index as hook

    path, plan, check = prepare_plan(n, work)
    found: dict = {"n": n}
    print(f"experiments at N={n}: validation", flush=True)
    found["validate_s"] = {"as_is": _validate_s(path, repeat), "gc_off_while_validating": _validate_s(path, repeat, SIP_BENCH_NOGC="1"),
                           "no_size_guard_pass": _validate_s(path, repeat, SIP_BENCH_NOGUARD="1"),
                           "schema_refs_inlined": _validate_s(path, repeat, SIP_BENCH_INLINE="1"),
                           "no_guard_pass_and_refs_inlined": _validate_s(path, repeat, SIP_BENCH_NOGUARD="1", SIP_BENCH_INLINE="1")}

    print("  downloads (CSV, JSON), search hook", flush=True)
    # activities_csv and plan_json run three times a build: for the sizes on each language's downloads page, then to write.
    found["downloads_s"] = {"activities_csv": best_of(lambda: exports.activities_csv(plan)),
                            "plan_json": best_of(lambda: exports.plan_json(plan)), "calls_per_build": 3}
    site = work / f"site-ours-{n}"
    build_ours(path, site, work / "logs" / f"experiment-{n}.log", check["lifted_limits"])
    docs = []
    for lang in LANGUAGES:
        prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
        index = json.loads(((site / prefix) / "search" / "search_index.json").read_text(encoding="utf-8"))
        docs += [{k: v for k, v in doc.items() if k != "terms"} | {"location": prefix + doc["location"]} for doc in index["docs"]]
        config = index["config"]
    combined = {"config": {**config, "lang": list(LANGUAGES)}, "docs": docs}
    hook.forms.cache_clear() if hasattr(hook, "forms") else None
    found["search_hook_s"] = best_of(lambda: hook.split_index(combined), 1)

    print("  Markdown: abbreviations", flush=True)
    found["markdown"] = markdown_experiment(plan, work)

    print("  TOC depth", flush=True)
    project = work / f"plain-{n}"
    write_plain_project(plan, project)
    plain = build_plain(project, work / "site-exp", work / "logs" / "exp-plain.log")
    pillar = page_sizes(work / "site-exp")["pillar"]["fr"]
    _toc_depth_3(project)
    shallow = build_plain(project, work / "site-exp", work / "logs" / "exp-plain-toc3.log")
    shallow_pillar = page_sizes(work / "site-exp")["pillar"]["fr"]
    found["toc_depth_3"] = {"plain_build_s": round(plain.wall_s, 1), "plain_build_toc3_s": round(shallow.wall_s, 1),
                            "pillar_kb": pillar["kb"], "pillar_toc3_kb": shallow_pillar["kb"]}
    if n != 50:
        found["toc_depth_3"]["real_plan_pillar_kb"] = _real_pillar_toc3_kb(work)
    for folder in (site, work / "site-exp", project):
        shutil.rmtree(folder, ignore_errors=True)
    gc.collect()
    print("  full builds with every change", flush=True)
    found["all_changes"] = [fixed_builds(size, work, max(repeat, 5) if size < 1000 else repeat) for size in (50, 500, n)]
    return found


def _toc_depth_3(project: Path) -> None:
    """The plain project's table of contents cut at depth 3: the activities left out."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["markdown_extensions"] = [{"toc": {**e["toc"], "toc_depth": 3}} if isinstance(e, dict) and "toc" in e else e
                                     for e in config["markdown_extensions"]]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _real_pillar_toc3_kb(work: Path) -> dict:
    """The real plan's largest pillar page with activities left out of the table of contents."""
    _, plan, _ = prepare_plan(50, work)
    project = work / "plain-50"
    write_plain_project(plan, project)
    _toc_depth_3(project)
    build_plain(project, work / "site-exp50", work / "logs" / "exp-plain50-toc3.log")
    kb = page_sizes(work / "site-exp50")["pillar"]
    shutil.rmtree(work / "site-exp50", ignore_errors=True)
    shutil.rmtree(project, ignore_errors=True)
    return {lang: kb[lang]["kb"] for lang in LANGUAGES}
