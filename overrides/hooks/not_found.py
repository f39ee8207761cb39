"""MkDocs hook: one 404 page per language (French at the root, English in en/), none offline.

static-i18n builds every language into the same site folder, and MkDocs writes each build's 404.html at its root:
the last language's would win. Each build's page is kept here and put in its language's folder. Online, a server
shows 404.html at any depth, so MkDocs gives it absolute paths (the SITE_URL's path, or `/`); a bundle opened
through file:// is never shown a 404 page, so the offline build has none.

Theme pages such as 404.html are rendered before the documentation pages, with whatever language
alternates static-i18n left from the previous page (the last page of the previous language build).
"""
from __future__ import annotations

import os
from copy import deepcopy
from pathlib import Path

from mkdocs.plugins import event_priority

NAME = "404.html"
_PAGES: dict[str, bytes] = {}  # language -> its 404 page, for the life of one `mkdocs build` process


def on_env(env, config, files, **kwargs):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "extra_alternate", None):
        # static-i18n sets the per-page links as an attribute of `extra`, which templates read first.
        config.extra.alternate = deepcopy(i18n.extra_alternate)
        config.extra["alternate"] = config.extra.alternate
    return env


def offline(config) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled) or os.environ.get("SIP_OFFLINE", "").lower() == "true"


@event_priority(50)  # before static-i18n (-100) starts the next language's build, which rewrites 404.html
def on_post_build(config, **kwargs) -> None:
    site = Path(config.site_dir)
    i18n = config.plugins.get("i18n")
    if offline(config):
        for page in [site / NAME, *(site / lang / NAME for lang in _languages(i18n))]:
            page.unlink(missing_ok=True)
        return
    if i18n is None or not (site / NAME).is_file():
        return
    _PAGES[i18n.current_language] = (site / NAME).read_bytes()
    for lang, page in _PAGES.items():
        target = site / ("" if lang == i18n.default_language else lang) / NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page)


def _languages(i18n) -> list[str]:
    return [lang.locale for lang in i18n.config.languages] if i18n is not None else []
