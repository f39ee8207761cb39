"""The permalink manifest: every public page and plan anchor of a built site, in both languages."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# Anchors that coordinators cite (the README's URL scheme): pillars, outcomes, outputs, activities (and the
# former ids they keep), owners, glossary terms and acronyms, and the minimum commitments of Annex I.
PUBLIC_ANCHOR = re.compile(r'\sid="((?:pillar|outcome|output|a)-[0-9.]+|commitment-[0-9]+|(?:owner|term|acronym)-[a-z0-9-]+)"')
SKIPPED_PAGES = {"404.html"}
# Frozen revisions (scripts/frozen.py) never change once published: the manifest is the current revision's.
FROZEN = re.compile(r"(?:[a-z]{2}/)?revisions/")
# The printable plan repeats the plan's anchors for the PDF's own links; the permanent ones are on the plan pages.
ANCHORS_NOT_CITED = {"print.html", "en/print.html"}


def collect(site: Path) -> list[str]:
    """Sorted 'page' and 'page#anchor' entries, relative to the site root."""
    entries: set[str] = set()
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        if page.name in SKIPPED_PAGES or rel.startswith(("assets/", "search/")) or FROZEN.match(rel):
            continue
        entries.add(rel)
        if rel in ANCHORS_NOT_CITED:
            continue
        entries.update(f"{rel}#{anchor}" for anchor in PUBLIC_ANCHOR.findall(page.read_text(encoding="utf-8")))
    return sorted(entries)


def write_manifest(site: Path, version: str) -> Path:
    path = site / "permalinks.json"
    path.write_text(json.dumps({"version": version, "urls": collect(site)}, indent=1) + "\n", encoding="utf-8")
    return path


def unresolved(manifest: dict, site: Path) -> list[str]:
    """The manifest entries that `site` no longer serves (missing page or missing anchor)."""
    missing = []
    ids_of: dict[str, set[str]] = {}
    for entry in manifest["urls"]:
        page, _, anchor = entry.partition("#")
        file = site / page
        if not file.is_file():
            missing.append(entry)
            continue
        if anchor:
            if page not in ids_of:
                ids_of[page] = set(re.findall(r'\sid="([^"]+)"', file.read_text(encoding="utf-8")))
            if anchor not in ids_of[page]:
                missing.append(entry)
    return missing


def explain(entry: str, plan) -> str:
    """Why a published link no longer resolves, naming the anchor the data declares for it, if any."""
    from macros.revisions.anchors import landings
    page, _, anchor = entry.partition("#")
    lang = page.split("/", 1)[0] + "/" if re.match(r"[a-z]{2}/", page) else ""
    landing = landings(plan).get(anchor) if anchor and plan is not None else None
    if landing is not None and landing.how == "same":
        return (f"{entry}: that element is now on {lang}{landing.page}#{landing.anchor}; an element that changes "
                f"page takes a new number and keeps this one in former_ids")
    if landing is not None:
        return (f"{entry}: the data declares it {landing.how} as {lang}{landing.page}#{landing.anchor}, "
                f"but {page} no longer holds that anchor")
    number = anchor.partition("-")[2]
    return (f"{entry}: no longer published and the data says nothing of it (renumbered: add "
            f"former_ids: [\"{number}\"] to the element that now has its place; removed: add it to retired)"
            if anchor else f"{entry}: this page is no longer published")


if __name__ == "__main__":
    # python scripts/permalinks.py SITE_DIR VERSION > manifest.json
    print(json.dumps({"version": sys.argv[2], "urls": collect(Path(sys.argv[1]))}, indent=1))
