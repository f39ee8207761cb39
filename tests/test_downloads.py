"""The downloads read back against data/sip.yaml itself: the JSON model, the HXL-tagged CSV, their links and releases.

The YAML is read here with PyYAML, not through macros/, so that a mistake in the model cannot hide in both.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
JSON_FILE = "downloads/sip.json"
CSV_FILE = "downloads/sip-activities.csv"
BOM = b"\xef\xbb\xbf"
REQUIRED_TAGS = ("#activity+code", "#activity+name+i_fr", "#activity+name+i_en", "#output+code", "#status+code",
                 "#activity+url+i_fr")
DOWNLOADS_PAGE = {"fr": "downloads.html", "en": "en/downloads.html"}


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def activities(data) -> dict[str, dict]:
    """Every activity of the YAML by id, with the ids of its pillar, outcome and output."""
    found: dict[str, dict] = {}
    for pillar in data["pillars"]:
        for outcome in pillar["outcomes"]:
            for output in outcome["outputs"]:
                for activity in output["activities"]:
                    assert activity["id"] not in found, f"data/sip.yaml: activity {activity['id']} twice"
                    found[activity["id"]] = {**activity, "pillar": pillar["id"], "outcome": outcome["id"],
                                             "output": output["id"]}
    return found


@pytest.fixture(scope="module")
def owner_names(data) -> dict[str, dict]:
    return {owner["id"]: owner["name"] for owner in data["owners"]}


@pytest.fixture(scope="module")
def plan_json(site_dir) -> dict:
    return json.loads((site_dir / JSON_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def csv_bytes(site_dir) -> bytes:
    return (site_dir / CSV_FILE).read_bytes()


@pytest.fixture(scope="module")
def csv_rows(csv_bytes) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """(header row, HXL hashtag row, one dict per activity keyed by hashtag)."""
    header, tags, *rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"), newline="")))
    return header, tags, [dict(zip(tags, row, strict=True)) for row in rows]


def owners_of(activity: dict) -> list[tuple[str, dict | None]]:
    """(owner id, role text or None) as the YAML writes them: a bare id, or {id, role}."""
    return [(ref, None) if isinstance(ref, str) else (ref["id"], ref.get("role")) for ref in activity["owners"]]


def current_status(activity: dict) -> str:
    """The latest reported status, or the plan's own status when nothing was reported since."""
    updates = activity.get("updates") or []
    return max(updates, key=lambda u: str(u["date"]))["status"] if updates else activity["status"]


def json_activities(plan_json: dict) -> list[dict]:
    return [{**activity, "pillar": pillar["id"], "outcome": outcome["id"], "output": output["id"]}
            for pillar in plan_json["pillars"] for outcome in pillar["outcomes"]
            for output in outcome["outputs"] for activity in output["activities"]]


def site_relative(link: str) -> str:
    """A permalink relative to the site root; absolute ones must start with the SITE_URL the site was built with."""
    if urlsplit(link).scheme:
        site_url = os.environ.get("SITE_URL", "").rstrip("/") + "/"
        assert site_url != "/" and link.startswith(site_url), f"{link} is absolute but not under SITE_URL {site_url}"
        return link[len(site_url):]
    return link


@functools.lru_cache(maxsize=None)
def ids_in(page: Path) -> frozenset[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return frozenset(element["id"] for element in soup.find_all(id=True))


def unresolved(site_dir: Path, link: str) -> str | None:
    """Why `link` (relative to the site root) does not land on an element of the built site, or None if it does."""
    path, _, anchor = site_relative(link).partition("#")
    page = site_dir / path
    if not page.is_file():
        return f"{link}: no page {path}"
    if anchor and anchor not in ids_in(page):
        return f"{link}: {path} has no element id={anchor}"
    return None


# The JSON model

def test_json_has_every_activity_once_where_the_yaml_puts_it(plan_json, activities):
    listed = json_activities(plan_json)
    ids = [a["id"] for a in listed]
    assert sorted(ids) == sorted(activities), f"ids differ: missing {set(activities) - set(ids)}, extra {set(ids) - set(activities)}"
    assert len(ids) == len(set(ids)), f"activities listed twice: {sorted({i for i in ids if ids.count(i) > 1})}"
    for a in listed:
        expected = activities[a["id"]]
        place = (a["pillar"], a["outcome"], a["output"])
        assert place == (expected["pillar"], expected["outcome"], expected["output"]), f"{a['id']} is under {place}"


def test_json_activities_have_the_yaml_texts_owners_and_status(plan_json, activities):
    for a in json_activities(plan_json):
        expected = activities[a["id"]]
        assert a["text"] == {"fr": expected["text"]["fr"], "en": expected["text"]["en"]}, f"{a['id']}: text differs"
        assert [(o["id"], o.get("role")) for o in a["owners"]] == owners_of(expected), f"{a['id']}: owners differ"
        assert a["status"] == current_status(expected), f"{a['id']}: status {a['status']}"
        if "baseline_status" in a:
            assert a["baseline_status"] == expected["status"], f"{a['id']}: baseline status {a['baseline_status']}"


def test_json_names_the_data_version_and_the_owners(plan_json, data):
    assert plan_json["meta"]["version"] == data["meta"]["version"]
    assert plan_json["meta"]["status_as_of"] == data["meta"]["status_as_of"]
    assert {o["id"]: o["name"] for o in plan_json["owners"]} == {o["id"]: o["name"] for o in data["owners"]}


def test_json_permalinks_land_on_their_activity(plan_json, site_dir):
    problems = [unresolved(site_dir, link) for a in json_activities(plan_json) for link in a["permalink"].values()]
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems[:10])


# The CSV of activities

def test_csv_has_no_bom_that_libhxl_or_pandas_would_read_into_the_first_header(csv_bytes):
    assert not csv_bytes.startswith(BOM)
    assert csv_bytes.decode("utf-8").startswith("pillar_id,")


def test_csv_second_row_is_hxl_hashtags(csv_rows):
    header, tags, _ = csv_rows
    assert len(tags) == len(header)
    assert all(tag.startswith("#") for tag in tags), f"not hashtags: {[t for t in tags if not t.startswith('#')]}"
    missing = [tag for tag in REQUIRED_TAGS if tag not in tags]
    assert not missing, f"HXL row lacks {missing}"
    assert "#org+name+i_fr" in tags or "#org+name" in tags, "HXL row has no owner name column"
    assert len(set(tags)) == len(tags), "a hashtag names two columns"


def test_csv_has_one_row_per_activity_with_the_yaml_values(csv_rows, activities, owner_names):
    _, tags, rows = csv_rows
    ids = [row["#activity+code"] for row in rows]
    assert sorted(ids) == sorted(activities), f"missing {set(activities) - set(ids)}, extra {set(ids) - set(activities)}"
    assert len(ids) == len(set(ids)), f"rows repeated: {sorted({i for i in ids if ids.count(i) > 1})}"
    name_fr = "#org+name+i_fr" if "#org+name+i_fr" in tags else "#org+name"
    for row in rows:
        a = activities[row["#activity+code"]]
        where = f"CSV row {a['id']}"
        assert row["#activity+name+i_fr"] == a["text"]["fr"], f"{where}: French text differs"
        assert row["#activity+name+i_en"] == a["text"]["en"], f"{where}: English text differs"
        assert row["#output+code"] == a["output"], f"{where}: output {row['#output+code']}"
        assert row["#status+code"] == current_status(a), f"{where}: status {row['#status+code']}"
        owners = [owner for owner, _ in owners_of(a)]
        if "#org+code" in row:
            assert [o.strip() for o in row["#org+code"].split(";") if o.strip()] == owners, f"{where}: owner ids"
        for owner in owners:
            assert owner_names[owner]["fr"] in row[name_fr], f"{where}: owner {owner} not named in French"
            if "#org+name+i_en" in row:
                assert owner_names[owner]["en"] in row["#org+name+i_en"], f"{where}: owner {owner} not named in English"
        if not owners:
            assert row[name_fr] == "", f"{where}: owners named for an activity without owners"


def test_csv_permalinks_land_on_their_activity_in_the_built_site(csv_rows, site_dir):
    _, tags, rows = csv_rows
    columns = [tag for tag in tags if tag.startswith("#activity+url")]
    problems = []
    for row in rows:
        for column in columns:
            link = row[column]
            if site_relative(link).partition("#")[2] != f"a-{row['#activity+code']}":
                problems.append(f"{column} of {row['#activity+code']}: {link} is not that activity's anchor")
            problems.append(unresolved(site_dir, link))
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems[:10])


# Where readers get them

@pytest.mark.parametrize("lang", DOWNLOADS_PAGE)
def test_downloads_page_links_to_both_files(site_dir, lang):
    name = DOWNLOADS_PAGE[lang]
    soup = BeautifulSoup((site_dir / name).read_text(encoding="utf-8"), "html.parser")
    # Resolve each link as a browser would from this page, relative to the site root.
    base = "http://site/"
    targets = {urljoin(base + name, a["href"]).removeprefix(base).partition("#")[0]
               for a in soup.select("article a[href]")}
    for wanted in (JSON_FILE, CSV_FILE):
        assert wanted in targets, f"{name} has no link to {wanted}"
        assert (site_dir / wanted).is_file(), f"{name} links to {wanted}, which is not in the site"


@pytest.mark.parametrize(("site_file", "suffix"), [(JSON_FILE, ".json"), (CSV_FILE, "-activities.csv")])
def test_release_copies_in_dist_equal_the_site_files(site_dir, data, site_file, suffix):
    release = ROOT / "dist" / f"sip-{data['meta']['version']}{suffix}"
    assert release.is_file(), f"{release.relative_to(ROOT)} is missing: run `make build`"
    assert release.read_bytes() == (site_dir / site_file).read_bytes(), f"{release.name} differs from site/{site_file}"
