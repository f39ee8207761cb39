"""MkDocs hook: the 404 page's language switcher leads to each language's home page.

Theme pages such as 404.html are rendered before the documentation pages, with whatever language
alternates static-i18n left from the previous page (the last page of the previous language build).
"""
from __future__ import annotations

from copy import deepcopy


def on_env(env, config, files, **kwargs):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "extra_alternate", None):
        # static-i18n sets the per-page links as an attribute of `extra`, which templates read first.
        config.extra.alternate = deepcopy(i18n.extra_alternate)
        config.extra["alternate"] = config.extra.alternate
    return env
