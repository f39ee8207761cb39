"""MkDocs hook: the footnotes' back-link tooltip in the page's language (Python-Markdown has one, English, title)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from macros.labels import labels  # noqa: E402


def on_page_markdown(markdown: str, page, config, **kwargs) -> str:
    # MkDocs makes a Markdown converter per page from mdx_configs, after this event: the title set here is the page's.
    titles = config["mdx_configs"].setdefault("footnotes", {})
    titles["BACKLINK_TITLE"] = labels(config["theme"]["language"])["footnote_backlink"]
    return markdown
