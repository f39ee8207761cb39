"""Live preview only: the page a browser is viewing is built first, alone, so that it reloads before the whole site."""
from __future__ import annotations

# A page needs the rest of its language for its navigation (the other pages' titles), its neighbours' links and the
# anchors its links point to. Those come from what every page ended with at the last whole rebuild (PageStates);
# the viewed page itself goes through every step MkDocs and the plugins take in a build of its language, up to its
# file. The whole rebuild follows at once and writes the page again: if another page's title changed meanwhile,
# the page differs, and the browsers reload once more (scripts/preview_site.py notices). No page is built first
# after a rebuild that failed or showed data errors, for a page that did not exist then, or when it logs anything.

import logging

from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.sip.serve")


class PageStates:
    """What each page (by source path) ended with at the last rebuild: enough to stand for it in another's build."""

    def __init__(self) -> None:
        self.saved: dict[str, dict] = {}
        self.usable = False  # only after a whole rebuild that succeeded on valid data

    def install(self) -> None:
        original = mkdocs_build._build_page
        if getattr(original, "sip_page_states", None) is self:
            return

        def build_page(page, config, *args, **kwargs):
            original(page, config, *args, **kwargs)
            self.save(page)
        build_page.sip_page_states = self
        mkdocs_build._build_page = build_page

    def save(self, page: Page) -> None:
        # No copies: a page built is not changed afterwards, and a page standing in another's build is only read.
        self.saved[page.file.src_uri] = {
            "markdown": page.markdown, "meta": page.meta, "title": page._title_from_render, "content": page.content,
            "toc": page.toc, "anchors": frozenset(page.present_anchor_ids or ())}

    def restore(self, page: Page) -> bool:
        saved = self.saved.get(page.file.src_uri)
        if saved is None:
            return False
        page.markdown, page.meta, page._title_from_render = saved["markdown"], dict(saved["meta"]), saved["title"]
        page.content, page.toc, page.present_anchor_ids = saved["content"], saved["toc"], set(saved["anchors"])
        return True


class _Silent(logging.Filter):
    """The terminal hears nothing from a page built first: whatever it says, the whole rebuild says it again."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


def language_of(url: str, later: tuple[str, ...]) -> str | None:
    """'en' for 'en/pillars/1.html' when 'en/' is a later language's folder; None for the default language."""
    return next((folder.rstrip("/") for folder in later if url.startswith(folder)), None)


def build_first(config, url: str, lang: str | None, states: PageStates) -> bool:
    """Build the page at `url` (relative to the site) in language `lang` (None: the default), alone, into the site
    folder. False when it cannot stand for the whole rebuild's page (see above): nothing is released then."""
    if not states.usable:
        return False
    i18n = config.plugins.get("i18n")
    if lang is not None:
        if i18n is None:
            return False
        # As hooks/one_language.py does: this language alone, and static-i18n builds no other after it.
        i18n.current_language, i18n.building = lang, True
    elif i18n is not None:
        i18n.building = True
    logger = logging.getLogger("mkdocs")
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    silent = _Silent()
    terminal = [h for h in logger.handlers if not isinstance(h, utils.CountHandler)]
    for handler in terminal:
        handler.addFilter(silent)
    logger.addHandler(counter)
    try:
        written = _build(config, url, states)
        return written and not counter.get_counts()
    except Exception as exc:  # noqa: BLE001 - the whole rebuild follows and reports it in its own words
        log.debug(f"{url} not built first: {exc}")
        return False
    finally:
        logger.removeHandler(counter)
        for handler in terminal:
            handler.removeFilter(silent)


def _build(config, url: str, states: PageStates) -> bool:
    # The steps of mkdocs.commands.build.build (MkDocs 1.6) up to the pages, for one page; no post_build step (search
    # index, feeds, downloads, sitemaps, 404 pages): the whole rebuild writes those.
    inclusion = InclusionLevel.is_in_serve
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    viewed = None
    for file in files.documentation_pages(inclusion=inclusion):
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        if file.dest_uri == url:
            viewed = file
        elif not states.restore(file.page):
            return False  # a page that the last rebuild did not have
    if viewed is None:
        return False
    mkdocs_build._populate_page(viewed.page, config, files)
    env = config.plugins.on_env(env, config=config, files=files)
    files.copy_static_files(inclusion=inclusion)  # unchanged ones stay (scripts/preview_site.py): they are checked
    doc_files = files.documentation_pages(inclusion=inclusion)
    mkdocs_build._build_page(viewed.page, config, doc_files, nav, env, excluded=viewed.inclusion.is_excluded())
    viewed.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    return True
