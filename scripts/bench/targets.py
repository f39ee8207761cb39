"""The targets of `make bench`, each read from the results: PASS, MISS or n/a."""
from __future__ import annotations

def targets(results: dict) -> list[dict]:
    runs = {r["n"]: r for r in results["runs"] if r.get("build_s") is not None and r.get("ratio") is not None}
    rows = []

    def row(name: str, measured: str, ok: bool | None) -> None:
        rows.append({"target": name, "measured": measured, "status": "n/a" if ok is None else "PASS" if ok else "MISS"})

    # Issue 21's targets (the ratios were ≤ 1.15 and ≤ 1.05 before it, edit-to-preview 0.8 s, the edited build 3 s).
    mid = runs.get(500, {}).get("ratio")
    row("overhead ratio ≤ 1.10 at N = 500", f"{mid:.2f}" if mid is not None else "not run", mid <= 1.10 if mid is not None else None)
    large = runs.get(5000, {}).get("ratio")
    row("overhead ratio ≤ 1.08 at N = 5,000", f"{large:.2f}" if large is not None else "not run", large <= 1.08 if large is not None else None)
    b = results.get("make_build_s")
    row("real plan `make build` ≤ 3 s (warm, nothing changed)", f"{b:.2f} s" if b is not None else "not run", b <= 3 if b is not None else None)
    a = results.get("make_build_after_edit_s")
    row("real plan `make build` ≤ 3.5 s (warm, after a one-word data edit)", f"{a:.2f} s" if a is not None else "not run",
        a <= 3.5 if a is not None else None)
    r = (results.get("make_build_revisions") or {}).get("ratio")
    row("`make build` after an edit, two frozen revisions vs none ≤ 1.2×", f"{r:.2f}×" if r is not None else "not run",
        r <= 1.2 if r is not None else None)
    if 500 in runs and 5000 in runs:
        growth = runs[5000]["build_s"] / runs[500]["build_s"]
        row("500 → 5,000 activities: build time ≤ 10×", f"{growth:.1f}× ({runs[500]['build_s']:.1f} s → {runs[5000]['build_s']:.1f} s)", growth <= 10)
    else:
        row("500 → 5,000 activities: build time ≤ 10×", "not run", None)
    v = runs.get(5000, {}).get("validate_s")
    row("validation of 5,000 activities ≤ 1 s", f"{v:.2f} s" if v is not None else "not run", v <= 1 if v is not None else None)
    e = results.get("edit_to_preview_s")
    row("edit-to-preview ≤ 0.5 s (real plan, median)", f"{e:.2f} s" if e is not None else "not run", e <= 0.5 if e is not None else None)
    p = results.get("pillar_html_kb")
    row("pillar page HTML ≤ 60 KB (real plan, largest)", f"{p:.1f} KB" if p is not None else "not run", p <= 60 if p is not None else None)
    z = results.get("zip_mb")
    row("offline zip ≤ 1.5 MB", f"{z:.2f} MB" if z is not None else "not run", z <= 1.5 if z is not None else None)
    return rows
