"""Progress over time, on a fixture plan with three quarters of updates: reports, history, trend, feed."""
from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "plans" / "progress.yaml"
ATOM = "{http://www.w3.org/2005/Atom}"
LANGS = ("fr", "en")


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def activities(raw: dict):
    for pillar in raw["pillars"]:
        for outcome in pillar["outcomes"]:
            for output in outcome["outputs"]:
                for activity in output["activities"]:
                    yield pillar["id"], activity


def owner_ids(activity: dict) -> set[str]:
    return {o if isinstance(o, str) else o["id"] for o in activity["owners"]}


def status_after(activity: dict, period: str | None) -> str:
    reported = [u["status"] for u in activity.get("updates", []) if period and u["period"] <= period]
    return reported[-1] if reported else activity["status"]


def soup(site: Path, lang: str, page: str) -> BeautifulSoup:
    path = site / ("" if lang == "fr" else "en") / page
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def number_in(table_cell) -> int:
    return int(table_cell.get_text(strip=True))


@pytest.mark.parametrize("lang", LANGS)
def test_each_period_page_counts_what_changed_since_the_previous_period(progress_site, raw, lang):
    periods = [p["id"] for p in raw["periods"]]
    assert periods == ["2024-Q1", "2024-Q2", "2024-Q3"]
    for index, period in enumerate(periods):
        previous = periods[index - 1] if index else None
        reported = [(pid, a) for pid, a in activities(raw) for u in a.get("updates", []) if u["period"] == period]
        transitions = sum(status_after(a, previous) != status_after(a, period) for _, a in reported)
        completed = sum(status_after(a, previous) != "completed" == status_after(a, period) for _, a in reported)
        page = soup(progress_site, lang, f"reports/{period}.html")
        first_table = page.article.find("table")
        assert [number_in(td) for td in first_table.find_all("td")] == [len(reported), transitions, completed]
        # Every reported activity is listed once, linked to its permanent anchor.
        linked = [a["href"] for a in page.article.select("a[href*='#a-']")]
        assert sorted(linked) == sorted(f"../pillars/{pid}.html#a-{a['id']}" for pid, a in reported)


@pytest.mark.parametrize("lang", LANGS)
def test_only_the_glm_period_says_it_is_presented_at_a_glm(progress_site, raw, lang):
    marker = {"fr": "réunion sur la logistique mondiale", "en": "Global Logistics Meeting"}[lang]
    for period in raw["periods"]:
        text = soup(progress_site, lang, f"reports/{period['id']}.html").article.get_text()
        assert (marker in text) == bool(period.get("glm"))


@pytest.mark.parametrize("lang", LANGS)
def test_each_owner_report_lists_its_activities_with_latest_status_and_history(progress_site, raw, lang):
    for owner in raw["owners"]:
        page = soup(progress_site, lang, f"reports/owners/{owner['id']}.html")
        expected = {a["id"]: a for _, a in activities(raw) if owner["id"] in owner_ids(a)}
        headings = page.article.select("h3[id^='report-a-']")
        assert sorted(h["id"][len("report-a-"):] for h in headings) == sorted(expected)
        for heading in headings:
            activity = expected[heading["id"][len("report-a-"):]]
            body = heading.find_next_sibling("div", class_="sip-activity")
            badge = body.select_one(".sip-status")
            assert f"sip-status--{status_after(activity, '9999-Q4')}" in badge["class"]
            history = body.select("details li")
            assert len(history) == len(activity.get("updates", []))


@pytest.mark.parametrize("lang", LANGS)
def test_pillar_pages_show_each_history_collapsed(progress_site, raw, lang):
    for pillar_id, activity in activities(raw):
        page = soup(progress_site, lang, f"pillars/{pillar_id}.html")
        body = page.find(id=f"a-{activity['id']}").find_next_sibling("div", class_="sip-activity")
        details = body.find("details")
        updates = activity.get("updates", [])
        if not updates:
            assert details is None
            continue
        assert not details.has_attr("open"), "history is collapsed by default"
        items = details.find_all("li")
        assert [li.find("strong").get_text() for li in items] == [u["period"] for u in updates]


@pytest.mark.parametrize("lang", LANGS)
def test_the_dashboard_trend_counts_completed_activities_per_period(progress_site, raw, lang):
    expected = [sum(status_after(a, p) == "completed" for _, a in activities(raw))
                for p in [None] + [p["id"] for p in raw["periods"]]]
    svg = soup(progress_site, lang, "dashboard.html").select_one(".sip-trend svg")
    numbers = [int(t.get_text()) for t in svg.find_all("text") if t.get_text().isdigit()]
    labels = [t.get_text() for t in svg.find_all("text") if not t.get_text().isdigit()]
    assert numbers == expected
    assert labels[1:] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    assert svg.find("title").get_text().strip(), "the chart has a text alternative"


@pytest.mark.parametrize("lang", LANGS)
def test_the_feed_is_valid_atom_listing_every_period(progress_site, raw, lang):
    path = progress_site / ("" if lang == "fr" else "en") / "feed.xml"
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    periods = [p["id"] for p in raw["periods"]]
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        {"fr": f"Rapport du trimestre {p}", "en": f"Report for quarter {p}"}[lang] for p in reversed(periods)]
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")
        assert (path.parent / href).is_file()
    # The reports page links to its language's feed.
    link = soup(progress_site, lang, "reports.html").select_one("a[type='application/atom+xml']")
    assert (path.parent / link["href"]).resolve() == path.resolve()


@pytest.mark.parametrize("lang", LANGS)
def test_the_real_site_says_no_update_since_the_baseline(site_dir, lang):
    text = soup(site_dir, lang, "reports.html").article.get_text(" ")
    assert {"fr": "Aucune mise à jour n'a été communiquée depuis la référence du plan (novembre 2023)",
            "en": "No update has been reported since the plan baseline (November 2023)"}[lang] in text
    assert not (site_dir / "reports" / "2024-Q1.html").exists()
    # The feed exists before the first report (partners subscribe early), with no entry yet.
    feed = ET.parse(site_dir / ("" if lang == "fr" else "en") / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed" and not feed.findall(f"{ATOM}entry")


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdfs_hold_every_pillar_and_activity(site_dir, plan, lang):
    from macros.exchange import names
    pdfs = [ROOT / "dist" / names.pdf(plan, lang)]
    assert pdfs[0].is_file(), "make build prints dist/sip-<version>[-<period>]-<lang>.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdfs[0]), "-"], capture_output=True, text=True, check=True).stdout
    word = {"fr": "Pilier", "en": "Pillar"}[lang]
    headings = re.findall(rf"^\s*{word} (\d) ?:", text, flags=re.M)
    assert sorted(set(headings)) == [p.id for p in plan.pillars]
    missing = [a.id for a in plan.activities if not re.search(rf"\b{re.escape(a.id)}\b", text)]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_each_period_page_says_who_reported_counts_reports_sent_and_who_has_not_reported(progress_site, raw, lang):
    """Issue 22: a co-owner that sent nothing is not credited with its partner's report, and the page tells the
    Rome team whom to remind (owners with activities that have not reported for the period)."""
    names = {o["id"]: o["name"][lang] for o in raw["owners"]}
    shorts = {o["id"]: o["short"][lang] for o in raw["owners"]}
    asked = {oid for _, a in activities(raw) for oid in owner_ids(a)}
    for period in [p["id"] for p in raw["periods"]]:
        reported = [(a, u) for _, a in activities(raw) for u in a.get("updates", []) if u["period"] == period]
        senders = {u["reported_by"] for _, u in reported}
        page = soup(progress_site, lang, f"reports/{period}.html")
        # Who reported each update, beside it.
        cells = [td.get_text(" ", strip=True) for td in page.article.select("td:has(.sip-reported-by)")]
        assert sorted(cells) == sorted(shorts[u["reported_by"]] for _, u in reported)
        # The per-owner table: the reports each owner sent itself.
        table = page.article.find(id="by-owner").find_next("table")
        rows = {tr.find("a")["href"].rsplit("/", 1)[-1][:-5]: number_in(tr.find_all("td")[1])
                for tr in table.select("tbody tr")}
        assert rows == {oid: sum(u["reported_by"] == oid for _, u in reported) for oid in senders}
        co_owners = {oid for a, u in reported for oid in owner_ids(a)} - senders
        assert not co_owners & set(rows), f"{period}: credited without sending anything: {co_owners & set(rows)}"
        sent = [a.get_text(" ", strip=True) for a in page.article.select(".sip-sent a")]
        not_sent = [a.get_text(" ", strip=True) for a in page.article.select(".sip-not-sent a")]
        assert sorted(sent) == sorted(names[oid] for oid in senders)
        assert sorted(not_sent) == sorted(names[oid] for oid in asked - senders)
