"""Every published file read with the tools its users open it with, for a build without and with SITE_URL.

PDFs with pypdf (and poppler's pdfinfo), feeds with feedparser, the CSV with libhxl, pandas and Python's csv
reader, the JSON with jsonschema, pages and sitemaps with BeautifulSoup and ElementTree, and Chromium for the
requests a page makes.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import warnings
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import hxl
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator
from pypdf import PdfReader

from macros.data.load import load_plan
from macros.exchange.exports import activities_csv, plan_json, spreadsheet_safe
from macros.exchange.feed import atom_feed

ROOT = Path(__file__).resolve().parent.parent
PROGRESS = ROOT / "tests" / "fixtures" / "plans" / "progress.yaml"
LANGS = ("fr", "en")
A4 = (595.28, 841.89)  # points
EXTERNAL = ("http://", "https://", "mailto:")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8"))


def pages_of(site: Path) -> list[str]:
    """Every HTML page of a built site, relative to its root (the theme's 404 page is not content)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")


def parse(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def lands(site: Path, url: str, base: str) -> str | None:
    """Why an absolute link under `base` does not reach an element of the built site, or None if it does."""
    assert url.startswith(base), f"{url} is not under {base}"
    path, _, anchor = url[len(base):].partition("#")
    if not (site / unquote(path)).is_file():
        return f"{url}: no file {path}"
    if anchor and not parse(site, unquote(path)).find(id=unquote(anchor)):
        return f"{url}: no element id={anchor}"
    return None


# PDFs

def pdf_of(build, version: str, lang: str) -> Path:
    pdf = build.dist / f"sip-{version}-{lang}.pdf"
    assert pdf.is_file(), f"{pdf} was not printed"
    return pdf


def outline(reader: PdfReader) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, in order."""
    found: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))
    walk(reader.outline, 0)
    return found


def links(reader: PdfReader) -> list[dict]:
    return [annotation.get_object() for page in reader.pages for annotation in page.get("/Annots") or []
            if annotation.get_object().get("/Subtype") == "/Link"]


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_is_a4_tagged_with_title_author_subject_and_language(any_build, plan, lang):
    pdf = pdf_of(any_build, plan.meta.version, lang)
    reader = PdfReader(pdf)
    for number, page in enumerate(reader.pages, 1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert abs(size[0] - A4[0]) < 2 and abs(size[1] - A4[1]) < 2, f"page {number} is {size} pt, not A4"
    meta = reader.metadata
    # The metadata is an incremental update appended to Chromium's file: a strict reader finds nothing to correct.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        strict = PdfReader(pdf, strict=True)
        assert len(strict.pages) == len(reader.pages) and strict.metadata.author == plan.meta.organisation(lang)
    assert meta.title and plan.meta.title(lang) in meta.title
    assert meta.author == plan.meta.organisation(lang)
    assert meta.subject and plan.meta.revision(lang) in meta.subject
    assert str(reader.trailer["/Root"].get("/Lang")) == lang
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:.*\(A4\)", info), info
    assert re.search(r"Tagged:\s+yes", info), "the PDF has no structure tags (screen readers)"
    assert f"Author:          {plan.meta.organisation(lang)}" in info


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_bookmarks_nest_every_output_under_its_outcome_under_its_pillar(any_build, plan, lang):
    marks = outline(PdfReader(pdf_of(any_build, plan.meta.version, lang)))
    assert marks, "the PDF has no bookmarks"

    def depth_of(number: str, after: int) -> tuple[int, int]:
        # The bookmark whose title names this number as a whole word, after position `after`.
        for index, (depth, title) in enumerate(marks[after:], after):
            if re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.]*\d)", title):
                return index, depth
        pytest.fail(f"no bookmark for {number} after bookmark {after} in the {lang} PDF")

    for pillar in plan.pillars:
        at, pillar_depth = depth_of(pillar.id, 0)
        assert pillar.title(lang).split(":")[0][:20] in marks[at][1] or pillar.id in marks[at][1]
        for outcome in pillar.outcomes:
            o_at, outcome_depth = depth_of(outcome.id, at)
            assert outcome_depth == pillar_depth + 1, f"outcome {outcome.id} is not under pillar {pillar.id}"
            for output in outcome.outputs:
                _, output_depth = depth_of(output.id, o_at)
                assert output_depth == outcome_depth + 1, f"output {output.id} is not under outcome {outcome.id}"


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_links_work_wherever_the_file_is_copied(any_build, plan, data, lang):
    reader = PdfReader(pdf_of(any_build, plan.meta.version, lang))
    destinations = set(reader.named_destinations)
    data_text = (ROOT / "data" / "sip.yaml").read_text(encoding="utf-8")
    problems, to_site = [], 0
    for link in links(reader):
        if "/Dest" in link:
            dest = link["/Dest"]
            if isinstance(dest, str) or hasattr(dest, "encode"):
                assert str(dest) in destinations, f"jump to unknown destination {dest}"
            continue
        action = link["/A"].get_object()
        if action.get("/S") == "/GoTo":
            continue
        uri = str(action.get("/URI"))
        if not uri.startswith(EXTERNAL):
            problems.append(f"dead link {uri}")
        elif any_build.url and uri.startswith(any_build.url):
            to_site += 1
            problems.append(lands(any_build.site, uri, any_build.url))
        elif uri not in data_text:
            problems.append(f"{uri} is neither the site nor an address from the data")
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems[:10])
    if any_build.url:
        # The owners printed beside each activity link to their entries on the site.
        assert to_site >= len(plan.activities), f"only {to_site} links lead to the published site"


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_footnote_references_jump_within_the_document(any_build, plan, lang):
    reader = PdfReader(pdf_of(any_build, plan.meta.version, lang))
    internal = [link for link in links(reader) if "/Dest" in link or link.get("/A", {}).get("/S") == "/GoTo"]
    printable = parse(any_build.site, ("" if lang == "fr" else "en/") + "print.html").article
    references = printable.select('a[href^="#fn:"], a[href^="#fnref:"]')
    assert references, "the printable plan cites no footnote: this test checks nothing"
    assert len(internal) >= len(references), f"{len(internal)} jumps within the PDF for {len(references)} footnote links"


# Feeds

@pytest.mark.parametrize("lang", LANGS)
def test_feed_is_valid_atom_with_absolute_ids_and_a_self_link(any_build, lang):
    path = any_build.site / ("" if lang == "fr" else "en") / "feed.xml"
    assert path.is_file(), f"no feed {path}: it must exist even before the first report"
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert urlsplit(feed.feed.id).scheme in ("http", "https", "tag"), f"feed id {feed.feed.id} is not absolute"
    assert feed.feed.language == lang
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert len(self_links) == 1, "an Atom feed names itself with one rel=self link"
    if any_build.url:
        expected = any_build.url + ("" if lang == "fr" else "en/") + "feed.xml"
        assert self_links[0] == expected
        assert feed.feed.id.startswith(any_build.url)
    for entry in feed.entries:
        assert urlsplit(entry.id).scheme in ("http", "https", "tag"), f"entry id {entry.id} is not absolute"


def test_feed_ids_differ_between_languages(any_build):
    ids = [feedparser.parse((any_build.site / folder / "feed.xml").read_bytes()).feed.id for folder in ("", "en")]
    assert ids[0] != ids[1], "the French and English feeds share an id"


@pytest.mark.parametrize("base", ["", "https://example.org/sip/"])
def test_feed_entries_of_a_plan_with_reports_have_absolute_language_specific_ids(base):
    plan = load_plan(PROGRESS)
    feeds = {lang: feedparser.parse(atom_feed(plan, lang, base + ("" if lang == "fr" else "en/") if base else ""))
             for lang in LANGS}
    for lang, feed in feeds.items():
        assert not feed.bozo and len(feed.entries) == len(plan.periods)
        for entry in feed.entries:
            assert urlsplit(entry.id).scheme in ("https", "tag"), entry.id
            assert [link.rel for link in entry.links] == ["alternate"]
    assert not {e.id for e in feeds["fr"].entries} & {e.id for e in feeds["en"].entries}


# Search engines and link previews

def test_every_page_has_a_description_and_open_graph_in_its_language(any_build, plan):
    site, seen = any_build.site, {}
    for page in pages_of(site):
        doc = parse(site, page)
        description = doc.find("meta", attrs={"name": "description"})
        assert description and description["content"].strip(), f"{page}: no meta description"
        text = description["content"]
        assert len(text) <= 400, f"{page}: description of {len(text)} characters"
        og = {m["property"]: m["content"] for m in doc.find_all("meta", attrs={"property": re.compile("^og:")})}
        assert og.get("og:title") and og.get("og:description") == text, f"{page}: Open Graph title/description"
        assert og.get("og:locale", "")[:2] == ("en" if page.startswith("en/") else "fr"), f"{page}: og:locale"
        if any_build.url:
            assert og.get("og:url") == any_build.url + page
        seen.setdefault(text, []).append(page)
    shared = {text: where for text, where in seen.items() if len(where) > 1}
    assert not shared, f"pages sharing a description: {list(shared.values())[:3]}"
    for pillar in plan.pillars:
        for lang, prefix in (("fr", ""), ("en", "en/")):
            content = parse(site, f"{prefix}pillars/{pillar.id}.html").find("meta", attrs={"name": "description"})["content"]
            assert pillar.goal(lang)[:40] in content, f"{prefix}pillars/{pillar.id}.html: the description is not its goal"


def test_no_page_title_says_a_part_of_the_site_name_twice(site_dir):
    """The English home page's title read "Logistics Cluster Strategy Implementation Plan – SIP 2022–2026 ·
    Logistics Cluster"; each part of the site's name ("SIP 2022–2026", "Logistics Cluster") is said once."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    names = {lang["locale"]: lang.get("site_name", config["site_name"]) for lang in config["plugins"][1]["i18n"]["languages"]}
    bad = []
    for page in pages_of(site_dir):
        title = parse(site_dir, page).title.get_text().replace("\u00a0", " ")
        for part in names["en" if page.startswith("en/") else "fr"].split(" · "):
            if title.count(part) != 1:
                bad.append((page, title))
    assert bad == [], f"titles naming a part of the site's name twice or not at all: {bad[:5]}"
    assert parse(site_dir, "en/index.html").title.get_text() == "Logistics Cluster Strategy Implementation Plan – SIP 2022–2026"


def test_no_description_ends_on_a_fragment_after_a_full_stop(site_dir):
    """A description is cut after its last whole sentence; it once ended "… at a Global Logistics Meeting. The…"."""
    fragment = re.compile(r"[.!?][\"»”’)]*\s+\S+…$")
    bad = []
    for page in pages_of(site_dir):
        for meta in parse(site_dir, page).find_all("meta"):
            if meta.get("name") == "description" or meta.get("property") == "og:description":
                if fragment.search(meta.get("content", "")):
                    bad.append((page, meta["content"][-60:]))
    assert bad == [], f"a description ends on one word after a sentence: {bad[:5]}"


def test_a_long_text_is_cut_after_its_last_whole_sentence():
    import importlib.util

    spec = importlib.util.spec_from_file_location("seo", ROOT / "overrides" / "hooks" / "seo.py")
    seo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(seo)
    text = "The groups report every quarter; every second report is presented at a Global Logistics Meeting. " \
           "The statuses recorded in the plan form the baseline of every report."
    assert seo.shorten(text, 120) == "The groups report every quarter; every second report is presented at a Global Logistics Meeting."
    assert seo.shorten(text, 500) == text
    words = "word " * 50  # no sentence end at all: the last word boundary, with an ellipsis
    assert seo.shorten(words.strip(), 23) == "word word word word…"
    assert seo.shorten("Annex I. " + words.strip(), 40).endswith("word…"), "a sentence end too early to keep alone"


def test_hreflang_and_canonical_are_absolute_or_absent(any_build):
    site, url, problems = any_build.site, any_build.url, []
    for page in pages_of(site):
        doc = parse(site, page)
        alternates = {link["hreflang"]: link["href"] for link in doc.select("head link[rel=alternate][hreflang]")}
        canonical = doc.select_one("head link[rel=canonical]")
        if not url:
            # A relative hreflang is an error for crawlers, and makes Material fetch a sitemap beside it.
            if alternates or canonical:
                problems.append(f"{page}: hreflang/canonical without a known address")
            continue
        neutral = page.removeprefix("en/")
        expected = {"fr": url + neutral, "en": url + "en/" + neutral, "x-default": url + neutral}
        if alternates != expected:
            problems.append(f"{page}: alternates {alternates}")
        if not canonical or canonical["href"] != url + page:
            problems.append(f"{page}: canonical {canonical}")
        problems += [lands(site, href, url) for href in expected.values()]
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems[:10])


def test_sitemaps_list_every_page_with_alternates_beside_every_alternate_link(any_build):
    site, url = any_build.site, any_build.url
    sitemaps = sorted(p.relative_to(site).as_posix() for p in site.rglob("sitemap.xml*"))
    if not url:
        assert not sitemaps, f"sitemaps with relative addresses: {sitemaps}"
        return
    root = ET.parse(site / "sitemap.xml").getroot()
    listed = {}
    for entry in root.iter(f"{SITEMAP}url"):
        loc = entry.find(f"{SITEMAP}loc").text
        listed[loc] = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")}
    pages = pages_of(site)
    assert set(listed) == {url + page for page in pages}, "the sitemap does not list exactly the site's pages"
    assert any("reports/owners/" in loc for loc in listed), "owner reports missing from the sitemap"
    for loc, alternates in listed.items():
        assert set(alternates) == {"fr", "en", "x-default"}, f"{loc}: alternates {alternates}"
        assert not lands(site, loc, url)
    # Material's language selector fetches sitemap.xml beside each alternate link: one in every page folder.
    folders = {page.rpartition("/")[0] for page in pages}
    missing = [folder for folder in folders if not (site / folder / "sitemap.xml").is_file()]
    assert not missing, f"no sitemap.xml in {missing}"


def responses_of(page, urls: list[str]) -> list[str]:
    """Every request of loading `urls` that failed or answered 400 or more."""
    bad: list[str] = []
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: bad.append(f"failed {r.url}") if not r.url.startswith("data:") else None)
    for url in urls:
        page.goto(url, wait_until="networkidle")
    return bad


SAMPLE_PAGES = ["index.html", "pillars/1.html", "reports/owners/glc.html", "en/index.html", "en/pillars/2.html",
                "en/reports/owners/rome-team.html", "en/reports.html", "en/downloads.html"]


def test_no_request_answers_404_on_the_local_site(page, base_url):
    bad = responses_of(page, [f"{base_url}/{p}" for p in SAMPLE_PAGES])
    assert not bad, bad


def test_no_request_answers_404_on_the_published_site(browser, published_build):
    """The published build served at its own address (requests to it are answered from the built folder)."""
    context = browser.new_context()
    site, url = published_build.site, published_build.url

    def serve(route):
        path = unquote(urlsplit(route.request.url).path).removeprefix(urlsplit(url).path)
        file = site / (path or "index.html")
        if file.is_file():
            route.fulfill(path=str(file))
        else:
            route.fulfill(status=404, body="not found")
    context.route(f"{url}**", serve)
    context.route(re.compile(r"^(?!https://example\.org/sip/).*"), lambda route: route.abort())
    try:
        bad = responses_of(context.new_page(), [url + p for p in SAMPLE_PAGES])
    finally:
        context.close()
    assert not bad, bad


# The CSV

def csv_path(build) -> Path:
    return build.site / "downloads" / "sip-activities.csv"


def test_libhxl_reads_clean_headers_and_activity_code_selects_only_the_activity(any_build, plan):
    source = hxl.data(str(csv_path(any_build)), hxl.InputOptions(allow_local=True))
    columns = source.columns
    assert columns[0].header == "pillar_id", f"first header {columns[0].header!r} (a BOM?)"
    for column in columns:
        pattern = hxl.model.TagPattern.parse(column.display_tag)
        matching = [c.header for c in columns if pattern.match(c)]
        assert matching == [column.header], f"{column.display_tag} selects {matching}"
    code = hxl.model.TagPattern.parse("#activity+code")
    assert [c.header for c in columns if code.match(c)] == ["activity_id"]
    ids = [row.get("#activity+code") for row in source]
    assert ids == [a.id for a in plan.activities]


def test_downloads_page_documents_every_hashtag_and_the_licence(any_build, plan):
    tags = next(csv.reader(io.StringIO(csv_path(any_build).read_text(encoding="utf-8").splitlines()[1])))
    for page, lang in (("downloads.html", "fr"), ("en/downloads.html", "en")):
        article = parse(any_build.site, page).article
        documented = {code.get_text() for code in article.select("table code")}
        missing = [tag for tag in tags if tag not in documented]
        assert not missing, f"{page} does not document {missing}"
        # "Licence: not stated", never "Licence: licence not stated".
        text = article.get_text().replace("\u00a0", " ")
        assert {"fr": "Licence : non précisée", "en": "Licence: not stated"}[lang] in text
        assert not re.search(r"(?i)licence\W+licence", text)


def test_the_pandas_recipe_of_the_downloads_page_reads_the_file_right(any_build, plan, tmp_path):
    recipe = parse(any_build.site, "en/downloads.html").article.select_one("pre code").get_text()
    assert "skiprows" in recipe and "dtype=str" in recipe and len(recipe.strip().splitlines()) == 2
    # The recipe names the published file or the downloaded one: point it at the built file.
    source = re.search(r'read_csv\("([^"]+)"', recipe).group(1)
    assert source == (any_build.url + "downloads/sip-activities.csv" if any_build.url else "sip-activities.csv")
    namespace: dict = {}
    exec(recipe.replace(source, str(csv_path(any_build))), namespace)  # noqa: S102 - our own published recipe
    frame = namespace["df"]
    assert len(frame) == len(plan.activities), "the hashtag row was read as data"
    assert list(frame["activity_id"]) == [a.id for a in plan.activities]
    assert list(frame["outcome_id"]) == [a.outcome_id for a in plan.activities], "outcome ids changed (floats?)"
    assert all(dtype == object or str(dtype).startswith("str") for dtype in frame.dtypes)


def test_formula_starts_are_quoted_when_a_csv_reader_opens_the_file(tmp_path):
    """Texts that a spreadsheet would run, put into a copy of a real plan, come out quoted (OWASP CSV injection)."""
    raw = yaml.safe_load(PROGRESS.read_text(encoding="utf-8"))
    payloads = ['=HYPERLINK("http://x.example/","y")', "+1+1", "-2+3", "@SUM(A1)", "\tindented", "\r=1+1",
                "plain text"]
    activities = [a for p in raw["pillars"] for o in p["outcomes"] for op in o["outputs"] for a in op["activities"]]
    owners = {o["id"]: o for o in raw["owners"]}
    for activity, payload in zip(activities, payloads):
        activity["text"] = {"fr": payload, "en": payload}
    owner = next(iter(owners.values()))
    owner["name"] = {"fr": "=cmd|' /C calc'!A0", "en": "-owner"}
    path = tmp_path / "formulas.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = load_plan(path)
    out = tmp_path / "activities.csv"
    out.write_text(activities_csv(plan), encoding="utf-8", newline="")
    with out.open(encoding="utf-8", newline="") as handle:
        header, _, *rows = list(csv.reader(handle))
    by_id = {row[header.index("activity_id")]: dict(zip(header, row)) for row in rows}
    texts = {a.id: a.text.fr for a in plan.activities}  # as loaded: the loader trims surrounding blanks
    for activity, payload in zip(activities, payloads):
        text, cell = texts[activity["id"]], by_id[activity["id"]]["activity_fr"]
        assert cell == ("'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text), f"{payload!r}: {cell!r}"
        if payload[0] in "=+-@":
            assert cell == "'" + payload, f"{payload!r} written as {cell!r}"
    owned = [row for row in by_id.values() if row["owner_ids"].split(" ; ")[0] == owner["id"]]
    assert owned and all(row["owners_fr"].startswith("'=") and row["owners_en"].startswith("'-") for row in owned)
    assert spreadsheet_safe("\tx") == "'\tx" and spreadsheet_safe("\r=1") == "'\r=1"
    assert spreadsheet_safe("a=b") == "a=b" and spreadsheet_safe("") == ""


def test_no_cell_of_the_published_csv_starts_like_a_formula(any_build):
    with csv_path(any_build).open(encoding="utf-8", newline="") as handle:
        _, _, *rows = list(csv.reader(handle))
    risky = [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not risky, risky[:5]


# The JSON

def test_json_download_validates_against_its_published_schema(any_build, data):
    path = any_build.site / "downloads" / "sip.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    schema_ref = document["$schema"]
    schema_path = (any_build.site / "downloads" / "sip.schema.json")
    if any_build.url:
        assert schema_ref == any_build.url + "downloads/sip.schema.json"
    else:
        assert (path.parent / schema_ref).resolve() == schema_path.resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    assert document["version"] == document["meta"]["version"] == data["meta"]["version"]
    assert datetime.strptime(document["generated_at"], "%Y-%m-%dT%H:%M:%SZ")
    expected = data["meta"].get("licence") or {"fr": "non précisée", "en": "not stated"}
    assert document["meta"]["licence"] == expected


def test_the_schema_refuses_what_the_download_must_not_be(site_dir):
    schema = json.loads((site_dir / "downloads" / "sip.schema.json").read_text(encoding="utf-8"))
    document = json.loads((site_dir / "downloads" / "sip.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    without_licence = json.loads(json.dumps(document))
    del without_licence["meta"]["licence"]
    numeric_id = json.loads(json.dumps(document))
    numeric_id["pillars"][0]["outcomes"][0]["id"] = 1.1
    unknown_key = dict(document, surprise=True)
    for broken in (without_licence, numeric_id, unknown_key):
        assert list(validator.iter_errors(broken)), "the schema accepts a broken download"


def test_a_plan_with_reports_validates_against_the_schema(site_dir):
    schema = json.loads((site_dir / "downloads" / "sip.schema.json").read_text(encoding="utf-8"))
    document = json.loads(plan_json(load_plan(PROGRESS)))
    assert any(a["updates"] for p in document["pillars"] for o in p["outcomes"] for op in o["outputs"]
               for a in op["activities"]), "the fixture should carry updates"
    errors = list(Draft202012Validator(schema).iter_errors(document))
    assert not errors, [e.message for e in errors[:5]]


def test_the_footer_of_every_page_states_version_and_licence(any_build, data):
    expected = {"fr": f"Version des données : {data['meta']['version']} · Licence : non précisée",
                "en": f"Data version: {data['meta']['version']} · Licence: not stated"}
    for page in pages_of(any_build.site):
        lang = "en" if page.startswith("en/") else "fr"
        footer = parse(any_build.site, page).select_one("footer .md-copyright")
        text = footer.get_text(" ", strip=True).replace("\u00a0", " ") if footer else ""
        assert text == expected[lang], f"{page}: footer {text!r}"


# HTML

def test_no_label_points_at_nothing(any_build):
    problems = []
    for page in pages_of(any_build.site):
        doc = parse(any_build.site, page)
        ids = {element["id"] for element in doc.find_all(id=True)}
        problems += [f"{page}: label for={label['for']}" for label in doc.find_all("label", attrs={"for": True})
                     if label["for"] not in ids]
    assert not problems, "\n".join(problems[:10])
