"""MkDocs hook: a page title is text with only the escapes HTML needs, not the entities the escaping path wrote.

MkDocs takes the title from the first heading's HTML, entities included ("Pilier 2 &#58; ..."), and Material
escapes it once more in attributes (the footer's aria-label would read "&#58;"). Decoded, then re-escaped for
`& < > "`, the title reads the same in text and in attributes, and still never becomes markup.
"""
from __future__ import annotations

import html


def on_page_content(content, page, **kwargs):
    title = getattr(page, "_title_from_render", None)
    if title:
        page._title_from_render = html.escape(html.unescape(title), quote=False).replace('"', "&quot;")
    return content
