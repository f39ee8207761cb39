"""The offline variant of a built site, derived from the online build instead of a second full build.

Without a public address (SITE_URL, extra.canonical_url), Material's offline plugin changes nothing in our pages
(the site never uses directory URLs and already loads the iframe-worker shim): it only adds, beside each language's
search index, the same index as a script, which a page opened from file:// can load. With an address, hooks/seo.py
writes hreflang links and sitemaps online only, so scripts/build.py then makes a full offline build instead.
tests/test_build_pipeline.py compares this with a real `SIP_OFFLINE=true` build.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def _link_or_copy(source: str, dest: str) -> None:
    try:
        os.link(source, dest)  # same filesystem: no bytes copied
    except OSError:
        shutil.copy2(source, dest)


def derive_offline(site: Path, dest: Path) -> None:
    """Write into `dest` the site that `SIP_OFFLINE=true mkdocs build` would make from the same sources."""
    shutil.copytree(site, dest, copy_function=_link_or_copy)
    # A bundle opened from file:// has no server to show a 404 page: like a full offline build (hooks/not_found.py),
    # it has none, in any language.
    for page in [dest / "404.html", *(folder / "404.html" for folder in dest.iterdir() if folder.is_dir())]:
        page.unlink(missing_ok=True)
    for index in dest.rglob("search_index.json"):
        script = index.with_name("search_index.js")
        script.unlink(missing_ok=True)  # never write through a link into the online site
        # As material/plugins/offline/plugin.py does it.
        script.write_text("var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")
