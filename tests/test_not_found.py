"""A 404 page per language (French at the root, English in en/) with its own chrome, finding its styles, scripts,
search index and links online with and without SITE_URL; none offline."""
from __future__ import annotations

import json
import posixpath
import re
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


def assert_served_from(root: Path, prefix: str, base: str, refs: list[str], lang: str) -> None:
    """Each reference is under `prefix` (the site's path on its server) and names a file of the built site."""
    assert base == prefix + ("" if lang == "fr" else f"{lang}/"), base
    for ref in refs:
        path = urlsplit(ref).path if ref.startswith("https://") else ref
        assert path.startswith(prefix) and not path.startswith("//"), ref
        assert (root / path[len(prefix):]).is_file(), ref


def not_found_page(root: Path, lang: str) -> Path:
    return root / ("" if lang == "fr" else lang) / "404.html"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_404_without_site_url_uses_the_server_root(site_dir, lang):
    base, refs = references(not_found_page(site_dir, lang).read_text(encoding="utf-8"))
    assert refs
    assert_served_from(site_dir, "/", base, refs, lang)


@pytest.fixture(scope="module")
def one_process_site(published_site) -> Path:
    """One MkDocs process building both languages with SITE_URL, as the Pages workflow does (the session's build)."""
    return published_site


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_404_with_site_url_uses_its_path(one_process_site, lang):
    base, refs = references(not_found_page(one_process_site, lang).read_text(encoding="utf-8"))
    assert_served_from(one_process_site, "/sip/", base, refs, lang)
    home = [r for r in refs if r.endswith("index.html")]
    assert f"{SITE_URL}index.html" in home and f"{SITE_URL}en/index.html" in home, home


def chrome(html: str) -> dict:
    """What a reader of the 404 page meets from the theme and the labels, and where it says it comes from."""
    doc = BeautifulSoup(html, "html.parser")
    config = json.loads(doc.find("script", id="__config").string)
    other = doc.select_one("article [lang]")
    return {"lang": doc.html.get("lang"), "h1": doc.h1.get_text(strip=True), "title": doc.title.get_text(),
            "site_name": (doc.select_one(".md-header__topic .sip-title-long") or doc.select_one(".md-header__topic .md-ellipsis")).get_text(strip=True),
            "search": doc.select_one(".md-search__input").get("placeholder"),
            "clipboard": config["translations"]["clipboard.copy"],
            "footer": doc.select_one(".md-footer-meta").get_text(" ", strip=True),
            "other_lang": other.get("lang") if other else None, "other_text": other.get_text(" ", strip=True) if other else ""}


def theme_string(lang: str, key: str) -> str:
    """Material's own translation of `key` in `lang`, read from the installed theme's language file."""
    import material
    source = (Path(material.__file__).parent / "templates" / "partials" / "languages" / f"{lang}.html").read_text(encoding="utf-8")
    return re.search(rf'"{re.escape(key)}": "([^"]*)"', source).group(1)


@pytest.mark.parametrize("which", ["site_dir", "one_process_site"])
def test_each_language_has_its_own_404_page_with_its_own_chrome(which, request, plan):
    root = request.getfixturevalue(which)
    sys.path.insert(0, str(ROOT))
    from macros.entry import footer_lines
    from macros.labels import labels
    config = __import__("yaml").safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    names = {lang["locale"]: lang.get("site_name", config["site_name"]) for lang in config["plugins"][1]["i18n"]["languages"]}
    pages = {lang: chrome(not_found_page(root, lang).read_text(encoding="utf-8")) for lang in ("fr", "en")}
    for lang, other in (("fr", "en"), ("en", "fr")):
        page, t = pages[lang], labels(lang)
        assert page["lang"] == lang
        assert page["h1"] == t["not_found_title"] and page["title"].startswith(t["not_found_title"])
        assert page["site_name"] == names[lang] and page["title"].endswith(names[lang])
        assert page["search"] == theme_string(lang, "search.placeholder")
        assert page["clipboard"] == theme_string(lang, "clipboard.copy")
        # The footer's labels are this language's (typeset in French: a no-break space before the colon).
        assert page["footer"].replace("\u00a0", " ") == footer_lines(plan)[lang]
        # One line in the other language, marked as such, for a reader who reached this page from there.
        assert page["other_lang"] == other and labels(other)["not_found_home"] in page["other_text"]
    assert pages["fr"]["footer"] != pages["en"]["footer"]


@pytest.fixture(scope="module")
def bundle(site_dir, tmp_path_factory) -> Path:
    zips = sorted((ROOT / "dist").glob("sip-*-offline.zip"))
    assert zips, "dist/ holds no offline bundle"
    folder = tmp_path_factory.mktemp("bundle")
    with zipfile.ZipFile(zips[-1]) as archive:
        archive.extractall(folder)
    return next(folder.iterdir())


def test_the_bundle_holds_no_404_page_in_any_language(bundle, full_offline_site):
    # Opened from file://, no server ever shows a 404 page; the online one's server-root paths would be dead there.
    for root in (bundle, full_offline_site):
        assert not list(root.rglob("404.html")), root
        assert (root / "index.html").is_file() and (root / "en" / "index.html").is_file()


def test_no_404_page_is_listed_as_a_page(one_process_site):
    sitemap = (one_process_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "404.html" not in sitemap and f"{SITE_URL}en/index.html" in sitemap
    manifest = json.loads((ROOT / "site" / "permalinks.json").read_text(encoding="utf-8"))
    assert manifest["urls"] and not [url for url in manifest["urls"] if url.endswith("404.html")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_404_page_opens_styled_in_its_language(browser, base_url, lang):
    context = browser.new_context()
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(f"{base_url}/{'' if lang == 'fr' else lang + '/'}404.html")
    page.wait_for_load_state("load")
    assert not failed, failed
    assert page.evaluate("document.documentElement.lang") == lang
    # Material's stylesheet is applied: the header is fixed at the top, and the search box is there.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    assert page.locator("h1").count() == 1
    assert page.locator(f"a.md-select__link[hreflang={lang}]").get_attribute("href") == f"/{'' if lang == 'fr' else lang + '/'}index.html"
    context.close()
