"""MkDocs hook: the 404 page's language switcher leads to each language's home page, and its paths work where it is.

Online, a server shows 404.html at any depth, so MkDocs gives it absolute paths (the SITE_URL's path, or `/`).
In the offline bundle it is a file at the bundle's root, opened through file://: its paths must be relative.

Theme pages such as 404.html are rendered before the documentation pages, with whatever language
alternates static-i18n left from the previous page (the last page of the previous language build).
"""
from __future__ import annotations

from copy import deepcopy

from mkdocs.commands.build import get_context

_BUILD: dict = {}


def on_env(env, config, files, **kwargs):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "extra_alternate", None):
        # static-i18n sets the per-page links as an attribute of `extra`, which templates read first.
        config.extra.alternate = deepcopy(i18n.extra_alternate)
        config.extra["alternate"] = config.extra.alternate
    return env



def on_nav(nav, config, files, **kwargs):
    _BUILD.update(nav=nav, files=files)
    return nav


def on_template_context(context, template_name, config, **kwargs):
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    if template_name == "404.html" and offline is not None and offline.config.enabled and _BUILD:
        # Relative to the bundle's root, where 404.html is; MkDocs computed these from "/".
        fresh = get_context(_BUILD["nav"], _BUILD["files"], config, base_url=".")
        context.update({key: fresh[key] for key in ("base_url", "extra_css", "extra_javascript")})
        # The language switcher's links are absolute ("/en/index.html"): relative for this page only.
        alternate = config.extra.get("alternate")
        if alternate:
            _BUILD["alternate"] = alternate
            relative = [{**alt, "link": alt["link"].lstrip("/") or "index.html"} for alt in alternate]
            config.extra.alternate = config.extra["alternate"] = relative
    return context


def on_post_template(output, template_name, config, **kwargs):
    if "alternate" in _BUILD:  # put back what the documentation pages read
        config.extra.alternate = config.extra["alternate"] = _BUILD.pop("alternate")
    return output
