"""mkdocs-macros entry point; the work is in `entry`, imported when MkDocs first calls in, so that tools importing
one module of the package (scripts/build.py, the exchange tools) do not pay for all of them."""
from __future__ import annotations


def define_env(env) -> None:
    from .entry import define_env as define
    define(env)


def on_post_page_macros(env) -> None:
    from .entry import on_post_page_macros as append
    append(env)


def on_post_build(env) -> None:
    from .entry import on_post_build as write
    write(env)
