"""MkDocs hook: with SIP_REVISION_PREFIX=revisions/<version>, build a frozen revision's pages under that prefix.

scripts/build.py builds each frozen revision (SIP_DATA=<its file>) with this variable set, and publishes only
`revisions/<v>/` and `en/revisions/<v>/` of the result. Every documentation page moves under the prefix once
static-i18n and hooks/report_pages.py have laid out the files, so page paths, anchors and relative links stay as
they were when the revision was current, the language switcher stays within the revision, and theme assets, search
and its index are the current site's (base_url leads to the root). Each page gets the revision banner
(partials/sip-revision.html); SIP_CURRENT_DATA names the current revision's data file, for its name in the banner.
Without the variable this hook does nothing.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

PREFIX_VAR, CURRENT_VAR = "SIP_REVISION_PREFIX", "SIP_CURRENT_DATA"
_PREFIX = re.compile(r"revisions/[0-9A-Za-z][0-9A-Za-z._-]{0,31}")


def revision_prefix() -> str:
    """'revisions/<version>' for a frozen revision's build, '' for the current one."""
    value = os.environ.get(PREFIX_VAR, "")
    if value and not _PREFIX.fullmatch(value):
        raise SystemExit(f"{PREFIX_VAR}={value!r}: expected revisions/<version>, e.g. {PREFIX_VAR}=revisions/2023-11")
    return value


def prefixed(url: str, prefix: str, langs: list[str], default: str) -> str:
    """'en/pillars/1.html' -> 'en/revisions/v/pillars/1.html'; the default language has no folder."""
    head, _, rest = url.partition("/")
    if head in langs and head != default and rest:
        return f"{head}/{prefix}/{rest}"
    return f"{prefix}/{url}"


def on_config(config, **kwargs):
    prefix = revision_prefix()
    if not prefix:
        return config
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.data.load import load_plan
    from macros.revisions.banner import banner
    current = os.environ.get(CURRENT_VAR, "")
    if not current:
        raise SystemExit(f"{PREFIX_VAR} is set but {CURRENT_VAR} is not: name the current revision's data file")
    frozen_meta, current_meta = load_plan().meta, load_plan(Path(current)).meta
    config.extra["sip_revision"] = {"prefix": prefix, "version": frozen_meta.version,
                                    "banner": banner(frozen_meta, current_meta)}
    return config


def _move(file, prefix: str, langs: list[str], default: str, site_dir: str) -> None:
    if not hasattr(file, "dest_uri"):  # a placeholder alternate (hooks/report_pages.py): its address alone
        file.url = prefixed(file.url, prefix, langs, default)
        return
    file.dest_uri = prefixed(file.dest_uri, prefix, langs, default)
    file.url = file._get_url()
    # static-i18n's files carry a dest_dir that is not the site's: the written path is set, as static-i18n does.
    file.abs_dest_path = os.path.normpath(os.path.join(site_dir, file.dest_uri))


@event_priority(-300)  # after static-i18n (-100) and hooks/report_pages.py (-200) made every page and alternate
def on_files(files, config, **kwargs):
    prefix = revision_prefix()
    if not prefix:
        return files
    i18n = config.plugins.get("i18n")
    langs = [lang.locale for lang in i18n.config.languages]
    default = next(lang.locale for lang in i18n.config.languages if lang.default)
    moved: set[int] = set()
    for file in files.documentation_pages():
        for each in (file, *getattr(file, "alternates", {}).values()):
            if id(each) not in moved:
                moved.add(id(each))
                _move(each, prefix, langs, default, config.site_dir)
    return files


@event_priority(-50)  # before static-i18n (-100) looks for the home page among unprefixed addresses
def on_nav(nav, config, files, **kwargs):
    prefix = revision_prefix()
    if prefix and nav.homepage is None:
        lang = config.theme["language"]
        i18n = config.plugins.get("i18n")
        default = next(lang.locale for lang in i18n.config.languages if lang.default)
        home = prefixed("index.html" if lang == default else f"{lang}/index.html", prefix, [lang], default)
        nav.homepage = next((page for page in nav.pages if page.url == home), None)
        if nav.homepage is not None and lang == default:
            # MkDocs decides `is_homepage` from the address alone (index.html at the root), and the theme titles the
            # home page by it: the revision's home keeps the title it had when it was current.
            nav.homepage.__class__ = type("FrozenHomePage", (type(nav.homepage),), {"is_homepage": True})
    return nav
