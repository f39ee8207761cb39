"""No broken internal link, online or offline, in either language: every file and every anchor exists.

The checker is scripts/linkcheck.py (standard library only); this is its one implementation, for the suite and
for anyone with a built site: `python scripts/linkcheck.py site`.
"""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from linkcheck import Broken, check_site  # noqa: E402

# Pages every build must have checked, in both languages: if they were missing, "0 broken" would prove little.
MUST_CHECK = ["404.html", "index.html", "pillars/1.html", "owners.html", "glossary.html", "reports.html",
              "en/index.html", "en/pillars/4.html", "en/owners.html", "en/glossary.html", "en/reports.html"]


@pytest.fixture(scope="module")
def offline_site(site_dir, tmp_path_factory) -> Path:
    """The offline bundle, unzipped: one top folder holding the whole site."""
    # One bundle, named after its data, and its stable alias sip-latest-offline.zip (the same bytes).
    bundles = sorted(p for p in (ROOT / "dist").glob("*-offline.zip") if not p.name.startswith("sip-latest-"))
    assert len(bundles) == 1, f"expected one offline bundle in dist/, found {bundles} (run make build)"
    with zipfile.ZipFile(bundles[0]) as bundle:
        tops = {name.split("/", 1)[0] for name in bundle.namelist()}
        assert len(tops) == 1, f"the bundle must hold one top folder, not {sorted(tops)}"
        folder = tmp_path_factory.mktemp("offline")
        bundle.extractall(folder)
    return folder / tops.pop()


@pytest.mark.parametrize("which", ["online", "offline"])
def test_every_internal_link_of_the_site_lands_on_an_existing_file_and_anchor(request, which):
    site = request.getfixturevalue("site_dir" if which == "online" else "offline_site")
    report = check_site(site, offline=which == "offline")
    assert not report.broken, "\n".join(map(str, report.broken)) + "\n" + report.summary()
    # The bundle is opened from file://, where no server shows a 404 page: it leaves that page out.
    must = [name for name in MUST_CHECK if which == "online" or name != "404.html"]
    missing = [name for name in must if not (site / name).is_file()]
    assert not missing, f"{which}: pages not built: {missing}"
    assert report.pages >= 40 and report.links >= 2000, report.summary()


def test_the_command_line_prints_a_summary_and_exits_0_on_the_built_site(site_dir):
    result = subprocess.run([sys.executable, "scripts/linkcheck.py", str(site_dir)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].endswith(" links, 0 broken"), result.stdout


def test_the_404_page_switches_language_to_the_home_pages(site_dir):
    from bs4 import BeautifulSoup

    doc = BeautifulSoup((site_dir / "404.html").read_text(encoding="utf-8"), "html.parser")
    targets = {a["hreflang"]: a["href"] for a in doc.select("a.md-select__link[hreflang]")}
    assert {lang: href.lstrip("/") for lang, href in targets.items()} == {"fr": "index.html", "en": "en/index.html"}


# --- The checker itself, on a small site with one link of each kind -------------------------------------------------

PAGES = {
    "index.html": """<html><head><link rel="stylesheet" href="assets/site.css"><script src="assets/missing.js"></script>
      </head><body id="top">
      <a href="en/">folder</a> <a href="en/index.html#intro">anchor</a> <a href="en/index.html#nowhere">bad anchor</a>
      <a href="#top">top</a> <a href="#">page top</a> <a href="#gone">bad local anchor</a> <a name="old-anchor"></a>
      <a href="missing.html">missing</a> <a href="caf%C3%A9.html#x">encoded</a> <a href="index.html?q=1">query</a>
      <a href="https://example.org/x">external</a> <a href="mailto:a@example.org">mail</a> <a href="//cdn.example.org/x.js">cdn</a>
      <img src="data:image/png;base64,AAAA"> <img src="img/logo.png">
      <a href="javascript:alert(1)">js</a> <a href="JavaScript:void(0)">js</a> <a href="ftp://example.org/f">ftp</a>
      <a href="../outside.html">outside</a> <a href="/en/index.html#intro">root-absolute</a> <a href="/nope.html">root-absolute missing</a>
      </body></html>""",
    "en/index.html": """<html><body><h1 id="intro">Intro</h1><a href="../index.html#old-anchor">name anchor</a>
      <a href="java
      script:alert(1)">split</a><meta http-equiv="refresh" content="0; url=../moved.html"></body></html>""",
    "café.html": """<p id="x">accents</p>""",
}
FILES = {"assets/site.css": "", "img/logo.png": ""}
EXPECTED_BROKEN = [
    Broken("en/index.html", "../moved.html", "no such file"),
    Broken("en/index.html", "java\n      script:alert(1)", "javascript: link"),
    Broken("index.html", "assets/missing.js", "no such file"),
    Broken("index.html", "en/index.html#nowhere", "no id 'nowhere' in en/index.html"),
    Broken("index.html", "#gone", "no id 'gone'"),
    Broken("index.html", "missing.html", "no such file"),
    Broken("index.html", "javascript:alert(1)", "javascript: link"),
    Broken("index.html", "JavaScript:void(0)", "javascript: link"),
    Broken("index.html", "ftp://example.org/f", "unexpected scheme ftp:"),
    Broken("index.html", "../outside.html", "outside the site"),
    Broken("index.html", "/nope.html", "no such file"),
]


@pytest.fixture
def small_site(tmp_path) -> Path:
    site = tmp_path / "site"
    for name, text in {**PAGES, **FILES}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (tmp_path / "outside.html").write_text("", encoding="utf-8")  # exists, but is not part of the site
    return site


def test_the_checker_finds_each_kind_of_broken_link_and_nothing_else(small_site):
    report = check_site(small_site)
    assert sorted(report.broken, key=str) == sorted(EXPECTED_BROKEN, key=str)
    # 3 pages; external links (https, mailto, //host, data:) are skipped, not counted.
    assert (report.pages, report.links) == (3, 21)


def test_offline_a_root_absolute_link_is_broken_except_in_the_404_page(small_site):
    (small_site / "404.html").write_text('<a href="/index.html">home</a>', encoding="utf-8")
    broken = {b for b in check_site(small_site, offline=True).broken} - set(EXPECTED_BROKEN)
    assert broken == {Broken("index.html", "/en/index.html#intro",
                             "root-absolute link, which file:// resolves from the disk's root")}


def test_the_command_line_lists_each_broken_link_and_exits_1(small_site):
    result = subprocess.run([sys.executable, "scripts/linkcheck.py", str(small_site)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "index.html: missing.html (no such file)" in lines
    assert "index.html: javascript:alert(1) (javascript: link)" in lines
    assert lines[-1] == f"3 pages, 21 links, {len(EXPECTED_BROKEN)} broken"
