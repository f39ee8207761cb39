"""The 404 page finds its styles, scripts, search index and links: online with and without SITE_URL, and offline."""
from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://example.org/sip/"


def references(html: str) -> tuple[str, list[str]]:
    """The page's __config base, and every href/src of a link, script, image or anchor (fragments and mail aside)."""
    doc = BeautifulSoup(html, "html.parser")
    base = json.loads(doc.find("script", id="__config").string)["base"]
    refs = [el.get("href") or el.get("src") for el in doc.find_all(["link", "script", "img", "a"])
            if el.get("href") or el.get("src")]
    return base, [r for r in refs if not r.startswith(("#", "mailto:"))]


def assert_served_from(root: Path, prefix: str, base: str, refs: list[str]) -> None:
    """Each reference is under `prefix` (the site's path on its server) and names a file of the built site."""
    assert base == prefix + "en/", base
    for ref in refs:
        path = urlsplit(ref).path if ref.startswith("https://") else ref
        assert path.startswith(prefix) and not path.startswith("//"), ref
        assert (root / path[len(prefix):]).is_file(), ref


def test_404_without_site_url_uses_the_server_root(site_dir):
    base, refs = references((site_dir / "404.html").read_text(encoding="utf-8"))
    assert refs
    assert_served_from(site_dir, "/", base, refs)


def test_404_with_site_url_uses_its_path(tmp_path):
    env = dict(os.environ, SITE_URL=SITE_URL, SIP_OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    base, refs = references((tmp_path / "site" / "404.html").read_text(encoding="utf-8"))
    assert_served_from(tmp_path / "site", "/sip/", base, refs)
    home = [r for r in refs if r.endswith("index.html")]
    assert f"{SITE_URL}index.html" in home and f"{SITE_URL}en/index.html" in home, home


@pytest.fixture(scope="module")
def bundle(site_dir, tmp_path_factory) -> Path:
    zips = sorted((ROOT / "dist").glob("sip-*-offline.zip"))
    assert zips, "dist/ holds no offline bundle"
    folder = tmp_path_factory.mktemp("bundle")
    with zipfile.ZipFile(zips[-1]) as archive:
        archive.extractall(folder)
    return next(folder.iterdir())


@pytest.fixture(scope="module")
def full_offline_site(tmp_path_factory) -> Path:
    """A full `SIP_OFFLINE=true` build: what the bundle is made of when the site has a public address."""
    dest = tmp_path_factory.mktemp("full-offline") / "site"
    env = dict(os.environ, SIP_OFFLINE="true", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return dest


def assert_relative(root: Path) -> None:
    base, refs = references((root / "404.html").read_text(encoding="utf-8"))
    assert base == "./en/", base
    assert refs
    for ref in refs:
        assert not re.match(r"[a-z]+:|/", ref), f"not relative: {ref}"
        assert (root / posixpath.normpath(ref.split("#")[0])).is_file(), ref


def test_the_bundle_derived_from_the_online_build_leaves_the_server_s_404_page_out(bundle):
    # Opened from file://, no server ever shows a 404 page; the online one's server-root paths would be dead there.
    assert not (bundle / "404.html").exists()
    assert (bundle / "index.html").is_file() and (bundle / "en" / "index.html").is_file()


def test_404_of_a_full_offline_build_uses_relative_paths(full_offline_site):
    assert_relative(full_offline_site)


def test_404_of_a_full_offline_build_opens_styled_from_the_file_system(full_offline_site, browser):
    context = browser.new_context()
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto((full_offline_site / "404.html").as_uri())
    page.wait_for_load_state("load")
    # Material's language selector asks for sitemap.xml, which a browser never reads from file:// (every offline
    # page does this; the switcher then follows its plain link). Everything the page itself needs must load.
    assert not [url for url in failed if not url.endswith("sitemap.xml")], failed
    # Material's stylesheet is applied: the header is fixed at the top, and the search box is there.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    assert page.locator("h1").count() == 1 and page.locator("h1 [lang=fr]").inner_text()
    assert page.locator("a.md-select__link[hreflang=en]").get_attribute("href") == "./en/index.html"
    context.close()
