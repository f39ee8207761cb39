"""The mkdocs-macros hooks: registers the page macros and hands each build's extra files to their writers."""
from __future__ import annotations

import gc
import os
import sys

from mkdocs.exceptions import PluginError

from . import environment
from .exchange.exports import licence, write_downloads
from .exchange.feed import write_feed
from .labels import labels
from .messages import say
from .data.load import load_plan
from .data.model import LANGUAGES
from .data.problems import DataError
from .views.describe import describe
from .views.render import Page, refresh_templates, render
from .views import pages
from .revisions.changes_json import write_changes_downloads
from .revisions.history import all_changes


def define_env(env) -> None:
    """Called by mkdocs-macros once per language build; the parsed plan is cached in `load`."""
    refused = environment.problems()
    if os.environ.get("SIP_SERVE"):
        # An editor replacing the file leaves none for a moment: the preview then says so at the file's path, as a
        # data error that the next save clears (SIP_DATA itself was checked when the preview started).
        refused = [line for line in refused if not line.startswith("SIP_DATA=")]
    if refused:  # a direct `mkdocs build` skips scripts/build.py, which checks them first
        raise PluginError("\n" + "\n".join(f"environment: {line}" for line in refused))
    # Theme templates read the labels too: the 404 page (its language's, one line in the other's), the footer's
    # colon, the theme's strings (overrides/partials/language.html).
    env.conf["extra"]["sip_labels"] = {lang: labels(lang) for lang in LANGUAGES}
    refresh_templates()  # a preview rebuild after a template was saved

    def current_page() -> Page:
        # Sources live in docs/<lang>/; links are computed from the language-neutral path.
        revision = env.conf["extra"].get("sip_revision") or {}  # a frozen revision's build (hooks/revision_prefix.py)
        return Page(env.conf.theme["language"], env.page.file.src_uri.split("/", 1)[1], site_url(env.conf),
                    revision.get("prefix", ""))

    try:
        plan = load_plan()
    except DataError as exc:
        if not os.environ.get("SIP_SERVE"):
            # PluginError ends the build with this message and no traceback.
            raise PluginError("\n" + exc.report()) from None
        # Live preview: say it in the terminal and on every page, and keep serving until the fix.
        if env.conf.theme["language"] == LANGUAGES[0]:  # once, not once per language
            print(exc.report() + "\n" + say("preview_fix_and_save"), file=sys.stderr)
        env.variables["sip_data_error"] = exc
        for name in pages.VIEWS:
            env.macro(_error_page(env, exc, current_page), name)
        return
    try:
        all_changes(plan)  # the frozen revisions are read and compared once, before any page needs them
    except DataError as exc:
        raise PluginError("\n" + exc.report()) from None
    if not os.environ.get("SIP_SERVE"):
        # The plan lives until the build ends: out of the cyclic collector's sight, which otherwise walks its
        # objects again at every full collection (1 s of 32 at 5,000 activities). Not in the preview, whose
        # earlier plans must stay collectable.
        gc.freeze()
    env.conf["extra"]["sip_footer"] = footer_lines(plan)
    env.conf["extra"]["sip_short_title"] = short_titles(plan)
    # The plan of this build, for every later step: a save during the build must not mix two versions of the data.
    env.variables["sip_plan"] = plan
    for name, view in pages.VIEWS.items():
        env.macro(_bind(name, view, plan, current_page, env), name)


def _error_page(env, exc, current_page):
    """The preview's page while the data has errors: the problems in the page's language, and no navigation (every
    page's title would be the error's heading, listed once per page)."""
    def macro(*args):
        env.page.meta["hide"] = sorted({*(env.page.meta.get("hide") or ()), "navigation"})
        return render("data_error.html", current_page(), problems=exc.problems)
    return macro


def footer_lines(plan) -> dict[str, str]:
    """The footer's data line per language: version and licence, as the data states them."""
    return {lang: labels(lang)["footer_data"].format(version=plan.meta.version, licence=licence(plan)(lang))
            for lang in LANGUAGES}


def short_titles(plan) -> dict[str, str]:
    """The header's title on a phone, per language: the plan's short title and years ("SIP 2022–2026")."""
    return {lang: f"{plan.meta.short_title(lang)} {plan.meta.period_start}–{plan.meta.period_end}" for lang in LANGUAGES}


def site_url(conf) -> str:
    """The site's absolute address with a trailing slash (SITE_URL, else extra.canonical_url), or '' when unknown."""
    url = conf.get("site_url") or conf["extra"].get("canonical_url") or ""
    return url.rstrip("/") + "/" if url else ""


def _bind(name, view, plan, current_page, env):
    def macro(*args):
        page = current_page()
        # The page's meta description (overrides/hooks/seo.py falls back to its first paragraphs).
        description = describe(plan, name, page.lang, *args)
        if description:
            env.page.meta["description"] = description
        try:
            return view(plan, page, *args)
        except DataError as exc:  # a frozen revision's file (Revisions page): the build stops naming it
            raise PluginError("\n" + exc.report()) from None
    macro.__doc__ = view.__doc__
    return macro


def on_post_page_macros(env) -> None:
    """Append, in the page's language, the footnotes it cites and its abbreviation tooltips."""
    if "sip_data_error" not in env.variables:
        env.markdown = pages.page_appendix(env.variables["sip_plan"], env.conf.theme["language"], env.markdown)


def on_post_build(env) -> None:
    """Write the downloads once, at the site root; and each language's report feed beside its pages."""
    if "sip_data_error" in env.variables:
        return
    plan, lang, url = env.variables["sip_plan"], env.conf.theme["language"], site_url(env.conf)
    revisions = all_changes(plan)  # computed once for every page already; [] without a frozen revision
    if lang == LANGUAGES[0]:
        write_downloads(plan, env.conf.site_dir, url)
        write_changes_downloads(revisions, plan.meta.version, env.conf.site_dir, url)
    write_feed(plan, env.conf.site_dir, lang, url, env.conf["extra"].get("tag_authority") or "", revisions)
