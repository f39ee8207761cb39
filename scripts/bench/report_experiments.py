"""The report's section on the experiments (`--experiments`)."""
from __future__ import annotations

from .tables import fmt, table

def experiments_section(x: dict, results: dict) -> list[str]:
    out: list[str] = []
    v, d, h, md, toc = x["validate_s"], x["downloads_s"], x["search_hook_s"], x["markdown"], x["toc_depth_3"]
    out += [f"## Experiments: the suggested changes, simulated (N={x['n']:,})", "",
            ("Carried over from the run of " + x["from_run"] + " (`--experiments` re-runs them). " if x.get("from_run") else "")
            + "Each change is simulated by patching the running process, never the project's files "
            "(`scripts/bench.py --experiments`).", "",
            table(["change", "as is", "changed"], [
                ["validation: GC off while validating", f"{v['as_is']:.2f} s", f"{v['gc_off_while_validating']:.2f} s"],
                ["validation: no separate size-guard pass", f"{v['as_is']:.2f} s", f"{v['no_size_guard_pass']:.2f} s"],
                ["validation: schema `$ref`s inlined once", f"{v['as_is']:.2f} s", f"{v['schema_refs_inlined']:.2f} s"],
            ] + [[label, f"{v['as_is']:.2f} s", f"{v[key]:.2f} s"] for label, key in (
                ("validation: no size-guard pass + `$ref`s inlined", "no_guard_pass_and_refs_inlined"),
                ("validation: the three together", "all_three")) if key in v] + [
                ["downloads: JSON + CSV made once a build instead of 3 times", f"{3 * (d['activities_csv'] + d['plan_json']):.2f} s",
                 f"{d['activities_csv'] + d['plan_json']:.2f} s"],
                [f"Markdown of `{md['page']}` (fr): abbr's sibling lookup by index"
                 + ("" if md.get("abbr_indexed_same_html") else " (HTML differs!)"), f"{md['convert_s']:.2f} s", f"{md['convert_abbr_indexed_s']:.2f} s"],
                [f"Markdown of `{md['page']}` (fr): without abbreviations at all", f"{md['convert_s']:.2f} s", f"{md['convert_without_abbr_s']:.2f} s"],
                ["plain build: `toc_depth: 3` (activities out of the TOC)", f"{toc['plain_build_s']:.1f} s", f"{toc['plain_build_toc3_s']:.1f} s"],
                ["largest pillar page (fr): `toc_depth: 3`", f"{toc['pillar_kb']:.0f} KB", f"{toc['pillar_toc3_kb']:.0f} KB"],
            ] + ([["real plan's largest pillar page: `toc_depth: 3`", f"{results.get('pillar_html_kb') or 0:.1f} KB",
                   f"{max(toc['real_plan_pillar_kb'].values()):.1f} KB"]] if toc.get("real_plan_pillar_kb") else [])),
            "", "Full builds with the changes together: schema `$ref`s inlined, no separate size-guard pass, downloads "
            "made once, the view templates' compiled code kept in a Jinja bytecode cache (warm, as after any earlier "
            "build or preview), and abbr's lookup by index. The abbr change is a library fix, so it is simulated in "
            "a second plain baseline too: *ratio changed* = changed / plain with the abbr fix. Builds alternate. "
            "*Same site*: every HTML page, the downloads and both search indexes byte for byte those of the build as is.", "",
            table(["N", "as is s", "changed s", "plain s", "plain + abbr fix s", "ratio as is", "ratio changed",
                   "CPU ratio changed", "same site"],
                  [[f"{a['n']:,}", fmt(a["as_is_s"]), fmt(a["changed_s"]), fmt(a["plain_s"]), fmt(a["plain_abbr_s"]),
                    fmt(a["ratio_as_is"], ".3f"), fmt(a["ratio_changed"], ".3f"), fmt(a["cpu_ratio_changed"], ".3f"),
                    "yes" if a["same_site"] else "**no**"] for a in x.get("all_changes", [])]),
            "", f"The search hook (split + spelling variants, as committed) takes {h:.2f} s. `plan_json` takes {d['plan_json']:.2f} s a call, `activities_csv` {d['activities_csv']:.2f} s. Largest pages' Markdown (fr, KB): "
            + ", ".join(f"{p} {kb:,}" for p, kb in md["largest_pages_kb_fr"]) + ".", ""]
    return out
