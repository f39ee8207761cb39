"""Pillar pages and their nav entries come from the data: plans with 3 or 6 pillars build with no page to add."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "tests" / "fixtures" / "plans"
SITE_URL = "https://example.org/sip/"


@pytest.fixture(scope="module", params=[3, 6])
def built(request, tmp_path_factory):
    fixture = PLANS / f"pillars-{request.param}.yaml"
    site = tmp_path_factory.mktemp(f"pillars-{request.param}") / "site"
    # With a site address, as published: the sitemaps are written only then (they must be absolute).
    env = dict(os.environ, SIP_DATA=str(fixture), NO_MKDOCS_2_WARNING="1", SIP_OFFLINE="false", SITE_URL=SITE_URL)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    pillars = yaml.safe_load(fixture.read_text(encoding="utf-8"))["pillars"]
    return site, pillars


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_pillar_stub_is_committed():
    assert not list((ROOT / "docs").glob("*/pillars/*.md"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_pillar_has_its_page_with_its_anchors(built, lang):
    site, pillars = built
    root = site if lang == "fr" else site / "en"
    for pillar in pillars:
        doc = parse(root / "pillars" / f"{pillar['id']}.html")
        assert doc.find(id=f"pillar-{pillar['id']}") is not None
        assert pillar["title"][lang] in doc.find("h1").get_text()
        activities = [a["id"] for oc in pillar["outcomes"] for op in oc["outputs"] for a in op["activities"]]
        assert [h["id"] for h in doc.select("h4.sip-activity-heading")] == [f"a-{a}" for a in activities]
    assert sorted(p.name for p in (root / "pillars").glob("*.html")) == sorted(f"{p['id']}.html" for p in pillars)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_nav_lists_every_pillar_in_the_data_order(built, lang):
    site, pillars = built
    root = site if lang == "fr" else site / "en"
    nav = parse(root / "index.html").select(".md-sidebar--primary a.md-nav__link")
    hrefs = [a["href"] for a in nav]
    listed = [h for h in hrefs if h.startswith("pillars/")]
    assert listed == [f"pillars/{p['id']}.html" for p in pillars]
    # In the place the placeholder holds in mkdocs.yml: after governance, before owners.
    assert hrefs.index("governance.html") < hrefs.index(listed[0]) and hrefs.index(listed[-1]) < hrefs.index("owners.html")
    titles = [a.get_text(" ", strip=True) for a in nav if a["href"].startswith("pillars/")]
    assert all(p["title"][lang] in title for p, title in zip(pillars, titles))


def test_the_sitemap_and_the_language_switcher_know_the_pillar_pages(built):
    site, pillars = built
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for pillar in pillars:
        assert f"<loc>{SITE_URL}pillars/{pillar['id']}.html</loc>" in sitemap
        assert f"<loc>{SITE_URL}en/pillars/{pillar['id']}.html</loc>" in sitemap
        switch = parse(site / "pillars" / f"{pillar['id']}.html").select('a.md-select__link[hreflang="en"]')
        assert [a["href"] for a in switch] == [f"../en/pillars/{pillar['id']}.html"]
