"""MkDocs hook: work that every build repeated for nothing, done once: the theme's compiled templates, the listing
of the installed theme's files and mkdocs-macros' questions to git.

Every build (and every `make serve` rebuild, once per language) makes a new Jinja environment for the theme and
compiled Material's templates again: a fifth of a real-plan rebuild. They are kept on disk in .cache/; Jinja checks
each template's source before reusing its code, so an edited template is compiled afresh. Material's search plugin
makes two more environments per build for its translations (16 ms a build): every theme environment uses the cache.
mkdocs-macros also runs twelve git commands per language to offer `git` variables that no page uses: their answer
is kept per process. MkDocs lists and filters Material's ~14,000 theme files once per language to find the ~50 it
copies: the answer for the folders installed under site-packages (which cannot change while a process runs) is kept
per process, while the project's own theme folder (`overrides/`, small, edited during a preview) is listed afresh
every time.
"""
from __future__ import annotations

import functools
import os
import sysconfig
from pathlib import Path

import jinja2
from jinja2 import FileSystemBytecodeCache
from mkdocs import utils
from mkdocs.structure.files import File, Files
from mkdocs.theme import Theme


def cache_dir(config, name: str) -> Path:
    folder = Path(config.config_file_path).resolve().parent / ".cache" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def on_startup(**kwargs):
    try:
        from mkdocs_macros import context
    except ImportError:
        return
    if not hasattr(context.get_git_info, "cache_info"):
        context.get_git_info = functools.lru_cache(maxsize=1)(context.get_git_info)


def _installed(folder: str) -> bool:
    roots = {os.path.realpath(sysconfig.get_path(name)) + os.sep for name in ("purelib", "platlib")}
    return any(os.path.realpath(folder).startswith(root) for root in roots)


class _Listing:
    """Stands for the theme's Jinja environment in `Files.add_files_from_theme`: hands over fixed names and
    keeps the names MkDocs' own filter lets through (so the filter stays MkDocs', whatever its version)."""

    def __init__(self, names):
        self.names, self.kept = names, []

    def list_templates(self, extensions=None, filter_func=None):
        self.kept = [name for name in self.names if filter_func is None or filter_func(name)]
        return []


def _kept(add_files, config, folder: str) -> frozenset[str]:
    """The files of one theme folder that MkDocs would copy (its own filter decides)."""
    listing = _Listing(jinja2.FileSystemLoader(folder).list_templates() if os.path.isdir(folder) else [])
    add_files(Files([]), listing, config)
    return frozenset(listing.kept)


# Read by the function that the first load of this module patches in: it lives as long as the process.
_INSTALLED: dict = {}


def _cache_theme_listing() -> None:
    """Patch `Files.add_files_from_theme` once per process (this module is loaded afresh for every build)."""
    original = Files.add_files_from_theme
    if getattr(original, "sip_cached", False):
        return

    def add_files_from_theme(self, env, config):
        kept = []
        for folder in config.theme.dirs:
            if _installed(folder):
                key = (folder, tuple(sorted(config.theme.static_templates)), tuple(utils.markdown_extensions))
                if key not in _INSTALLED:
                    _INSTALLED[key] = _kept(original, config, folder)
                kept.append((folder, _INSTALLED[key]))
            else:
                kept.append((folder, _kept(original, config, folder)))
        # As MkDocs does: by path, the project's documents first, then the first theme folder holding the file.
        for path in sorted(set().union(*(names for _, names in kept))):
            if self.get_file_from_path(path) is None:
                folder = next(folder for folder, names in kept if path in names)
                self.append(File(path, folder, config.site_dir, config.use_directory_urls))

    add_files_from_theme.sip_cached, add_files_from_theme.original = True, original
    Files.add_files_from_theme = add_files_from_theme


def _cache_theme_envs(folder: Path) -> None:
    """Patch `Theme.get_env` once per process: the environments plugins make for themselves reuse compiled templates
    too (Jinja's cache is keyed by each template's file and checked against its source)."""
    original = Theme.get_env
    if getattr(original, "sip_cached", False):
        return

    def get_env(self):
        env = original(self)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        return env

    get_env.sip_cached, get_env.original = True, original
    Theme.get_env = get_env


def on_config(config, **kwargs):
    _cache_theme_listing()
    _cache_theme_envs(cache_dir(config, "jinja-theme"))
    return config


def on_env(env, config, files, **kwargs):
    env.bytecode_cache = FileSystemBytecodeCache(str(cache_dir(config, "jinja-theme")))
    return env
