"""Frozen revisions published beside the current one (scripts/frozen.py, hooks/revision_prefix.py): pages at both
prefixes, the same as when they were current, a banner whose link follows the element, the language switcher kept
within the revision, built once and reused, old anchors that moved page, and a search index of current pages only.

One session fixture builds a plan with one frozen revision through the build's own pipeline (scripts/build.py
--worker, into a temporary folder: site/ and dist/ are not touched), then builds it a second time.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import posixpath
import re
import subprocess
import sys
import threading
import uuid
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from conftest import QuietHandler  # noqa: E402
from macros.data.load import load_plan  # noqa: E402
from permalinks import collect, explain, unresolved  # noqa: E402

OLD, NEW = "2023-11", "2025-06"
PREFIXES = {"fr": f"revisions/{OLD}/", "en": f"en/revisions/{OLD}/"}


def _block(lines: list[str], first: str) -> tuple[int, int]:
    """The lines of the activity whose id line is `first`."""
    start = lines.index(first)
    end = start + 1
    while lines[end].startswith("        "):
        end += 1
    return start, end


def next_revision(text: str) -> str:
    """The real plan revised: 2.3.2.1-4 renumbered 2.2.2.1-4 (same page), 3.1.1.1 renumbered 2.2.1.5 (another
    page), 2.2.1.4 retired."""
    text = text.replace(f'version: "{OLD}"', f'version: "{NEW}"', 1)
    for i in range(1, 5):
        text = text.replace(f'      - id: "2.3.2.{i}"\n', f'      - id: "2.2.2.{i}"\n        former_ids: ["2.3.2.{i}"]\n', 1)
    lines = text.split("\n")
    start, end = _block(lines, '      - id: "3.1.1.1"')
    moved = ['      - id: "2.2.1.5"', '        former_ids: ["3.1.1.1"]', *lines[start + 1:end]]
    del lines[start:end]
    start, end = _block(lines, '      - id: "2.2.1.4"')
    lines[start:end] = moved
    return "\n".join(lines) + ('retired:\n- id: "2.2.1.4"\n  pillar: "2"\n  note:\n'
                               '    fr: Achevée en 2023.\n    en: Completed in 2023.\n')


def worker(work: Path, data: Path) -> subprocess.CompletedProcess:
    work.mkdir()
    env = dict(os.environ, SIP_DATA=str(data), NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--worker", str(work)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result


def record_frozen(data: Path, version: str) -> None:
    """The frozen file in its folder's index, as make revision-freeze records it (a broken one too: the test wants
    the build, not make check, to find its mistake)."""
    import hashlib

    from macros.revisions.index import Entry, with_entry
    from macros.revisions.store import index_path
    frozen = data / "revisions" / f"{version}.yaml"
    index = index_path(data / "sip.yaml")
    text = with_entry(index, Entry(version, hashlib.sha256(frozen.read_bytes()).hexdigest(), 0, "2026-12-01"))
    index.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("revisions")
    data = root / "data"
    (data / "revisions").mkdir(parents=True)
    real = (ROOT / "data" / "sip.yaml").read_text(encoding="utf-8")
    # A comment unique to this session: the frozen file's bytes, hence its cache key, are new, so the first build
    # must build it and the second must reuse it.
    (data / "revisions" / f"{OLD}.yaml").write_text(real + f"# test session {uuid.uuid4()}\n", encoding="utf-8")
    (data / "sip.yaml").write_text(next_revision(real), encoding="utf-8")
    record_frozen(data, OLD)
    first = worker(root / "first", data / "sip.yaml")
    second = worker(root / "second", data / "sip.yaml")
    return SimpleNamespace(site=root / "first" / "site", dist=root / "first" / "dist", first=first.stdout,
                           second=second.stdout, second_site=root / "second" / "site", data=data, root=root)


@pytest.fixture(scope="session")
def as_when_current(built) -> Path:
    """The frozen revision's own offline zip (downloads/revisions/), unzipped: its site as it was when current."""
    dest = built.root / "own"
    with zipfile.ZipFile(built.site / "downloads" / "revisions" / f"sip-{OLD}-offline.zip") as bundle:
        bundle.extractall(dest)
    return dest / f"sip-{OLD}-offline"


def reference_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith("assets/") and p.name != "404.html")


def frozen_path(page: str) -> str:
    """Where a page of the revision as it was current is published now: 'en/x.html' -> 'en/revisions/<v>/x.html'."""
    return PREFIXES["en"] + page[3:] if page.startswith("en/") else PREFIXES["fr"] + page


# --- pages, sameness, banner, switcher ---------------------------------------------------------------------

def test_every_page_of_the_frozen_revision_is_published_at_both_prefixes(built, as_when_current):
    pages = reference_pages(as_when_current)
    assert len(pages) > 30 and "en/pillars/2.html" in pages
    missing = [page for page in pages if not (built.site / frozen_path(page)).is_file()]
    assert not missing
    for name in (f"sip-{OLD}-fr.pdf", f"sip-{OLD}-en.pdf", f"sip-{OLD}-offline.zip"):
        assert (built.site / "downloads" / "revisions" / name).stat().st_size > 10_000


_URL = re.compile(r'((?:href|src)=")([^"]*)(")|("(?:base|search)": ")([^"]*)(")|(new URL\(")([^"]*)(",location\))')
# Material's banner box holding our banner, and nothing else: the box is empty and absent when a page is current.
_BANNER = re.compile(r'\s*<aside class="md-banner">\s*<div class="md-banner__inner md-grid md-typeset">\s*'
                     r'<div class="sip-revision-banner".*?assets/javascripts/revision\.js"></script>\s*</div>\s*</aside>',
                     re.S)


def normalised(html: str, real_path: str, prefix: str = "") -> str:
    """The page with its banner cut out and every relative address replaced by the site path it leads to, with
    the revision's prefix taken out: what differs between the same page at two depths, and nothing else."""
    here = posixpath.dirname(real_path)

    def site_path(match: re.Match) -> str:
        start, value, end = (g for g in match.groups() if g is not None)
        if not value or re.match(r"[a-z]+:|#|//", value):
            return match[0]
        path = posixpath.normpath(posixpath.join(here, value)) + ("/" if value.endswith("/") else "")
        for lang_prefix, revision in (("en/", PREFIXES["en"]), ("", PREFIXES["fr"])):
            if prefix and path.startswith(revision):
                path = lang_prefix + path[len(revision):]
                break
        return f"{start}@{path}{end}"

    return _URL.sub(site_path, _BANNER.sub("", html) if prefix else html)


def test_a_frozen_page_is_the_page_built_when_its_revision_was_current(built, as_when_current):
    differ = []
    for page in reference_pages(as_when_current):
        then = (as_when_current / page).read_text(encoding="utf-8")
        now = (built.site / frozen_path(page)).read_text(encoding="utf-8")
        assert 'class="sip-revision-banner"' in now and 'class="md-banner' not in then
        if normalised(now, frozen_path(page), prefix="yes") != normalised(then, page):
            differ.append(page)
    assert not differ, f"frozen pages that differ from when they were current: {differ[:5]}"


def test_the_normalisation_is_narrow(as_when_current):
    """A changed word, or a link to another page, is still a difference once normalised."""
    page = "pillars/2.html"
    then = (as_when_current / page).read_text(encoding="utf-8")
    assert normalised(then.replace("Pilier 2", "Pilier 9", 1), page) != normalised(then, page)
    assert normalised(then.replace('href="1.html"', 'href="3.html"', 1), page) != normalised(then, page)


@pytest.mark.parametrize("lang, words, current", [("fr", "Ceci est la révision 2023-11", "Voir cet élément"),
                                                   ("en", "This is revision 2023-11", "See this element")])
def test_the_banner_speaks_the_page_language_and_leads_to_the_same_page_without_script(built, lang, words, current):
    page = PREFIXES[lang] + "pillars/2.html"
    soup = BeautifulSoup((built.site / page).read_text(encoding="utf-8"), "html.parser")
    banner = soup.select_one(".md-banner .sip-revision-banner")
    assert banner is not None and banner["lang"] == lang
    assert words in banner.get_text(" ", strip=True) and NEW in banner.get_text()
    link = banner.select_one("a.sip-revision-current")
    assert current in link.get_text()
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link["href"]))
    assert target == ("pillars/2.html" if lang == "fr" else "en/pillars/2.html")


def test_the_language_switcher_stays_within_the_revision(built):
    for lang, other in (("fr", "en"), ("en", "fr")):
        for path in sorted((built.site / PREFIXES[lang]).rglob("*.html")):
            page = path.relative_to(built.site).as_posix()
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            link = soup.select_one(f"a.md-select__link[hreflang={other}]")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link["href"]))
            assert target == PREFIXES[other] + page[len(PREFIXES[lang]):], page


def test_search_indexes_and_manifest_hold_only_current_pages(built):
    for index in (built.site / "search" / "search_index.json", built.site / "en" / "search" / "search_index.json"):
        locations = [doc["location"] for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]]
        assert locations and not [loc for loc in locations if "revisions/" in loc]
    urls = json.loads((built.site / "permalinks.json").read_text(encoding="utf-8"))["urls"]
    assert "pillars/2.html#a-2.2.2.1" in urls and not [u for u in urls if "revisions/" in u]
    assert not list((built.site / PREFIXES["fr"]).rglob("search_index.json"))


# --- built once ---------------------------------------------------------------------------------------------

def test_the_second_build_reuses_the_frozen_revision(built):
    lines = lambda out: [line for line in out.splitlines() if line.startswith("frozen revision")]  # noqa: E731
    assert lines(built.first) and all(": built (" in line for line in lines(built.first))
    assert lines(built.second) and all(": reused (" in line for line in lines(built.second))
    # Reused means linked from the cache as it was: the same file (inode) in both builds, and the cache's own.
    key = re.search(r"\(online\): reused \(\.cache/revisions/(\w+)\)", built.second)[1]
    page = PREFIXES["en"] + "pillars/2.html"
    cached = ROOT / ".cache" / "revisions" / key / page
    assert os.stat(built.second_site / page).st_ino == os.stat(built.site / page).st_ino == os.stat(cached).st_ino


# --- the banner's link and old anchors, in Chromium ---------------------------------------------------------

@pytest.fixture(scope="session")
def served(built):
    handler = functools.partial(QuietHandler, directory=str(built.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def unzipped(built):
    with zipfile.ZipFile(built.dist / f"sip-{NEW}-offline.zip") as bundle:
        bundle.extractall(built.root / "bundle")
    return (built.root / "bundle" / f"sip-{NEW}-offline").as_uri() + "/"


@pytest.fixture(params=["online", "offline"])
def where(request, browser, served, unzipped):
    base = served if request.param == "online" else unzipped
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield SimpleNamespace(base=base, page=page)
    context.close()


BANNER_CASES = [  # the fragment of a frozen page, and where the banner's link must lead in the current revision
    ("pillars/2.html#a-2.3.2.1", "pillars/2.html#a-2.2.2.1"),     # renumbered on the same page
    ("pillars/3.html#a-3.1.1.1", "pillars/2.html#a-2.2.1.5"),     # renumbered onto another page
    ("pillars/2.html#a-2.2.1.4", "pillars/2.html#a-2.2.1.4"),     # retired: its note
    ("pillars/1.html#a-1.1.1.2", "pillars/1.html#a-1.1.1.2"),     # unchanged
    ("owners.html#owner-glc", "owners.html#owner-glc"),           # not a plan element: same page, same anchor
]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_banner_link_follows_the_fragment(where, lang):
    lang_root = "" if lang == "fr" else "en/"
    for old, new in BANNER_CASES:
        where.page.goto(where.base + PREFIXES[lang] + old)
        href = where.page.eval_on_selector("a.sip-revision-current", "a => a.href")
        assert href == where.base + lang_root + new, old
    # The reader moves to another element of the same page: the link follows.
    where.page.goto(where.base + PREFIXES[lang] + "pillars/2.html#a-2.3.2.1")
    where.page.evaluate("location.hash = '#a-2.3.2.2'")
    where.page.wait_for_function("document.querySelector('a.sip-revision-current').href.endsWith('#a-2.2.2.2')")
    where.page.click("a.sip-revision-current")
    where.page.wait_for_url(where.base + lang_root + "pillars/2.html#a-2.2.2.2")
    assert where.page.is_visible("#a-2\\.2\\.2\\.2")


@pytest.mark.parametrize("lang, note", [("fr", "portait auparavant le numéro 3.1.1.1"),
                                        ("en", "previously numbered 3.1.1.1")])
def test_an_old_anchor_that_moved_page_lands_on_the_renumbered_element(where, lang, note):
    lang_root = "" if lang == "fr" else "en/"
    where.page.goto(where.base + lang_root + "pillars/3.html#a-3.1.1.1")
    where.page.wait_for_url(where.base + lang_root + "pillars/2.html#a-2.2.1.5")
    heading = where.page.locator("#a-2\\.2\\.1\\.5")
    assert heading.is_visible() and heading.bounding_box()["y"] < 300  # scrolled to it
    body = where.page.locator("#a-2\\.2\\.1\\.5 + .sip-activity")
    assert note in body.inner_text()


def test_without_script_the_old_page_says_where_the_element_went(built):
    for lang, words in (("fr", "porte désormais le numéro 2.2.1.5"), ("en", "is now numbered 2.2.1.5")):
        page = ("" if lang == "fr" else "en/") + "pillars/3.html"
        soup = BeautifulSoup((built.site / page).read_text(encoding="utf-8"), "html.parser")
        moved = soup.find(id="a-3.1.1.1")
        assert "sip-moved" in moved["class"] and words in moved.get_text()
        assert moved.find("a")["href"] == moved["data-sip-moved-to"] == "2.html#a-2.2.1.5"


# --- the manifest check -------------------------------------------------------------------------------------

def test_every_anchor_of_the_frozen_revision_resolves_in_the_current_one(built, as_when_current):
    manifest = {"version": OLD, "urls": collect(as_when_current)}
    assert "pillars/3.html#a-3.1.1.1" in manifest["urls"] and "en/pillars/2.html#a-2.2.1.4" in manifest["urls"]
    assert unresolved(manifest, built.site) == []


def test_a_refusal_names_both_anchors(built):
    plan = load_plan(built.data / "sip.yaml")
    # The data declares 3.1.1.1 renumbered as 2.2.1.5: if its old page lost the anchor, both are named.
    message = explain("en/pillars/3.html#a-3.1.1.1", plan)
    assert "en/pillars/3.html#a-3.1.1.1" in message and "en/pillars/2.html#a-2.2.1.5" in message
    message = explain("pillars/2.html#a-2.9.9.9", plan)
    assert "former_ids" in message and "retired" in message


# --- without a build ----------------------------------------------------------------------------------------

def test_the_banner_names_a_revision_by_what_the_data_records():
    from macros.revisions.banner import revision_name
    meta = SimpleNamespace(version=OLD)
    assert revision_name(meta, "en") == OLD
    meta = SimpleNamespace(version=OLD, state="draft", approved_on=None)
    assert (revision_name(meta, "fr"), revision_name(meta, "en")) == (f"{OLD} (projet)", f"{OLD} (draft)")
    meta = SimpleNamespace(version=NEW, state="approved", approved_on="2025-09-30")
    assert revision_name(meta, "en") == f"{NEW} (approved, 2025-09-30)"


FIXTURE = ROOT / "tests" / "fixtures" / "revisions" / "data"


def test_renumbered_outputs_of_the_revision_fixture_land_on_their_new_number():
    """The shared fixture: renumbered outputs, their activities and a retired activity."""
    from macros.revisions.current_map import revision_map
    from macros.revisions.anchors import landings
    current, frozen = load_plan(FIXTURE / "sip.yaml"), load_plan(FIXTURE / "revisions" / f"{OLD}.yaml")
    anchors = revision_map(sorted(landings(frozen)), current, ["pillars/2.html"])["anchors"]
    assert anchors["output-2.3.3"] == "pillars/2.html#output-2.2.3"
    assert anchors["a-2.3.3.1"] == "pillars/2.html#a-2.2.3.1" and anchors["a-2.3.2.4"] == "pillars/2.html#a-2.2.2.4"
    assert anchors["a-2.2.1.4"] == "pillars/2.html#a-2.2.1.4"  # retired: its note


def test_frozen_pages_and_moved_notes_are_valid_html(built):
    """The W3C checker on a frozen revision's pages (banner included) and on the page holding a moved note."""
    import shutil
    from test_w3c_html import VNU, theme_owned
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail("the W3C checker needs Java (apt-get install default-jre-headless) and `npm ci` (vnu-jar)",
                    pytrace=False)
    targets = [built.site / PREFIXES["fr"], built.site / PREFIXES["en"], built.site / "pillars" / "3.html"]
    result = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--skip-non-html", "--exit-zero-always",
                             *map(str, targets)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr)["messages"]
    assert not [m for m in messages if m["type"] == "non-document-error"], result.stderr[-2000:]
    # Proof that the checker read the pages: Material's own accepted findings are on every page.
    assert len({m["url"] for m in messages if theme_owned(m)}) == len(list(targets[0].rglob("*.html"))) * 2 + 1
    found = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
             if m["type"] in ("error", "info") and not theme_owned(m)
             and not m["message"].startswith("Trailing slash on void elements")]
    assert not found, "\n".join(found[:15])


def test_a_broken_frozen_revision_stops_the_build_naming_its_file_and_line(tmp_path):
    data = tmp_path / "data"
    (data / "revisions").mkdir(parents=True)
    real = (ROOT / "data" / "sip.yaml").read_text(encoding="utf-8")
    assert "owners: []" in real
    (data / "revisions" / f"{OLD}.yaml").write_text(real.replace("owners: []", "owners: [nobody]", 1)
                                                    + f"# {uuid.uuid4()}\n", encoding="utf-8")
    (data / "sip.yaml").write_text(next_revision(real), encoding="utf-8")
    record_frozen(data, OLD)
    (tmp_path / "work").mkdir()
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--worker", str(tmp_path / "work")],
                            cwd=ROOT, env=dict(os.environ, SIP_DATA=str(data / "sip.yaml")), capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 1
    assert re.search(rf"revisions/{OLD}\.yaml:\d+:\d+: activity [\d.]+: owner 'nobody' is not defined", result.stderr)
    assert "build failed" in result.stderr
    assert not list((ROOT / ".cache" / "revisions").glob(f"tmp-{OLD}-*")), "scratch folders left in the cache"


def test_every_download_on_the_revisions_page_is_published(built):
    for page in (built.site / "revisions.html", built.site / "en" / "revisions.html"):
        links = [a["href"] for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href]")
                 if "downloads/revisions/" in a["href"]]
        assert len(links) == 3, (page, links)  # the frozen revision's two PDFs and its offline zip
        for href in links:
            assert (page.parent / href).resolve().is_file(), (page, href)


def test_a_frozen_revision_with_reports_is_listed_with_the_names_its_files_get(tmp_path):
    # Its files are named after the quarter its statuses speak for (exchange/names.py), and so are its links.
    from macros.exchange.names import offline_zip, pdf, stem
    from macros.revisions.listing import revision_history
    base = (ROOT / "tests" / "fixtures" / "updates" / "base.yaml").read_text(encoding="utf-8")
    data = tmp_path / "data"
    (data / "revisions").mkdir(parents=True)
    (data / "revisions" / f"{OLD}.yaml").write_text(base, encoding="utf-8")
    (data / "sip.yaml").write_text(base.replace(f'version: "{OLD}"', f'version: "{NEW}"', 1), encoding="utf-8")
    record_frozen(data, OLD)
    frozen = load_plan(data / "revisions" / f"{OLD}.yaml")
    assert frozen.as_of.period_tag  # the fixture holds a report
    listed = {r.version: r for r in revision_history(load_plan(data / "sip.yaml"), data / "sip.yaml")}
    assert listed[OLD].files == stem(frozen)
    assert f"{listed[OLD].files}-fr.pdf" == pdf(frozen, "fr")
    assert f"{listed[OLD].files}-offline.zip" == offline_zip(frozen)
