"""Material's table-of-contents lookup, made linear by overrides/hooks/search_toc.py, gives Material's answers."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import markdown
from mkdocs.structure.toc import get_toc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))

import search_toc  # noqa: E402


def table_of_contents(seed: int):
    rng = random.Random(seed)
    lines = []
    for _ in range(rng.randint(1, 60)):
        level = rng.randint(1, 6)
        name = rng.choice(["a", "b", "c", "pillar", "1.1", "x y"])
        # Explicit ids repeat on purpose: the first in document order must win, as in Material's walk.
        lines.append(f"{'#' * level} {name} {{ #{rng.choice(['dup', 'one', name.replace(' ', '-')])} }}"
                     if rng.random() < 0.5 else f"{'#' * level} {name}")
    md = markdown.Markdown(extensions=["toc", "attr_list"])
    md.convert("\n\n".join(lines))
    return get_toc(md.toc_tokens)


def ids(toc):
    for item in toc:
        yield item.id
        yield from ids(item.children)


def test_the_linear_lookup_answers_as_materials_walk():
    assert search_toc._ORIGINAL is not None, "Material's SearchIndex._find_toc_by_id is gone: review the hook"

    class Materials(search_toc.SearchIndex):
        _find_toc_by_id = search_toc._ORIGINAL  # its own recursion, even where the hook replaced the method

    material = Materials()
    for seed in range(300):
        toc = table_of_contents(seed)
        for anchor in [*ids(toc), "missing", "", None]:
            assert search_toc.find_toc_by_id(None, toc, anchor) is material._find_toc_by_id(toc, anchor), (seed, anchor)


def test_the_hook_is_installed_in_builds(site_dir):
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert "overrides/hooks/search_toc.py" in config["hooks"]
