"""MkDocs hook: French typography (no-break spaces before ; : ! ? % and inside « ») on every built page.

One step after rendering covers plan text, labels and templates alike, and print.html, hence the PDFs; the pages
made from a theme template alone (404.html) get the same step.
The rules and what they never touch are in macros/views/typography.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from macros.views.typography import french_html  # noqa: E402


@event_priority(-100)  # after the other plugins have finished the page's HTML
def on_post_page(output: str, page, config, **kwargs) -> str:
    return french_html(output)


@event_priority(-100)
def on_post_template(output: str, template_name: str, config, **kwargs) -> str:
    """Pages rendered from a theme template alone (404.html) are no documentation page: typeset them here."""
    return french_html(output) if template_name.endswith(".html") else output
