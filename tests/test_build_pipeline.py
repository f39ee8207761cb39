"""The offline bundle, derived from the online build, is byte for byte what a full offline build makes."""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from offline import derive_offline  # noqa: E402

_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")
_GENERATED_AT = re.compile(rb'"generated_at": *"[^"]*"')


def comparable(name: str, data: bytes) -> bytes:
    """The bytes to compare: the sitemap's dates and the JSON's generated_at are the build's own timestamps."""
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    if "sitemap" in name:
        data = _LASTMOD.sub(b"<lastmod/>", data)
    return _GENERATED_AT.sub(b'"generated_at": ""', data) if name.endswith(".json") else data


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): comparable(p.name, p.read_bytes()) for p in folder.rglob("*") if p.is_file()}


def mkdocs(dest: Path, offline: bool) -> None:
    env = dict(os.environ, SIP_OFFLINE="true" if offline else "false", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def full_offline(full_offline_site) -> Path:
    """The offline site as the build made it before: a second, complete MkDocs build with the offline plugin on."""
    return full_offline_site


def assert_same(ours: dict[str, bytes], expected: dict[str, bytes]) -> None:
    expected = {name: data for name, data in expected.items() if name != "404.html"}  # see scripts/offline.py
    assert sorted(ours) == sorted(expected)
    differ = [name for name in expected if ours[name] != expected[name]]
    assert not differ, f"differ from the full offline build: {differ[:10]}"


@pytest.fixture(scope="module")
def one_process(tmp_path_factory) -> Path:
    """The online site as one MkDocs process builds it: static-i18n's languages one after the other."""
    dest = tmp_path_factory.mktemp("online") / "site"
    mkdocs(dest, offline=False)
    return dest


def test_the_derived_offline_site_is_the_full_offline_build(one_process, full_offline, tmp_path):
    derive_offline(one_process, tmp_path / "derived")
    assert_same(tree(tmp_path / "derived"), tree(full_offline))
    # Derived with links, never by writing into the online site.
    assert not list(one_process.rglob("search_index.js"))


def test_the_languages_built_apart_make_the_site_one_process_makes(site_dir, one_process):
    # `make build` without a site address builds each language in its own process (SIP_LANGUAGE) and merges them.
    ours = tree(site_dir)
    assert ours.pop("permalinks.json"), "scripts/build.py writes the permalink manifest after MkDocs"
    expected = tree(one_process)
    assert sorted(ours) == sorted(expected)
    differ = [name for name in expected if ours[name] != expected[name]]
    assert not differ, f"differ from the one-process build: {differ[:10]}"
    # The split search index of each language holds that language's pages only.
    fr_index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert fr_index["docs"] and not any(doc["location"].startswith("en/") for doc in fr_index["docs"])


def test_the_offline_zip_holds_the_full_offline_build(site_dir, full_offline, plan):
    from macros.exchange import names
    bundle = ROOT / "dist" / names.offline_zip(plan)
    top = bundle.name.removesuffix(".zip") + "/"
    with zipfile.ZipFile(bundle) as archive:
        entries = {name[len(top):]: comparable(name, archive.read(name)) for name in archive.namelist()}
    assert entries.pop("LISEZMOI-README.txt")
    expected = {name: data for name, data in tree(full_offline).items() if not name.endswith(".map")}
    assert_same(entries, expected)


def test_the_pages_workflow_build_with_an_address(tmp_path):
    """scripts/build.py with SITE_URL, as the Pages workflow runs it: one MkDocs process for both languages, a full
    offline build beside it, PDFs linking to the site; in a copy of the project, so that site/ stays as it is."""
    import subprocess as sp

    from pypdf import PdfReader

    from conftest import project_copy

    copy = project_copy(tmp_path / "project")
    url = "https://example.org/sip/"
    env = dict(os.environ, SITE_URL=url, NO_MKDOCS_2_WARNING="1")
    env.pop("SIP_DATA", None)
    result = sp.run([sys.executable, "scripts/build.py"], cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    site, dist = copy / "site", copy / "dist"
    assert f"<loc>{url}en/index.html</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert (site / "en" / "404.html").exists() or (site / "404.html").exists()
    pdfs = sorted(p for p in dist.glob("sip-*.pdf") if not p.name.startswith("sip-latest-"))
    assert [p.name[-6:] for p in pdfs] == ["en.pdf", "fr.pdf"]
    assert sorted(p.name for p in dist.glob("sip-latest-*")) == ["sip-latest-en.pdf", "sip-latest-fr.pdf",
                                                                  "sip-latest-offline.zip"]
    uris = [str(a.get_object()["/A"].get("/URI")) for page in PdfReader(pdfs[1]).pages
            for a in page.get("/Annots") or [] if a.get_object().get("/A") and "/URI" in a.get_object()["/A"]]
    assert any(uri.startswith(url) for uri in uris), "links to other pages of the site point to its address"
    with zipfile.ZipFile(next(dist.glob("sip-*-offline.zip"))) as bundle:
        names = bundle.namelist()
        assert not any(name.endswith("sitemap.xml") for name in names), "the offline bundle has no sitemap"
        home = bundle.read(next(n for n in names if n.endswith("-offline/index.html"))).decode("utf-8")
    alternate = re.compile(r'<link[^>]*rel="alternate"[^>]*hreflang')
    assert alternate.search((site / "index.html").read_text(encoding="utf-8")), "online pages name their translations"
    assert not alternate.search(home), "offline pages carry no hreflang links"
    assert "search_index.js" in " ".join(names)
    # Where the seconds went (scripts/build_timeline.py): the steps in order, each MkDocs process's phases within its time.
    timeline = json.loads((copy / ".cache" / "build-timeline.json").read_text(encoding="utf-8"))
    ends = [step["at_s"] for step in timeline["steps"]]
    assert ends == sorted(ends) and ends[0] > 0
    assert [step["step"] for step in timeline["steps"]][1:3] == ["MkDocs online fr+en finished", "MkDocs offline finished"]
    assert "PDFs printed" in [step["step"] for step in timeline["steps"]], "a fresh copy has no PDF to reuse"
    processes = {process["variant"]: process for process in timeline["mkdocs"]}
    assert set(processes) == {"online", "offline"}
    for process in processes.values():
        phases = [value for name, value in process.items() if name.endswith("_s") and name not in ("started_at_s", "done_at_s")]
        assert process["pages"] >= 2 * 20 and all(value >= 0 for value in phases)
        assert process["views_s"] > 0 and process["markdown_s"] > 0 and process["theme_s"] > 0
        assert sum(phases) <= process["done_at_s"] - process["started_at_s"] + 0.05, process
