"""The Markdown experiment: the largest page converted as is, without abbreviations, and with abbr's fix."""
from __future__ import annotations

import shutil
from pathlib import Path

from .baseline import write_plain_project
from .common import ROOT, best_of
from .patches import ABBR_FIX

from macros.data.model import Plan  # noqa: E402


def markdown_experiment(plan: Plan, work: Path) -> dict:
    """Python-Markdown on the largest page (the French printable plan) with the site's extensions: as is,
    without the abbreviations, and with abbr's sibling lookup (list(parent).index(el), quadratic) replaced."""
    import markdown
    from markdown.extensions import abbr

    from mkdocs.utils.yaml import yaml_load
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as source:
        config = yaml_load(source)
    names, settings = [], {}
    for ext in config["markdown_extensions"]:
        name, options = next(iter(ext.items())) if isinstance(ext, dict) else (ext, None)
        names.append(name)
        if options:
            settings[name] = options
    project = work / "plain-md"
    write_plain_project(plan, project)
    pages = sorted((project / "docs" / "fr").rglob("*.md"), key=lambda p: -p.stat().st_size)
    sizes = [(p.relative_to(project / "docs" / "fr").as_posix(), round(p.stat().st_size / 1e3)) for p in pages[:6]]
    text = pages[0].read_text(encoding="utf-8")
    text = text.split("---\n", 2)[2] if text.startswith("---") else text

    def convert(extensions):
        return lambda: markdown.Markdown(extensions=extensions, extension_configs=settings).convert(text)

    found = {"page": sizes[0][0], "largest_pages_kb_fr": sizes,
             "convert_s": best_of(convert(names), 1),
             "convert_without_abbr_s": best_of(convert([n for n in names if n != "abbr"]), 1)}
    reference = convert(names)
    before = markdown.Markdown(extensions=names, extension_configs=settings).convert(text)
    original = abbr.AbbrTreeprocessor.iter_element
    exec(ABBR_FIX, {})  # the same walk, told each child's position instead of searching for it in its parent
    try:
        found["convert_abbr_indexed_s"] = best_of(reference, 1)
        found["abbr_indexed_same_html"] = markdown.Markdown(extensions=names, extension_configs=settings).convert(text) == before
    finally:
        abbr.AbbrTreeprocessor.iter_element = original
    shutil.rmtree(project, ignore_errors=True)
    return found
