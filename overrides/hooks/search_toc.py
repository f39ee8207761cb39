"""MkDocs hook: Material's search plugin finds each section's table-of-contents entry in linear time.

For every section of a page, Material walks the whole table of contents to find the entry with the section's id:
quadratic in the number of headings, seconds per pillar page once a plan has thousands of activities. The same
answer (the first entry in document order with that id) comes from a map built once per table of contents.
Without that method (Material changed), nothing is replaced and the search plugin works as it is.
"""
from __future__ import annotations

try:
    from material.plugins.search.plugin import SearchIndex
except ImportError:  # pragma: no cover - another theme
    SearchIndex = None

_ORIGINAL = getattr(SearchIndex, "_find_toc_by_id", None)
_LAST: list = [None, {}]  # the table of contents last asked about, and its map


def entries_by_id(toc) -> dict:
    """Every entry of `toc` by id; the first in document order (depth first, as Material searches) wins."""
    found: dict = {}
    stack = list(toc)[::-1]
    while stack:
        item = stack.pop()
        found.setdefault(item.id, item)
        stack.extend(list(item.children)[::-1])
    return found


def find_toc_by_id(self, toc, anchor):
    # Sections are indexed page after page: the map of the page's table of contents is kept until the next one.
    if _LAST[0] is not toc:
        _LAST[0], _LAST[1] = toc, entries_by_id(toc)
    return _LAST[1].get(anchor)


def on_startup(**kwargs):
    if _ORIGINAL is not None:
        SearchIndex._find_toc_by_id = find_toc_by_id
