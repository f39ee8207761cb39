"""MkDocs hook: work that every build repeated for nothing, done once: the theme's compiled templates and
mkdocs-macros' questions to git.

Every build (and every `make serve` rebuild, once per language) makes a new Jinja environment for the theme and
compiled Material's templates again: a fifth of a real-plan rebuild. They are kept on disk in .cache/; Jinja checks
each template's source before reusing its code, so an edited template is compiled afresh. mkdocs-macros also runs
twelve git commands per language to offer `git` variables that no page uses: their answer is kept per process.
"""
from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import FileSystemBytecodeCache


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


def on_env(env, config, files, **kwargs):
    env.bytecode_cache = FileSystemBytecodeCache(str(cache_dir(config, "jinja-theme")))
    return env
