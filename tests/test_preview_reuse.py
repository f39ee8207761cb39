"""What builds and previews reuse from earlier builds: never a stale file, never a hidden warning.

Small MkDocs projects built in this process, several times, as `make serve` rebuilds: the Markdown conversions the
preview reuses (scripts/preview_reuse.py) and the theme file listing every build keeps (hooks/build_cache.py).
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.structure.files import Files, get_files  # noqa: E402

from scripts.preview_reuse import RenderCache, SearchCache  # noqa: E402


class Messages(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record) -> None:
        self.lines.append(record.getMessage())


def build_project(project: Path) -> list[str]:
    """Build `project` as a preview rebuild does (a fresh configuration each time); the messages it logged."""
    messages = Messages()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(messages)
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"))
        build(config, serve_url="http://127.0.0.1:1/")
    finally:
        logger.removeHandler(messages)
    return messages.lines


def pages(project: Path) -> dict[str, str]:
    return {p.relative_to(project / "site").as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((project / "site").rglob("*.html"))}


@pytest.fixture()
def cache():
    renders = RenderCache()
    renders.install()
    yield renders
    renders.uninstall()


@pytest.fixture()
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the theme prints the build date
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nuse_directory_urls: false\ntheme: {name: mkdocs}\n"
                                         "validation: {anchors: warn}\n"
                                         "markdown_extensions: [toc, abbr, footnotes]\n", encoding="utf-8")
    docs = {"index.md": "# Home\n\nSee [the other page](other.md#part) and the WFP[^1].\n\n[^1]: A note.\n\n"
                        "*[WFP]: World Food Programme\n",
            "other.md": "# Other\n\n## Part\n\nText.\n",
            "third.md": "# Third\n\nPlain text.\n"}
    for name, text in docs.items():
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_unchanged_pages_are_reused_and_give_the_same_site(project, tmp_path_factory, cache):
    build_project(project)
    assert (cache.converted, cache.reused) == (3, 0)
    first = pages(project)
    build_project(project)
    assert (cache.converted, cache.reused) == (3, 3)
    assert pages(project) == first
    (project / "docs" / "third.md").write_text("# Third\n\nEdited text.\n", encoding="utf-8")
    build_project(project)
    assert (cache.converted, cache.reused) == (4, 5)
    assert "Edited text." in pages(project)["third.html"]
    # The same site as a build that reuses nothing: content, table of contents, title, abbreviations, footnotes.
    cache.uninstall()
    build_project(project)
    fresh = pages(project)
    cache.install()
    build_project(project)
    assert (cache.converted, cache.reused) == (4, 8)
    assert pages(project) == fresh


def test_a_link_to_a_file_that_disappeared_still_warns_on_every_rebuild(project, cache):
    assert not [m for m in build_project(project) if "not found" in m]
    (project / "docs" / "other.md").unlink()  # index.md is unchanged, but its link now leads nowhere
    for _ in range(2):
        lines = build_project(project)
        assert any("index.md" in m and "other.md" in m and "not found" in m for m in lines), lines
    (project / "docs" / "other.md").write_text("# Other\n\n## Part\n\nText.\n", encoding="utf-8")
    assert not [m for m in build_project(project) if "not found" in m]


def test_an_anchor_that_disappeared_still_warns(project, cache):
    build_project(project)
    (project / "docs" / "other.md").write_text("# Other\n\nNo part any more.\n", encoding="utf-8")
    lines = build_project(project)
    assert any("index.md" in m and "#part" in m for m in lines), lines


def theme_project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "overrides" / "assets").mkdir(parents=True)
    hook = (ROOT / "overrides" / "hooks" / "build_cache.py").as_posix()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nuse_directory_urls: false\ntheme: {name: material, custom_dir: overrides, font: false}\n"
        f"hooks: ['{hook}']\nplugins: []\n", encoding="utf-8")
    return tmp_path


def test_files_added_to_or_removed_from_overrides_are_picked_up_by_the_next_build(tmp_path):
    project = theme_project(tmp_path)
    build_project(project)
    site = project / "site"
    favicon = site / "assets" / "images" / "favicon.png"
    material_favicon = favicon.read_bytes()
    assert not (site / "assets" / "extra.txt").exists()
    (project / "overrides" / "assets" / "extra.txt").write_text("added", encoding="utf-8")
    (project / "overrides" / "assets" / "images").mkdir()
    (project / "overrides" / "assets" / "images" / "favicon.png").write_bytes(b"our icon")
    build_project(project)
    assert (site / "assets" / "extra.txt").read_text(encoding="utf-8") == "added"
    assert favicon.read_bytes() == b"our icon"  # the project's theme folder wins over Material's
    (project / "overrides" / "assets" / "extra.txt").unlink()
    (project / "overrides" / "assets" / "images" / "favicon.png").unlink()
    build_project(project)
    assert not (site / "assets" / "extra.txt").exists()
    assert favicon.read_bytes() == material_favicon


def test_the_kept_theme_listing_is_what_mkdocs_lists(tmp_path):
    theme_project(tmp_path)
    build_project(tmp_path)  # loads the hook, which keeps the listing from then on
    patched = Files.add_files_from_theme
    assert getattr(patched, "sip_cached", False)
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    # As static-i18n configures it: its sitemap folder (installed) before the project's overrides.
    import mkdocs_static_i18n
    config.theme.dirs.insert(0, str(Path(mkdocs_static_i18n.__file__).parent / "custom_i18n_sitemap"))

    def listing(add):
        files = get_files(config)
        add(files, config.theme.get_env(), config)
        return [(f.src_uri, f.abs_src_path, f.dest_uri) for f in files]

    assert listing(patched) == listing(patched.original)
    assert len(listing(patched)) > 40


def search_project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    docs = {"index.md": "# Home\n\nWelcome.\n\n## First part\n\nThe WFP runs it.\n",
            "other.md": "---\nsearch:\n  boost: 2\n---\n# Other\n\n## Part\n\nText.\n",
            "third.md": "# Third\n\nPlain text.\n"}
    for name, text in docs.items():
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nuse_directory_urls: false\ntheme: {name: material, font: false}\nplugins: [search]\n",
        encoding="utf-8")
    return tmp_path


def search_index(project: Path) -> str:
    return (project / "site" / "search" / "search_index.json").read_text(encoding="utf-8")


def test_search_entries_of_unchanged_pages_are_reused_and_give_the_same_index(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = search_project(tmp_path)
    searches = SearchCache()
    searches.install()
    try:
        for _ in range(2):
            searches.next_rebuild()
            build_project(project)
        assert (searches.indexed, searches.reused) == (3, 3)
        (project / "docs" / "third.md").write_text("# Third\n\n## New section\n\nEdited text.\n", encoding="utf-8")
        searches.next_rebuild()
        build_project(project)
        assert (searches.indexed, searches.reused) == (4, 5)
        kept = search_index(project)
        assert "Edited text." in kept and "Plain text." not in kept
    finally:
        searches.uninstall()
    build_project(project)  # nothing reused: the index every page's entries are made afresh for
    assert search_index(project) == kept
