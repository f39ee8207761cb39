"""Sizes of a built site: each kind of page, the search indexes, the whole."""
from __future__ import annotations

from pathlib import Path

from .common import ROOT  # noqa: F401 - sets up the import path

from macros.data.model import LANGUAGES  # noqa: E402

PAGE_KINDS = {"home": ["index.html"], "pillar": [f"pillars/{i}.html" for i in range(1, 5)], "owners": ["owners.html"],
              "dashboard": ["dashboard.html"], "glossary": ["glossary.html"]}


def page_sizes(site: Path) -> dict:
    """HTML bytes (KB) of each kind of page, per language; for pillars, the largest of the four."""
    sizes = {}
    for kind, pages in PAGE_KINDS.items():
        for lang in LANGUAGES:
            folder = site if lang == LANGUAGES[0] else site / lang
            largest = max(pages, key=lambda p: (folder / p).stat().st_size)
            sizes.setdefault(kind, {})[lang] = {"page": largest, "kb": round((folder / largest).stat().st_size / 1e3, 1)}
    return sizes


def search_index_kb(site: Path) -> dict:
    found = {lang: (site if lang == LANGUAGES[0] else site / lang) / "search" / "search_index.json" for lang in LANGUAGES}
    sizes = {lang: round(path.stat().st_size / 1e3, 1) for lang, path in found.items()}
    return {**sizes, "total": round(sum(sizes.values()), 1)}


def site_mb(site: Path) -> float:
    return round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6, 1)
