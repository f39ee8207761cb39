"""The revision fixture built: its changes page (both languages), JSON, feed entries and pillar marks list exactly
the changes the fixture's README intends, and hostile texts stay inert on the changes page."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin

import feedparser
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REVISION_FIXTURE, ROOT

VERSION = "2025-06"
LABELS = {lang: yaml.safe_load((ROOT / "macros" / "labels" / f"{lang}.yml").read_text(encoding="utf-8")) for lang in ("fr", "en")}
PREFIX = {"fr": "", "en": "en/"}

# Written from tests/fixtures/revisions/README.md, not from the engine: what 2025-06 changes in 2023-11.
EXPECTED = {
    "added": {("activity", "2.2.1.5")},
    "retired": {("activity", "2.2.1.4")},
    "renumbered": ({("activity", f"2.3.2.{n}", f"2.2.2.{n}") for n in range(1, 5)} | {("output", "2.3.3", "2.2.3")}
                   | {("activity", f"2.3.3.{n}", f"2.2.3.{n}") for n in range(1, 5)}),
    "moved": set(),
    "reworded": {("activity", "1.3.1.4"), ("activity", "3.1.1.2")},
    "owners": {("activity", "2.1.1.2")},
    "statuses": set(),
    "glossary": set(),
    "annex": set(),
}
OWNERS_ADDED, OWNERS_REMOVED = {"2.1.1.2": {"partnerships-wg"}}, {"2.1.1.2": {"rome-team"}}
# Words each rewording deletes and inserts, per language.
REWORDED_WORDS = {
    "1.3.1.4": {"fr": ({"d'une manière appropriée"}, {"et applique", "activement"}),
                "en": ({"are aware of", "appropriately"}, {"know and apply", "an active"})},
    "3.1.1.2": {"fr": ({"Mettre en place des plateformes"}, {"Maintenir une plateforme commune", "accessible hors ligne"}),
                "en": ({"Set up", "platforms"}, {"Maintain a shared", "platform", "available offline"})},
}
MARKS = {"2.2.1.5": "new", "1.3.1.4": "reworded", "3.1.1.2": "reworded"}
_KIND = {"a": "activity", "output": "output", "outcome": "outcome", "pillar": "pillar"}


def raw_activities(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {a["id"]: a for p in data["pillars"] for oc in p["outcomes"] for op in oc["outputs"] for a in op["activities"]}


def plain_words(markdown: str) -> str:
    """A Markdown text's words, as a reader reads them: no emphasis marks or footnote references."""
    return " ".join(re.sub(r"\[\^[^\]]+\]", "", markdown).replace("*", "").split())


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def element_of(href: str) -> tuple[str, str]:
    prefix, _, ident = href.rsplit("#", 1)[1].partition("-")
    return _KIND[prefix], ident


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str]:
    target = urljoin(page.relative_to(site).as_posix(), href)
    path, _, anchor = target.partition("#")
    return site / unquote(path), anchor


def assert_resolves(site: Path, page: Path, href: str) -> None:
    path, anchor = resolve(site, page, href)
    assert path.is_file(), f"{page.name}: {href} is not a file of the site"
    if anchor:
        assert soup_of(path).find(id=anchor) is not None, f"{page.name}: {href} has no such anchor"


def changes_page(site: Path, lang: str) -> Path:
    return site / PREFIX[lang] / "changes" / f"{VERSION}.html"


def lines(site: Path, lang: str) -> dict[str, list]:
    soup = soup_of(changes_page(site, lang))
    found: dict[str, list] = {section: [] for section in EXPECTED}
    for div in soup.select("div.sip-change"):
        section = next(c for c in div["class"] if c.startswith("sip-change--")).split("--")[1]
        found[section].append(div)
    return found


def described(section: str, div) -> tuple:
    """What a line of the page says, read from its text and links only."""
    links = [a["href"] for a in div.find_all("a")]
    if section == "renumbered":
        kind, new = element_of(links[0])
        old = re.search(r"\d+(?:\.\d+)+", div.get_text(" ")).group()
        return kind, old, new
    if section == "retired":
        kind, ident = element_of(links[0])
        return kind, ident
    return element_of(links[0])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_changes_page_lists_exactly_the_intended_changes(revision_site, lang):
    found = lines(revision_site, lang)
    assert {section: {described(section, div) for div in divs} for section, divs in found.items()} == EXPECTED
    # One line per change, each with its own anchor.
    assert {section: len(divs) for section, divs in found.items()} == {s: len(e) for s, e in EXPECTED.items()}
    ids = [div["id"] for divs in found.values() for div in divs]
    assert len(ids) == len(set(ids)) and all(i.startswith("change-") for i in ids)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_counts_at_the_top_match_the_sections(revision_site, lang):
    soup = soup_of(changes_page(revision_site, lang))
    table = soup.select_one("article table")
    counts = {}
    for row in table.select("tbody tr"):
        cells = row.find_all("td")
        counts[cells[0].get_text(strip=True)] = int(cells[1].get_text(strip=True))
    t = LABELS[lang]
    assert counts == {t[f"changes_{section}"]: len(expected) for section, expected in EXPECTED.items()}
    # The top of the page comes before the first section, and names both revisions.
    intro = table.find_previous("p").get_text(" ")
    assert VERSION in soup.h1.get_text() and "2023-11" in intro


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_link_of_the_changes_page_resolves(revision_site, lang):
    page = changes_page(revision_site, lang)
    article = soup_of(page).select_one("article")
    hrefs = [a["href"] for a in article.find_all("a", href=True) if not a["href"].startswith(("http", "mailto:"))]
    assert len(hrefs) > 15
    for href in hrefs:
        assert_resolves(revision_site, page, href)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_retired_line_gives_the_note_and_the_owner_line_the_owners(revision_site, lang):
    data = yaml.safe_load((REVISION_FIXTURE / "sip.yaml").read_text(encoding="utf-8"))
    note = plain_words(next(r for r in data["retired"] if r["id"] == "2.2.1.4")["note"][lang])
    found = lines(revision_site, lang)
    retired = " ".join(found["retired"][0].get_text(" ").split())
    assert note.split(";")[0].split("(")[0].strip() in retired.replace(" ;", ";")
    assert found["retired"][0].find("a")["href"].endswith("pillars/2.html#a-2.2.1.4")
    owners = found["owners"][0]
    hrefs = [a["href"].rsplit("#owner-", 1)[1] for a in owners.find_all("a") if "#owner-" in a["href"]]
    text = " ".join(owners.get_text(" ").split())
    t = LABELS[lang]
    added_at, removed_at = text.index(t["changes_owner_added"]), text.index(t["changes_owner_removed"])
    names = {o["id"]: o["name"][lang] for o in data["owners"]}
    for owner in OWNERS_ADDED["2.1.1.2"]:
        assert owner in hrefs and added_at < text.index(names[owner]) < removed_at
    for owner in OWNERS_REMOVED["2.1.1.2"]:
        assert owner in hrefs and text.index(names[owner]) > removed_at


def runs_text(paragraph, drop: str) -> str:
    """The words of a diff paragraph without its language label and without `drop` (del or ins) runs."""
    paragraph = BeautifulSoup(str(paragraph), "html.parser").p
    for tag in paragraph.select(f"{drop}, .sip-visually-hidden, .sip-diff-lang"):
        tag.decompose()
    return " ".join(paragraph.get_text().split())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_reworded_texts_are_word_differences_in_both_languages(revision_site, lang):
    old, new = raw_activities(REVISION_FIXTURE / "revisions" / "2023-11.yaml"), raw_activities(REVISION_FIXTURE / "sip.yaml")
    t = LABELS[lang]
    for div in lines(revision_site, lang)["reworded"]:
        _, ident = element_of(div.find("a")["href"])
        paragraphs = div.select("p.sip-diff")
        assert [p["lang"] for p in paragraphs] == [lang, "en" if lang == "fr" else "fr"]  # the page's language first
        for paragraph in paragraphs:
            text_lang = paragraph["lang"]
            assert runs_text(paragraph, "ins") == plain_words(old[ident]["text"][text_lang])
            assert runs_text(paragraph, "del") == plain_words(new[ident]["text"][text_lang])
            deleted = {" ".join(d.get_text().split()) for d in paragraph.find_all("del")}
            inserted = {" ".join(i.get_text().split()) for i in paragraph.find_all("ins")}
            want_deleted, want_inserted = REWORDED_WORDS[ident][text_lang]
            hidden_del, hidden_ins = f"{t['diff_deleted']}{t['colon']}", f"{t['diff_inserted']}{t['colon']}"
            for phrase in want_deleted:
                assert any(phrase in d for d in deleted), (ident, text_lang, phrase, deleted)
            for phrase in want_inserted:
                assert any(phrase in i for i in inserted), (ident, text_lang, phrase, inserted)
            # Read out by a screen reader, hidden on screen: every change opens with its kind, in the page's language.
            for tag, label in [(d, hidden_del) for d in paragraph.find_all("del")] + [(i, hidden_ins) for i in paragraph.find_all("ins")]:
                hidden = tag.find(class_="sip-visually-hidden")
                assert hidden is not None and " ".join(hidden.get_text().split()) == label
                assert tag.contents[0] is hidden


def test_deletions_and_insertions_read_without_colour():
    css = (ROOT / "overrides" / "assets" / "sip.css").read_text(encoding="utf-8")
    assert re.search(r"del\.sip-diff-del\s*\{[^}]*text-decoration:\s*line-through", css)
    assert re.search(r"ins\.sip-diff-ins\s*\{[^}]*text-decoration:\s*underline", css)


def test_each_element_has_one_line_anchor_named_after_it(revision_site):
    soup = soup_of(changes_page(revision_site, "en"))
    for anchor in ("change-a-2.2.2.1", "change-a-2.3.2.1", "change-a-2.2.1.5", "change-output-2.2.3",
                   "change-added-a-2.2.1.5", "change-reworded-a-1.3.1.4"):
        assert soup.find(id=anchor) is not None, anchor


def test_the_json_validates_against_its_published_schema_and_matches(revision_site):
    document = json.loads((revision_site / "downloads" / f"changes-{VERSION}.json").read_text(encoding="utf-8"))
    schema_path = revision_site / "downloads" / "changes.schema.json"
    assert (revision_site / "downloads" / document["$schema"]) == schema_path
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["from"]["version"] == "2023-11" and document["to"]["version"] == VERSION
    found = {
        "added": {(c["kind"], c["id"]) for c in document["added"]},
        "retired": {(c["kind"], c["id"]) for c in document["retired"]},
        "renumbered": {(c["kind"], c["old_id"], c["new_id"]) for c in document["renumbered"]},
        "moved": {(c["kind"], c["id"]) for c in document["moved"]},
        "reworded": {(c["kind"], c["id"]) for c in document["reworded"]},
        "owners": {(c["kind"], c["id"]) for c in document["owners"]},
        "statuses": {(c["kind"], c["id"]) for c in document["statuses"]},
        "glossary": {(c["kind"], c["id"]) for c in document["glossary"]},
        "annex": {(c["item"], c["number"]) for c in document["annex"]},
    }
    assert found == EXPECTED
    assert document["counts"] == {section: len(expected) for section, expected in EXPECTED.items()}
    owners = document["owners"][0]
    assert {o["id"] for o in owners["added"]} == OWNERS_ADDED["2.1.1.2"]
    assert {o["id"] for o in owners["removed"]} == OWNERS_REMOVED["2.1.1.2"]
    assert document["retired"][0]["note"]["en"].startswith("Completed in 2023")
    old = raw_activities(REVISION_FIXTURE / "revisions" / "2023-11.yaml")
    for change in document["reworded"]:
        for lang in ("fr", "en"):
            runs = change["words"][lang]
            assert "".join(r["text"] for r in runs if r["op"] != "ins") == plain_words(old[change["id"]]["text"][lang])
            assert change["new"][lang] == raw_activities(REVISION_FIXTURE / "sip.yaml")[change["id"]]["text"][lang].strip()
    for change in document["added"] + document["renumbered"] + document["reworded"] + document["owners"]:
        for lang, link in change["permalink"].items():
            assert link.startswith(PREFIX[lang] + "pillars/")
            assert_resolves(revision_site, revision_site / "index.html", link)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_feed_has_one_entry_for_the_revision(revision_site, lang):
    feed = feedparser.parse((revision_site / PREFIX[lang] / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    entries = [e for e in feed.entries if e.link.endswith(f"changes/{VERSION}.html")]
    assert len(entries) == 1
    entry = entries[0]
    assert VERSION in entry.title and entry.id.endswith(f"changes/{VERSION}.html")
    assert entry.updated.startswith(VERSION)
    assert re.search(r"\b9\b", entry.summary) and re.search(r"\b2\b", entry.summary)
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    assert (revision_site / PREFIX[lang] / "changes" / f"{VERSION}.html").is_file()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_new_and_reworded_activities_are_marked_with_a_link_to_their_line(revision_site, lang):
    t = LABELS[lang]
    found = {}
    for page in sorted((revision_site / PREFIX[lang] / "pillars").glob("*.html")):
        for mark in soup_of(page).select("a.sip-change-mark"):
            heading = mark.find_previous(class_="sip-activity-heading")
            ident = heading["id"][len("a-"):]
            kind = "new" if mark.get_text(strip=True) == t["mark_new"] else "reworded"
            assert mark.get_text(strip=True) == t[f"mark_{kind}"]
            found[ident] = kind
            assert_resolves(revision_site, page, mark["href"])
            path, anchor = resolve(revision_site, page, mark["href"])
            assert path == changes_page(revision_site, lang)
            line = soup_of(path).find(id=anchor)
            assert element_of(line.find("a")["href"]) == ("activity", ident)
    assert found == MARKS
    assert not soup_of(revision_site / PREFIX[lang] / "print.html").select(".sip-change-mark")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_changes_page_is_in_the_nav_and_not_in_search(revision_site, lang):
    home = soup_of(revision_site / PREFIX[lang] / "index.html")
    assert any(a["href"].endswith(f"changes/{VERSION}.html") for a in home.select("nav a[href]"))
    index = json.loads((revision_site / PREFIX[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("changes/")]
    marks = [d for d in index["docs"] if LABELS[lang]["mark_reworded"] in d.get("text", "")]
    assert not [d["location"] for d in marks if "3.1.1.2" in d["location"]]
    # A renumbered output is found by its old number, as a renumbered activity is.
    ids = {d["location"]: d.get("ids", []) for d in index["docs"]}
    assert "2.3.3" in ids["pillars/2.html#output-2.2.3"] and "2.3.2.1" in ids["pillars/2.html#a-2.2.2.1"]


def test_the_real_plan_has_no_changes_page(site_dir):
    """Without a frozen revision before it, the current plan has no changes page, no JSON and no nav entry."""
    assert not (site_dir / "changes").exists() and not list((site_dir / "downloads").glob("changes*"))
    assert "changes/" not in (site_dir / "index.html").read_text(encoding="utf-8")


HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }} {: onclick=alert(3) } <b>gras</b> &amp; `code`"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The fixture with hostile words in a rewording, an added activity and the retirement note."""
    root = tmp_path_factory.mktemp("revision-hostile")
    data = root / "data"
    shutil.copytree(REVISION_FIXTURE, data)
    plan = yaml.safe_load((data / "sip.yaml").read_text(encoding="utf-8"))
    activities = {a["id"]: a for p in plan["pillars"] for oc in p["outcomes"] for op in oc["outputs"] for a in op["activities"]}
    for field in (activities["3.1.1.2"]["text"], activities["2.2.1.5"]["text"], plan["retired"][0]["note"]):
        field["fr"] += " " + HOSTILE
        field["en"] += " " + HOSTILE
    (data / "sip.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = root / "site"
    env = dict(os.environ, SIP_DATA=str(data / "sip.yaml"), SIP_OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hostile_texts_stay_inert_on_the_changes_page(hostile_site, lang):
    article = soup_of(changes_page(hostile_site, lang)).select_one("article")
    assert not article.find_all(["script", "img", "b", "code"])
    assert not [tag for tag in article.find_all(True) for name in tag.attrs if name.lower().startswith("on")]
    text = article.get_text()
    assert text.count("<script>alert(1)</script>") >= 3 and "{{ 7*7 }}" in text and "49" not in text
    assert "{: onclick=alert(3) }" in text
    # The hostile words were inserted by the rewording: they are inside <ins>, as text.
    inserted = " ".join(i.get_text() for i in article.find_all("ins"))
    assert "<img src=x onerror=alert(2)>" in inserted


def test_a_frozen_revision_with_an_error_stops_the_build_naming_its_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REVISION_FIXTURE, data)
    frozen = data / "revisions" / "2023-11.yaml"
    text = frozen.read_text(encoding="utf-8")
    frozen.write_text(text.replace("        - sag\n", "        - sagg\n", 1), encoding="utf-8")
    site = tmp_path / "site"
    env = dict(os.environ, SIP_DATA=str(data / "sip.yaml"), SIP_OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert re.search(r"revisions/2023-11\.yaml:\d+:\d+: activity [\d.]+: owner 'sagg' is not defined", result.stderr), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
