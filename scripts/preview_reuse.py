"""Live preview only: what the previous rebuild computed is reused where its inputs are unchanged.

A save usually changes a few pages; the others give the same Markdown after the macros, and converting it to HTML
is half of a rebuild. The conversion is reused when the page's Markdown, its place in the site, the site's file list and
the Markdown configuration are all what they were at the page's last conversion, and that conversion logged
nothing (so every warning of a strict build is still printed on every rebuild). Pure functions of a page's text
(French typography) keep their answers of the last rebuild. `make build` never loads this.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging

from mkdocs.structure.pages import Page


class Recent:
    """Answers of pure functions, kept from one rebuild to the next: those not asked again during a rebuild go."""

    def __init__(self) -> None:
        self.current: dict = {}
        self.previous: dict = {}

    def next_rebuild(self) -> None:
        self.previous, self.current = self.current, {}

    def wrap(self, func):
        @functools.wraps(func)
        def remembered(*args):
            return self.remember((func, args), lambda: func(*args))
        return remembered

    def remember(self, key, make):
        """The answer kept for `key` in this rebuild or the last one, else `make()`'s, kept for the next."""
        if key not in self.current:
            self.current[key] = self.previous[key] if key in self.previous else make()
        return self.current[key]


class _Recorder(logging.Handler):
    """Notes whether anything at all was logged (INFO or above) while it is attached."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.logged = False

    def emit(self, record: logging.LogRecord) -> None:
        self.logged = True

    def __enter__(self):
        # MkDocs' logger does not propagate in the preview; Python-Markdown's does, to the root.
        for name in ("mkdocs", None):
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        for name in ("mkdocs", None):
            logging.getLogger(name).removeHandler(self)


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, default=repr, sort_keys=True).encode("utf-8")).hexdigest()


class RenderCache:
    """The last conversion of each page (by source path), with the inputs it was made from."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, dict]] = {}
        self.reused = self.converted = 0
        self._files = self._files_digest = None

    def install(self) -> None:
        original = Page.render
        if getattr(original, "sip_render_cache", None) is self:
            return

        def render(page, config, files):
            self.render(original, page, config, files)
        render.sip_render_cache, render.original = self, original
        Page.render = render

    def uninstall(self) -> None:
        if getattr(Page.render, "sip_render_cache", None) is self:
            Page.render = Page.render.original

    def _files_key(self, files) -> str:
        # Links are resolved against every file of the build: any file added, removed or moved changes the key.
        if files is not self._files:
            self._files, self._files_digest = files, _digest(sorted(
                (f.src_uri, f.dest_uri, f.url, f.inclusion.name, f.is_documentation_page()) for f in files))
        return self._files_digest

    def key(self, page, config, files) -> str:
        return _digest([page.markdown, page.file.src_uri, page.file.dest_uri, page.file.url, page.file.inclusion.name,
                        self._files_key(files), config["markdown_extensions"], config["mdx_configs"],
                        config["use_directory_urls"], config["validation"], logging.getLogger("mkdocs").getEffectiveLevel()])

    def render(self, original, page, config, files) -> None:
        src = page.file.src_uri
        key = self.key(page, config, files)
        entry = self.entries.get(src)
        if entry is not None and entry[0] == key:
            self._restore(page, entry[1], files)
            self.reused += 1
            return
        self.entries.pop(src, None)
        with _Recorder() as recorder:
            original(page, config, files)
        self.converted += 1
        if not recorder.logged:
            self.entries[src] = (key, self._snapshot(page))

    @staticmethod
    def _snapshot(page) -> dict:
        # Everything Page.render sets; links to other pages by source path, since File objects are new each build.
        links = page.links_to_anchors
        return {"content": page.content, "toc": copy.deepcopy(page.toc), "title": page._title_from_render,
                "anchors": set(page.present_anchor_ids or ()),
                "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()}}

    @staticmethod
    def _restore(page, saved: dict, files) -> None:
        page.content = saved["content"]
        page.toc = copy.deepcopy(saved["toc"])
        page._title_from_render = saved["title"]
        page.present_anchor_ids = set(saved["anchors"])
        if saved["links"] is not None:
            page.links_to_anchors = {files.get_file_from_path(src): dict(v) for src, v in saved["links"].items()}


def _toc_outline(items) -> list:
    return [(item.title, item.id, item.url, item.level, _toc_outline(item.children)) for item in items]


class SearchCache:
    """The search entries of each page as Material made them at the last rebuild, reused while everything they are
    made from (the page's HTML, address, table of contents, title and search settings) is unchanged."""

    def __init__(self) -> None:
        self.recent = Recent()
        self.reused = self.indexed = 0

    def install(self) -> None:
        from material.plugins.search.plugin import SearchIndex
        original = SearchIndex.add_entry_from_context
        if getattr(original, "sip_search_cache", None) is self:
            return

        def add_entry_from_context(index, page):
            self.add(original, index, page)
        add_entry_from_context.sip_search_cache, add_entry_from_context.original = self, original
        SearchIndex.add_entry_from_context = add_entry_from_context

    def uninstall(self) -> None:
        from material.plugins.search.plugin import SearchIndex
        if getattr(SearchIndex.add_entry_from_context, "sip_search_cache", None) is self:
            SearchIndex.add_entry_from_context = SearchIndex.add_entry_from_context.original

    def next_rebuild(self) -> None:
        self.recent.next_rebuild()

    @staticmethod
    def key(index, page) -> str:
        meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
        return _digest([page.content, page.url, str(page.title), meta, _toc_outline(page.toc), index.config])

    def add(self, original, index, page) -> None:
        made = []

        def make() -> list:
            before = len(index.entries)
            original(index, page)
            made.append(True)
            # Later hooks (search_index.py) may change the entries in place: the kept ones stay as they were made.
            return copy.deepcopy(index.entries[before:])

        saved = self.recent.remember(self.key(index, page), make)
        if made:
            self.indexed += 1
        else:
            index.entries.extend(copy.deepcopy(saved))
            self.reused += 1
