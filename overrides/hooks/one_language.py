"""MkDocs hook: with SIP_LANGUAGE set, build that language alone (scripts/build.py runs one process per language)."""
from __future__ import annotations

import os

from mkdocs.plugins import event_priority


@event_priority(100)  # before static-i18n (-100) picks the language of the first build
def on_config(config, **kwargs):
    lang = os.environ.get("SIP_LANGUAGE", "")
    i18n = config.plugins.get("i18n")
    if not lang or i18n is None or i18n.current_language is not None:
        return config
    if lang not in i18n.build_languages:
        raise SystemExit(f"SIP_LANGUAGE={lang!r}: not one of the languages in mkdocs.yml ({', '.join(i18n.build_languages)})")
    i18n.current_language = lang
    # static-i18n builds the other languages from its on_post_build unless it believes it is already doing so.
    i18n.building = True
    return config
