"""The report writer: bench/RESULTS.md from the results, with the hand-written notes kept."""
from __future__ import annotations

import json
from pathlib import Path

from .build_profile import profile_lines
from .common import HUGE, HUGE_TIMEOUT_S
from .report_experiments import experiments_section
from .sizes import PAGE_KINDS
from .tables import fmt, table

NOTES_MARKER = "<!-- Everything below this line is written by hand and kept by `make bench`. -->"


def report(results: dict, notes: str) -> str:
    m, env = results["machine"], results["versions"]
    out = [
        "# Benchmark results",
        "",
        f"Written by `{results['command']}` on {results['date']} at commit `{results['commit']}` in {results['duration_min']:.0f} "
        "minutes; raw figures in "
        "[`results.json`](results.json). Each time is the median of the runs shown, each in a fresh process; our build "
        "and the plain baseline alternate.",
        "",
        f"**Machine:** {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GiB RAM, {m['os']}.  ",
        f"**Load:** at start `{results['load']['start']}`; at end `{results['load']['end']}`. Other engineers' builds and "
        "tests ran at the same time: wall times are noisy, CPU times (user + system) less so.  ",
        "**Versions:** " + ", ".join(f"{k} {v}" for k, v in env.items()) + ".",
        "",
        "## Build cost and scaling",
        "",
        "`mkdocs build --strict` of both languages (our site) against the *plain baseline*: the same pages as static "
        "Markdown (rendered once by the views), built with the same theme, overrides, extensions, plugins and search "
        "hook, without the macros plugin and the report-pages hook. Ratio = ours / plain: the cost of loading, "
        "validating and rendering the data. N=50 is the real `data/sip.yaml`; larger N are synthetic plans "
        "(`scripts/synthetic_plan.py`). *validate s*: `macros.data.load.validate(path)` alone in a fresh process (imports "
        "not counted). *views alone s*: all pages of both languages rendered by the view functions in one warm process "
        "(how the baseline's Markdown is made). *GC s*: time in Python's cyclic garbage collector during the build.",
        "",
    ]
    rows = []
    for r in results["runs"]:
        pages = r.get("pages", {})
        rows.append([f"{r['n']:,}", r.get("runs", "—"), fmt(r.get("build_s")), fmt(r.get("baseline_s")), fmt(r.get("ratio"), ".3f"),
                     fmt(r.get("cpu_ratio"), ".3f"), f"{fmt(r.get('gc_s'), '.1f')} / {fmt(r.get('baseline_gc_s'), '.1f')}",
                     fmt(r.get("rss_mb"), ".0f"), fmt(r.get("validate_s"), ".3f"),
                     fmt(r.get("render_pages_s")), fmt(pages.get("pillar", {}).get("fr", {}).get("kb"), ".0f"),
                     fmt(r.get("search_index_kb", {}).get("total"), ",.0f"), fmt(r.get("site_mb"), ".1f"),
                     "yes" if r.get("check", {}).get("passes_check") else "no (size guards)"])
    out.append(table(["N activities", "runs", "build s", "plain s", "ratio", "CPU ratio", "GC s ours / plain", "peak RSS MiB", "validate s",
                      "views alone s", "largest pillar KB (fr)", "search index KB (fr+en)", "site MB", "passes `make check`"], rows))
    out.append("")
    for r in results["runs"]:
        if r.get("build_s") is None or r.get("baseline_s") is None:
            out.append(f"- N={r['n']:,}: stopped after {r.get('timed_out_after_s')} s without finishing"
                       + (f" (ours took {r['build_s']} s)" if r.get("build_s") else "") + ".")
        if r.get("from_run"):
            out.append(f"- N={r['n']:,}: carried over from the run of {r['from_run']} (tried once with `--huge`, not re-run).")
        same = r.get("same_as_baseline")
        if same and same["identical"] != same["html_pages"]:
            out.append(f"- N={r['n']:,}: {same['html_pages'] - same['identical']} HTML pages of the baseline differ from ours: {same['differ']}")
        if r.get("check", {}).get("lifted_limits"):
            out.append(f"- N={r['n']:,} ({r['check']['file_mb']} MB) is refused by the validator's size guards "
                       f"(`{r['check']['refused_by'][0].split(': ', 1)[-1]}`); the benchmark lifts the guards "
                       "(`macros.data.yamlnodes.MAX_BYTES`/`MAX_NODES`/`MAX_SEPARATORS`) to measure the rest.")
    same_all = all(r.get("same_as_baseline", {}).get("identical") == r.get("same_as_baseline", {}).get("html_pages")
                   for r in results["runs"] if r.get("same_as_baseline"))
    if same_all:
        out.append("- The baseline's HTML pages are byte for byte ours at every N: it is the same site.")
    if not any(r["n"] == HUGE for r in results["runs"]):
        out.append(f"- N={HUGE:,} was not tried in this run (`scripts/bench.py --huge` tries it once, within {HUGE_TIMEOUT_S // 60} minutes).")
    out += ["", "## Targets", "", table(["target", "measured", "status"],
                                        [[t["target"], t["measured"], f"**{t['status']}**"] for t in results["targets"]]), ""]

    e = results.get("edit_to_preview")
    if e:
        out += ["## Edit-to-preview (real plan)", "",
                f"Measured: {e['measured']}. Median of {e['edits']} saves: **{e['browser_s']:.2f} s** to the reloaded page "
                f"(runs: {', '.join(f'{x:.2f}' for x in e['runs_browser_s'])} s); of which noticing the save "
                f"{e['detect_s']:.2f} s (scripts/serve.py is notified of the save, and polls every 0.1 s where notifications fail), the rebuild {e['rebuild_s']:.2f} s "
                f"(\"Building documentation\" to \"Reloading browsers\": the viewed page, built first), the rest is the browser reloading.", ""]

    b = results.get("make_build")
    if b:
        out += ["## `make build` (real plan, warm)", "",
                f"Measured: {b['measured']}. Median of {len(b['runs_s'])} runs: **{b['median_s']:.2f} s** "
                f"(runs: {', '.join(f'{x:.2f}' for x in b['runs_s'])} s): validation, the online build, the offline "
                "variant, the permalink check, the zip and both PDFs (reused: nothing they are printed from changed)."]
        if "after_edit_median_s" in b:
            out += ["", f"After a one-word edit of the data, median of {len(b['after_edit_runs_s'])} runs: "
                    f"**{b['after_edit_median_s']:.2f} s** (runs: {', '.join(f'{x:.2f}' for x in b['after_edit_runs_s'])} s): "
                    "the same, with both PDFs printed again."]
            out += profile_lines(b.get("after_edit_profile") or {})
        out += [""]
    r = results.get("make_build_revisions")
    if r:
        out += [f"With two frozen revisions beside the plan ({r['measured']}): **{r['two_median_s']:.2f} s** against "
                f"{r['none_median_s']:.2f} s with none, **{r['ratio']:.2f}×** (runs: {r['runs_s']}).", ""]

    w = results.get("page_weight")
    if w:
        rows = [[kind, w["html"][kind]["fr"]["page"], fmt(w["html"][kind]["fr"]["kb"], ".1f"), fmt(w["html"][kind]["en"]["kb"], ".1f")]
                for kind in PAGE_KINDS]
        out += ["## Page weight (real plan)", "", "HTML bytes of each kind of page (KB = 1,000 bytes):", "",
                table(["page", "file", "fr KB", "en KB"], rows), ""]
        visits = w.get("first_visit")
        if visits:
            rows = [[kind, lang, fmt(v["kb"], ".0f"), v["requests"], ", ".join(f"{u} ({b / 1e3:.0f})" for u, b in v["largest"])]
                    for kind, by_lang in visits.items() for lang, v in by_lang.items()]
            out += ["First visit, empty cache, headless Chromium against a local server without compression (sum of "
                    "response bodies, the search index fetched by the search worker included):", "",
                    table(["visit", "lang", "KB fetched", "requests", "largest (KB)"], rows), ""]
        z = w.get("zip", {})
        out += [f"Offline bundle (built by `scripts/build.py`'s functions): **{fmt(z.get('zip_mb'))} MB** zipped, "
                f"{fmt(z.get('unpacked_mb'), '.1f')} MB unpacked" + (f"; `dist/` holds {z['dist_zip_mb']} MB" if "dist_zip_mb" in z else "")
                + f". Search index: {w['search_index_kb']['fr']:.0f} KB (fr) + {w['search_index_kb']['en']:.0f} KB (en) = "
                f"**{w['search_index_kb']['total']:.0f} KB**.", ""]

    p = results.get("profile")
    if p:
        out += [f"## Where the time goes (cProfile, N={p['n']:,})", "",
                f"One build under cProfile: {p['profiled_s']:.0f} s profiled ({p['process_wall_s']:.0f} s for the process; "
                "cProfile slows Python code about 1.5-2×, so read shares rather than seconds). Inclusive time of each "
                "stage; indented rows are parts of the row above (the stages nest, so the shares do not add up):", "",
                table(["stage", "s", "share"], [["&nbsp;&nbsp;" * s["level"] + s["stage"], fmt(s["s"]), f"{100 * s['share']:.0f} %"]
                                                 for s in p["stages"]]), "",
                "Self time by package (built-in functions such as regular expressions charged to the package that "
                "called them; these add up to the total):", "",
                table(["package", "s", "share"], [[r["package"], fmt(r["s"]), f"{100 * r['share']:.1f} %"] for r in p["packages"]]), "",
                "Top functions by self time:", "",
                table(["function", "self s", "calls"], [[f"`{f['function']}`", fmt(f["self_s"]), f"{f['calls']:,}"] for f in p["top_functions"]]), ""]
    x = results.get("experiments")
    if x:
        try:
            out += experiments_section(x, results)
        except KeyError:
            # Carried over from a run whose figures had other names: the report of that run keeps them.
            out += ["## Experiments", "", f"Not re-run (`--experiments`); those of {x.get('from_run', 'an earlier run')} "
                    "are in `bench/RESULTS.md` of that run's commit.", ""]

    out += [NOTES_MARKER, notes.strip("\n"), ""]
    return "\n".join(out)


def previous(out: Path) -> tuple[dict, str]:
    """The last results (to carry over a --huge run) and the hand-written notes of RESULTS.md."""
    results = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else {}
    text = (out / "RESULTS.md").read_text(encoding="utf-8") if (out / "RESULTS.md").exists() else ""
    notes = text.split(NOTES_MARKER, 1)[1] if NOTES_MARKER in text else "\n## Findings and recommendations\n\n(to be written)\n"
    return results, notes
