"""MkDocs hook: French typography (no-break spaces before ; : ! ? % and inside « ») on every built page.

One step after rendering covers plan text, labels and templates alike, and print.html, hence the PDFs; the pages
made from a theme template alone (404.html) get the same step.
The rules and what they never touch are in macros/views/typography.py.
"""
from __future__ import annotations

import json
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


# The search index's texts are shown in the results (titles, previews): typeset its French entries like the pages,
# once the index has been split per language (hooks/search_index.py, -200). Typesetting turns spaces into no-break
# spaces only, which the search worker's tokens (runs of letters and digits) never contain: ranking is unchanged.
_INDEX_PREFIX = "var __index = "
_NOT_TEXT = {"location", "kind", "ids", "boost"}


@event_priority(-300)
def on_post_build(config, **kwargs) -> None:
    i18n = config.plugins.get("i18n")
    others = tuple(f"{lang.locale}/" for lang in i18n.config.languages if not lang.default) if i18n else ()
    default = next((lang.locale for lang in i18n.config.languages if lang.default), "fr") if i18n else "fr"
    if default != "fr":
        return
    folder = Path(config.site_dir) / "search"
    for path in (folder / "search_index.json", folder / "search_index.js"):
        if not path.is_file():
            continue
        source = path.read_text(encoding="utf-8")
        script = source.startswith(_INDEX_PREFIX)
        index = json.loads(source[len(_INDEX_PREFIX):] if script else source)
        for doc in index.get("docs", []):
            if str(doc.get("location", "")).startswith(others):
                continue
            for key, value in doc.items():
                if key not in _NOT_TEXT and isinstance(value, str):
                    doc[key] = french_html(value, "fr")  # positional: make serve memoises this function
        data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        path.write_text(_INDEX_PREFIX + data if script else data, encoding="utf-8")
