"""One "statuses as of" fact: every page, the JSON, the feed, the offline note and the file names tell the date the
statuses speak for (the latest period reported, else the plan's baseline), with a plan that has reports and one
that has none."""
from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from macros.data.load import load_plan  # noqa: E402
from macros.exchange import names  # noqa: E402
from macros.exchange.exports import SCHEMA_SOURCE  # noqa: E402
from macros.labels import labels  # noqa: E402
from macros.views.as_of import as_of_sentence, as_of_title  # noqa: E402
from macros.views.render import month_label  # noqa: E402

PROGRESS = ROOT / "tests" / "fixtures" / "plans" / "progress.yaml"
LANGS = ("fr", "en")
# Every page that states the date of the statuses.
PAGES = ("index.html", "dashboard.html", "reports.html", "downloads.html", "print.html")


@pytest.fixture(scope="module")
def progress_plan():
    return load_plan(PROGRESS)


def words(path: Path) -> str:
    """The page's article text with French no-break spaces read as spaces."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return " ".join(soup.article.get_text(" ").replace("\u202f", " ").replace("\u00a0", " ").split())


def latest_reported(raw: dict) -> str | None:
    """The latest period with an update, read from the YAML itself (not through the model)."""
    reported = {u["period"] for p in raw["pillars"] for oc in p["outcomes"] for op in oc["outputs"]
                for a in op["activities"] for u in a.get("updates", [])}
    return max(reported) if reported else None


def page(site: Path, lang: str, name: str) -> Path:
    return site / ("" if lang == "fr" else "en") / name


def test_the_fact_is_the_latest_period_reported_else_the_baseline(plan, progress_plan):
    raw = yaml.safe_load(PROGRESS.read_text(encoding="utf-8"))
    assert progress_plan.as_of.period.id == latest_reported(raw) and progress_plan.as_of.differs
    assert progress_plan.as_of.baseline == raw["meta"]["status_as_of"]
    real = yaml.safe_load((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8"))
    expected = latest_reported(real)
    assert (plan.as_of.period.id if plan.as_of.period else None) == expected
    assert plan.as_of.baseline == real["meta"]["status_as_of"]


@pytest.mark.parametrize("lang", LANGS)
def test_with_a_report_every_page_names_the_period_and_the_baseline_and_never_the_baseline_alone(
        progress_site, progress_plan, lang):
    period = progress_plan.as_of.period.id
    baseline = month_label(progress_plan.as_of.baseline, lang)
    # What the site said before: "Statuts en date de novembre 2023" although a 2024 report counts.
    stale = labels(lang)["as_of_title_baseline"].format(baseline=baseline)
    sentence = " ".join(as_of_sentence(progress_plan, lang).split())
    for name in PAGES + ("reports/owners/rome-team.html",):
        text = words(page(progress_site, lang, name))
        assert sentence in text, f"{lang}/{name} does not state {sentence!r}"
        assert period in text and baseline in text, f"{lang}/{name}: both dates, in words"
        assert stale not in text, f"{lang}/{name} still claims {stale!r}"
    home = BeautifulSoup(page(progress_site, lang, "index.html").read_text(encoding="utf-8"), "html.parser")
    title = home.select_one(".admonition .admonition-title").get_text(" ")
    assert " ".join(title.replace("\u202f", " ").replace("\u00a0", " ").split()) == as_of_title(progress_plan, lang)
    # The dashboard's methodology says it too, not only its first line.
    dashboard = BeautifulSoup(page(progress_site, lang, "dashboard.html").read_text(encoding="utf-8"), "html.parser")
    methodology = dashboard.find(id="methodology").find_next("p").get_text(" ")
    assert period in methodology and baseline in " ".join(methodology.replace("\u00a0", " ").split())


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_report_the_pages_give_the_baseline_and_say_no_report_followed(site_dir, plan, lang):
    if plan.as_of.period is not None:
        pytest.skip("the real plan has a report: the fixture test covers this case")
    sentence = " ".join(as_of_sentence(plan, lang).split())
    assert month_label(plan.as_of.baseline, lang) in sentence
    for name in PAGES:
        assert sentence in words(page(site_dir, lang, name)), f"{lang}/{name} does not state {sentence!r}"


@pytest.mark.parametrize("which", ["progress", "real"])
def test_the_json_states_the_fact_and_validates(which, progress_site, site_dir, progress_plan, plan):
    site, source = (progress_site, progress_plan) if which == "progress" else (site_dir, plan)
    data = json.loads((site / "downloads" / "sip.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_SOURCE.read_text(encoding="utf-8"))).validate(data)
    assert data["as_of"]["baseline"] == data["meta"]["status_as_of"]
    reported = {u["period"] for p in data["pillars"] for oc in p["outcomes"] for op in oc["outputs"]
                for a in op["activities"] for u in a["updates"]}
    assert data["as_of"]["latest_period"] == (max(reported) if reported else None)
    assert data["as_of"]["statement"] == {lang: as_of_sentence(source, lang) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_the_feed_subtitle_states_the_fact(progress_site, progress_plan, lang):
    feed = feedparser.parse(page(progress_site, lang, "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    subtitle = " ".join(feed.feed.subtitle.replace("\u202f", " ").replace("\u00a0", " ").split())
    assert subtitle == " ".join(as_of_sentence(progress_plan, lang).split())


def test_files_are_named_after_their_data_with_a_stable_alias(plan, progress_plan):
    period = progress_plan.as_of.period.id.replace("-", "")
    version = progress_plan.meta.version
    assert names.offline_zip(progress_plan) == f"sip-{version}-{period}-offline.zip"
    assert names.pdf(progress_plan, "en") == f"sip-{version}-{period}-en.pdf"
    assert names.alias(names.offline_zip(progress_plan), progress_plan) == "sip-latest-offline.zip"
    assert names.alias(names.pdf(progress_plan, "fr"), progress_plan) == "sip-latest-fr.pdf"
    if plan.as_of.period is None:
        assert names.offline_zip(plan) == f"sip-{plan.meta.version}-offline.zip"


def test_the_build_leaves_the_named_files_and_their_aliases_with_the_same_bytes(site_dir, plan):
    dist = ROOT / "dist"
    for name in (names.offline_zip(plan), *(names.pdf(plan, lang) for lang in LANGS)):
        if name.endswith(".pdf") and not (dist / name).exists():
            pytest.skip("no Chromium: no PDF was printed")
        assert (dist / name).read_bytes() == (dist / names.alias(name, plan)).read_bytes(), name


def test_the_offline_note_and_folder_tell_the_quarter(progress_plan, tmp_path):
    import build

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    zip_path = tmp_path / names.offline_zip(progress_plan)
    build.write_bundle(site, zip_path, progress_plan)
    with zipfile.ZipFile(zip_path) as bundle:
        tops = {name.split("/", 1)[0] for name in bundle.namelist()}
        assert tops == {zip_path.name.removesuffix(".zip")}, "the folder it unzips to names the quarter"
        note = bundle.read(f"{tops.pop()}/LISEZMOI-README.txt").decode("ascii")
    for lang in LANGS:
        assert build._ascii(as_of_sentence(progress_plan, lang)) in note
    assert progress_plan.as_of.period.id in note and progress_plan.as_of.baseline[:4] in note
