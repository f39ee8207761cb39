"""The site's public address as a build sees it, read without importing the site generation (scripts/build.py
decides with it, before anything else, how to run MkDocs)."""
from __future__ import annotations

import os
from pathlib import Path

import yaml


def configured_url(mkdocs_yml: Path) -> str:
    """The site's public address as the build sees it: SITE_URL, else `extra.canonical_url`; '' when unknown."""
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml holds !ENV tags; only the plain canonical_url is wanted here.
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=Loader) or {}
    url = os.environ.get("SITE_URL") or (config.get("extra") or {}).get("canonical_url") or ""
    return url.rstrip("/") + "/" if url else ""
