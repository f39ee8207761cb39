"""The built site says what the plan says: every activity, owner, figure and link, in French and in English."""
from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from macros.labels import fmt, labels

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("fr", "en")
OTHER = {"fr": "en", "en": "fr"}
COMPLETED = "completed"  # the plan's status id for finished activities


# --- Reading the built site -------------------------------------------------------------------------------------

def lang_root(site_dir: Path, lang: str) -> Path:
    """French is the default language, at the root; English lives under en/."""
    return site_dir if lang == "fr" else site_dir / "en"


@lru_cache(maxsize=None)
def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def built_page(site_dir: Path, lang: str, name: str) -> BeautifulSoup:
    return parse(lang_root(site_dir, lang) / name)


def site_pages(site_dir: Path, lang: str) -> list[str]:
    """Every page of one language, as paths relative to that language's root (404 and search are not pages)."""
    root = lang_root(site_dir, lang)
    names = []
    for path in root.rglob("*.html"):
        name = path.relative_to(root).as_posix()
        if name.startswith(("en/", "search/", "assets/")) or name == "404.html":
            continue
        names.append(name)
    return sorted(names)


def contract_pages(plan) -> list[str]:
    pillars = [f"pillars/{p.id}.html" for p in plan.pillars]
    return ["index.html", "governance.html", *pillars, "owners.html", "dashboard.html", "glossary.html",
            "annex.html", "data-quality.html"]


def section(heading: Tag) -> list[Tag]:
    """The elements under `heading`, up to the next heading of the same or a higher level."""
    level = int(heading.name[1])
    body = []
    for sibling in heading.find_next_siblings():
        if re.fullmatch(r"h[1-6]", sibling.name) and int(sibling.name[1]) <= level:
            break
        body.append(sibling)
    return body


def links_in(elements: list[Tag], selector: str) -> list[str]:
    return [a["href"] for element in elements for a in element.select(selector)]


def text_of(element: Tag) -> str:
    """Visible text with whitespace collapsed and footnote markers dropped (their numbers are not plan text)."""
    element = copy.copy(element)
    for marker in element.select("sup[id^=fnref]"):
        marker.decompose()
    return " ".join(element.get_text().split())


def plain(markdown: str) -> str:
    """Plan text as a reader sees it: no emphasis markers, no footnote references."""
    return " ".join(re.sub(r"\[\^[^\]]+\]", "", markdown).replace("*", "").split())


# --- Both languages have the same pages --------------------------------------------------------------------------

def test_both_languages_have_the_same_pages_including_every_page_of_the_contract(site_dir, plan):
    french, english = site_pages(site_dir, "fr"), site_pages(site_dir, "en")
    assert french == english
    assert set(contract_pages(plan)) <= set(french)


@pytest.mark.parametrize("lang", LANGS)
def test_each_page_declares_its_language_and_has_exactly_one_h1(site_dir, lang):
    problems = []
    for name in site_pages(site_dir, lang):
        doc = built_page(site_dir, lang, name)
        if doc.html.get("lang") != lang:
            problems.append(f"{name}: <html lang={doc.html.get('lang')!r}>")
        if len(doc.find_all("h1")) != 1:
            problems.append(f"{name}: {len(doc.find_all('h1'))} h1 elements")
    assert not problems, "\n".join(problems)


# --- Home page and text rendering -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_home_shows_one_card_per_pillar_with_its_link_goal_and_progress(site_dir, plan, lang):
    cards = built_page(site_dir, lang, "index.html").select(".sip-pillar-cards li")
    pillars = len(plan.pillars)
    assert len(cards) == pillars, f"{len(cards)} pillar cards for {pillars} pillars"
    problems = []
    for card, pillar in zip(cards, plan.pillars):
        if [a["href"] for a in card.select("a[href]")] != [f"pillars/{pillar.id}.html"]:
            problems.append(f"pillar {pillar.id}: card links {[a['href'] for a in card.select('a[href]')]}")
        if plain(pillar.goal(lang)) not in text_of(card):
            problems.append(f"pillar {pillar.id}: goal not in its card")
        if len(card.select(".sip-bar")) != 1:
            problems.append(f"pillar {pillar.id}: {len(card.select('.sip-bar'))} progress bars in its card")
    assert not problems, "\n".join(problems)


# Any character reference left on screen: the text was escaped twice.
SHOWN_REFERENCE = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_shows_plan_text_as_code_or_as_escaped_markup(site_dir, lang):
    """The plan holds no code: a <pre> or <code> means a template broke the Markdown indentation."""
    problems = []
    for name in site_pages(site_dir, lang):
        article = built_page(site_dir, lang, name).find("article")
        # Except documentation meant as code (the downloads page's hashtags and recipe), marked .sip-technical.
        problems += [f"{lang}/{name}: <{el.name}> {text_of(el)[:60]!r}" for el in article.select("pre, :not(pre) > code")
                     if not el.find_parent(class_="sip-technical")]
        problems += [f"{lang}/{name}: {m.group(0)!r} shown as text" for m in SHOWN_REFERENCE.finditer(text_of(article))]
    assert not problems, "\n".join(problems)


# --- Pillar pages: every activity once, with its status and its owners ---------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_each_pillar_page_lists_exactly_its_activities_in_plan_order(site_dir, plan, lang):
    for pillar in plan.pillars:
        headings = built_page(site_dir, lang, f"pillars/{pillar.id}.html").select("h4.sip-activity-heading")
        assert [h.get("id") for h in headings] == [a.anchor for a in pillar.activities], f"pillar {pillar.id}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_activity_shows_its_text_status_owners_and_copy_link(site_dir, plan, lang):
    problems = []
    for activity in plan.activities:
        doc = built_page(site_dir, lang, f"pillars/{activity.pillar_id}.html")
        heading = doc.find("h4", id=activity.anchor)
        block = heading.find_next_sibling() if heading else None
        if block is None or block.name != "div" or "sip-activity" not in block.get("class", []):
            problems.append(f"{activity.id}: no div.sip-activity right after its heading")
            continue
        if plain(activity.text(lang)) not in text_of(block):
            problems.append(f"{activity.id}: its text is not shown")
        badges = [b.get("class") for b in block.select("span.sip-status")]
        if badges != [["sip-status", f"sip-status--{activity.status.id}"]]:
            problems.append(f"{activity.id}: status badges {badges}, expected {activity.status.id}")
        owners = links_in([block], 'a[href^="../owners.html"]')
        expected = [f"../owners.html#owner-{owner_id}" for owner_id in activity.owner_ids]
        if owners != (expected or ["../owners.html#owner-not-recorded"]):
            problems.append(f"{activity.id}: owner links {owners}, expected {expected or 'not recorded'}")
        if links_in([block], "a.sip-copy") != [f"#{activity.anchor}"]:
            problems.append(f"{activity.id}: copy-link control {links_in([block], 'a.sip-copy')}")
    assert not problems, "\n".join(problems)


# --- Owners page: each body lists exactly its activities --------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_each_owner_section_lists_exactly_the_activities_that_name_that_owner(site_dir, plan, lang):
    doc = built_page(site_dir, lang, "owners.html")
    problems = []
    for owner in plan.owners:
        heading = doc.find(id=f"owner-{owner.id}")
        listed = links_in(section(heading), 'a[href^="pillars/"]') if heading else None
        expected = [f"pillars/{a.pillar_id}.html#{a.anchor}" for a in plan.activities if owner.id in a.owner_ids]
        if listed != expected:
            problems.append(f"owner-{owner.id}: lists {listed}, expected {expected}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_owner_not_recorded_lists_exactly_the_activities_without_an_owner(site_dir, plan, lang):
    heading = built_page(site_dir, lang, "owners.html").find(id="owner-not-recorded")
    expected = [f"pillars/{a.pillar_id}.html#{a.anchor}" for a in plan.activities if not a.owners]
    if not expected:
        assert heading is None
        return
    assert heading is not None
    assert links_in(section(heading), 'a[href^="pillars/"]') == expected


# --- Dashboard: figures recomputed from the data ----------------------------------------------------------------

def table_after(doc: BeautifulSoup, heading_id: str) -> Tag:
    return next(el for el in section(doc.find(id=heading_id)) if el.name == "table")


@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_totals_by_status_match_the_data(site_dir, plan, lang):
    rows = table_after(built_page(site_dir, lang, "dashboard.html"), "totals").select("tbody tr")
    total = len(plan.activities)
    shown, total_row = [], None
    for row in rows:
        cells = row.find_all("td")
        badge = cells[0].select_one("span.sip-status")
        if badge is None:
            total_row = text_of(cells[1])
            continue
        status_id = next(c for c in badge["class"] if c.startswith("sip-status--")).removeprefix("sip-status--")
        shown.append((status_id, text_of(cells[1]), text_of(cells[2])))
    percent = labels(lang)["percent"]
    expected = []
    for status in plan.statuses:
        count = sum(a.status.id == status.id for a in plan.activities)
        expected.append((status.id, str(count), percent.format(value=round(100 * count / total))))
    assert shown == expected
    assert total_row == str(total)


@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_lists_exactly_the_completed_activities(site_dir, plan, lang):
    assert COMPLETED in {s.id for s in plan.statuses}
    doc = built_page(site_dir, lang, "dashboard.html")
    listed = links_in(section(doc.find(id="completed")), 'a[href^="pillars/"]')
    assert listed == [f"pillars/{a.pillar_id}.html#{a.anchor}" for a in plan.activities if a.status.id == COMPLETED]


@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_progress_by_pillar_and_by_owner_match_the_data(site_dir, plan, lang):
    doc = built_page(site_dir, lang, "dashboard.html")
    def said(activities) -> str:
        done = sum(a.status.id == COMPLETED for a in activities)
        return fmt(lang, "completed_of", done, done=done, total=len(activities))

    by_pillar = [bar["aria-label"] for bar in table_after(doc, "by-pillar").select(".sip-bar")]
    assert by_pillar == [said(p.activities) for p in plan.pillars]
    by_owner = {row.a["href"]: row.select_one(".sip-bar")["aria-label"]
                for row in table_after(doc, "by-owner").select("tbody tr")}
    for owner in plan.owners:
        assert by_owner[f"owners.html#owner-{owner.id}"] == said([a for a in plan.activities if owner.id in a.owner_ids])


# --- Links ------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
# Internal links and anchors of every page, online and offline: tests/test_links.py (scripts/linkcheck.py).


@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_leads_to_the_same_page_in_the_other_language(site_dir, lang):
    other_root = lang_root(site_dir, OTHER[lang])
    problems = []
    for name in site_pages(site_dir, lang):
        path = lang_root(site_dir, lang) / name
        links = parse(path).select(f'a.md-select__link[hreflang="{OTHER[lang]}"]')
        targets = [(path.parent / link["href"]).resolve() for link in links]
        if targets != [(other_root / name).resolve()]:
            problems.append(f"{lang}/{name}: switcher goes to {[link['href'] for link in links]}")
    assert not problems, "\n".join(problems)


# --- No interface label in the wrong language -------------------------------------------------------------------

# Labels that the plan's own text uses in the other language too, so finding them there is no leak.
LEGITIMATE_IN_OTHER_LANGUAGE = {
    "Responsible",  # the French text spells out RACI in English: "(Responsible, Accountable, Consulted, and Informed)"
    "· Licence",  # the footer's "· Licence: …": the word is the same in French and English
}


def telltale_labels(lang: str) -> list[str]:
    """Labels of `lang` that cannot be mistaken for the other language's: they differ and are 6+ characters.

    Labels with {placeholders} contribute their fixed fragments ('{done} of {total} completed' -> 'completed').
    """
    mine, theirs = labels(lang), labels(OTHER[lang])
    found = set()
    for key, value in mine.items():
        if not isinstance(value, str) or value == theirs.get(key):
            continue
        for fragment in re.split(r"\{[^}]*\}", value):
            fragment = fragment.strip(" :.;,()")
            if len(fragment) >= 6 and fragment not in LEGITIMATE_IN_OTHER_LANGUAGE:
                found.add(fragment)
    return sorted(found)


@pytest.mark.parametrize("lang", LANGS)
def test_no_interface_label_of_the_other_language_appears_in_page_content(site_dir, lang):
    foreign = telltale_labels(OTHER[lang])
    problems = []
    for name in site_pages(site_dir, lang):
        article = copy.copy(built_page(site_dir, lang, name).find("article"))
        for technical in article.select(".sip-technical"):  # file names and code, the same in both languages
            technical.decompose()
        text = text_of(article)
        problems += [f"{lang}/{name}: {label!r}" for label in foreign
                     if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_progress_bar_tooltips_use_the_page_language_punctuation(site_dir, plan, lang):
    """'Terminé : 1' in French, 'Completed: 1' in English: the colon comes from the labels; in French, the space
    before it is a no-break space in tooltips too."""
    colon = labels(lang)["colon"].replace(" ", "\u00a0")
    problems = []
    for name in site_pages(site_dir, lang):
        for segment in built_page(site_dir, lang, name).select(".sip-bar__seg[title]"):
            status_id = segment["class"][-1].removeprefix("sip-status--")
            count = segment["title"].rsplit(" ", 1)[-1]
            expected = f"{plan.status(status_id).label(lang)}{colon} {count}"
            if segment["title"] != expected:
                problems.append(f"{lang}/{name}: {segment['title']!r}, expected {expected!r}")
    assert not problems, "\n".join(sorted(set(problems)))


# --- Data is shown as text, never run as markup or template --------------------------------------------------------

HOSTILE_TEXT = " <script>alert(1)</script> <img src=x onerror=alert(1)> {{ 7*7 }} {% if true %}x{% endif %}"
# A pillar title also becomes the page's <title>, where only "</title>" can break out into the document.
HOSTILE_TITLE = " <b>bold</b> </title><script>alert(2)</script>"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, str, str]:
    """A site built from the real data, with markup and template syntax in one activity and one pillar title."""
    data = yaml.safe_load((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8"))
    pillar = data["pillars"][0]
    activity = pillar["outcomes"][0]["outputs"][0]["activities"][0]
    for lang in LANGS:
        activity["text"][lang] += HOSTILE_TEXT
        pillar["title"][lang] += HOSTILE_TITLE
    work = tmp_path_factory.mktemp("hostile")
    (work / "sip.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = dict(os.environ, SIP_DATA=str(work / "sip.yaml"), SIP_OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(work / "site")],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    yield work / "site", str(pillar["id"]), str(activity["id"])
    shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("lang", LANGS)
def test_markup_and_template_syntax_in_the_data_are_shown_as_text(hostile_site, lang):
    site, pillar_id, activity_id = hostile_site
    doc = parse(lang_root(site, lang) / f"pillars/{pillar_id}.html")
    block = doc.find(id=f"a-{activity_id}").find_next_sibling("div")
    shown = text_of(block)
    for literal in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{ 7*7 }}",
                    "{% if true %}x{% endif %}"):
        assert literal in shown
    assert "49" not in shown
    assert HOSTILE_TITLE.strip() in text_of(doc.find("h1"))


@pytest.mark.parametrize("lang", LANGS)
def test_markup_in_the_data_creates_no_element_on_any_page(hostile_site, lang):
    site = hostile_site[0]
    root = lang_root(site, lang)
    problems = []
    for path in sorted(root.rglob("*.html")):
        if lang == "fr" and path.is_relative_to(site / "en"):
            continue
        doc = parse(path)
        name = path.relative_to(site)
        problems += [f"{name}: <script> {s.string!r} in <{s.parent.name}>"
                     for s in doc.find_all("script") if "alert(" in (s.string or "")]
        problems += [f"{name}: {img}" for img in doc.find_all("img", src="x")]
        problems += [f"{name}: {b}" for b in doc.find_all("b") if b.get_text() == "bold"]
        problems += [f"{name}: onerror attribute" for el in doc.find_all(onerror=True)]
    assert not problems, "\n".join(problems)


# --- Annex I: each minimum commitment is its own permanent anchor ----------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_each_minimum_commitment_has_its_permanent_anchor_and_number(site_dir, plan, lang):
    doc = built_page(site_dir, lang, "annex.html")
    for commitment in plan.annex.commitments:
        item = doc.find(id=f"commitment-{commitment.number}")
        assert item is not None and item.name == "li", f"annex.html#commitment-{commitment.number} is missing"
        assert item.get("value") == str(commitment.number)
        assert text_of(item) == plain(commitment.text(lang))
    assert "{ #commitment" not in doc.get_text(), "an attribute list is shown as text"
