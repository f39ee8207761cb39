"""MkDocs hook: where one MkDocs process's seconds go (config and data, views, Markdown, theme, search index),
written to $SIP_TIMELINE/<pid>.json for scripts/build_timeline.py; does nothing without that variable."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from mkdocs.plugins import event_priority

FOLDER = os.environ.get("SIP_TIMELINE", "")
PHASES = ("files_nav_s", "views_s", "markdown_s", "env_static_files_s", "theme_s", "writing_s",
          "search_index_post_build_s")
_T: dict = {"pages": 0, **dict.fromkeys(PHASES, 0.0)}
# One entry per build under way: static-i18n builds each further language from the first one's on_post_build.
_BUILDS: list[dict] = []
_PAGE: dict = {}


def _add(phase: str, seconds: float) -> None:
    _T[phase] += max(seconds, 0.0)


# MkDocs makes each page's HTML body first (views, then Markdown), for every page; then it renders the theme's
# template around each body and writes it, page after page; then on_post_build (the search index).
@event_priority(200)  # before every plugin's: the build's own time starts here
def on_pre_build(config, **kwargs):
    if FOLDER:
        now = time.time()
        _T.setdefault("first_build_at", now)
        _BUILDS.append({"start": now, "theme": _T["theme_s"]})


@event_priority(200)
def on_pre_page(page, config, files, **kwargs):
    if FOLDER and _BUILDS:
        build, _PAGE["start"] = _BUILDS[-1], time.time()
        if "first_page" not in build:
            build["first_page"] = _PAGE["start"]
            _add("files_nav_s", _PAGE["start"] - build["start"])
    return page


@event_priority(-200)  # after the macros plugin rendered the views into the page's Markdown
def on_page_markdown(markdown, page, config, files, **kwargs):
    if FOLDER and _PAGE:
        _PAGE["markdown"] = time.time()
        _add("views_s", _PAGE["markdown"] - _PAGE["start"])
    return markdown


@event_priority(-200)
def on_page_content(html, page, config, files, **kwargs):
    if FOLDER and _PAGE and _BUILDS:
        _BUILDS[-1]["bodies_done"] = now = time.time()
        _add("markdown_s", now - _PAGE.get("markdown", now))
    return html


@event_priority(200)
def on_page_context(context, page, config, nav, **kwargs):
    if FOLDER and _BUILDS:
        build, _PAGE["context"] = _BUILDS[-1], time.time()
        if "first_template" not in build:
            build["first_template"] = _PAGE["context"]
            _add("env_static_files_s", _PAGE["context"] - build.get("bodies_done", _PAGE["context"]))
    return context


@event_priority(-200)
def on_post_page(output, page, config, **kwargs):
    if FOLDER and _BUILDS:
        _BUILDS[-1]["pages_done"] = now = time.time()
        _add("theme_s", now - _PAGE.get("context", now))
        _T["pages"] += 1
    return output


@event_priority(-200)  # after the search plugin wrote its index (and static-i18n built the other languages)
def on_post_build(config, **kwargs):
    if not FOLDER or not _BUILDS:
        return
    build, now = _BUILDS.pop(), time.time()
    pages_done, first_template = build.get("pages_done", now), build.get("first_template", now)
    _add("writing_s", pages_done - first_template - (_T["theme_s"] - build["theme"]))
    _add("search_index_post_build_s", now - pages_done - build.get("nested", 0.0))
    if _BUILDS:  # a build made inside this one's parent's on_post_build: not the parent's own time
        _BUILDS[-1]["nested"] = _BUILDS[-1].get("nested", 0.0) + (now - build["start"])
        return
    record = {"done_at": now, **_T}  # scripts/build_timeline.py knows which process built what
    Path(FOLDER).mkdir(parents=True, exist_ok=True)
    (Path(FOLDER) / f"{os.getpid()}.json").write_text(json.dumps(record) + "\n", encoding="utf-8")
