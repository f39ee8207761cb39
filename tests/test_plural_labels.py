"""Interface labels that take a count have plural forms, chosen by each language's CLDR plural rule."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import feedparser
import pytest
from babel import Locale
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data.load import load_plan  # noqa: E402
from macros.data.progress import period_report  # noqa: E402
from macros.exchange.feed import atom_feed  # noqa: E402
from macros.labels import fmt, labels  # noqa: E402

LANGS = ("fr", "en")


@pytest.mark.parametrize("lang, count, expected", [
    ("fr", 0, "0 mise à jour"), ("fr", 1, "1 mise à jour"), ("fr", 2, "2 mises à jour"),
    ("en", 0, "0 updates"), ("en", 1, "1 update"), ("en", 2, "2 updates"),
])
def test_the_language_s_plural_rule_picks_the_form(lang, count, expected):
    assert fmt(lang, "updates_n", count) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_with_forms_has_one_and_other_and_every_counted_label_has_forms(lang):
    rule = Locale.parse(lang).plural_form
    for key, value in labels(lang).items():
        if isinstance(value, dict):
            assert {"one", "other"} <= set(value) <= {"none", "zero", "one", "two", "few", "many", "other"}, key
            for count in (0, 1, 2, 5, 21, 1_000_000):
                assert fmt(lang, key, count, done=count, total=50), (key, count, rule(count))
        elif isinstance(value, str):
            assert "{count}" not in value, f"{key}: a label with a count needs one/other forms"


def test_labels_with_forms_are_never_shown_raw(site_dir):
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "{'one':" not in text and "{&#39;one&#39;:" not in text, page


@pytest.mark.parametrize("lang", LANGS)
def test_the_feed_says_1_update_in_the_singular(lang):
    plan = load_plan(ROOT / "tests" / "fixtures" / "plans" / "progress.yaml")
    feed = feedparser.parse(atom_feed(plan, lang, "https://example.org/"))
    summaries = {entry.link.rsplit("/", 1)[1].removesuffix(".html"): " ".join(entry.summary.split()) for entry in feed.entries}
    for period in plan.periods:
        report = period_report(plan, period.id)
        expected = fmt(lang, "updates_n", len(report.changes))
        assert summaries[period.id].startswith(expected + ",")
    assert not re.search(r"\b1 (mises|updates)\b", " ".join(summaries.values()))


def test_french_zero_and_one_are_singular_and_english_zero_is_plural():
    assert fmt("fr", "completed_of", 1, done=1, total=4) == "1 sur 4 terminée"
    assert fmt("fr", "completed_of", 0, done=0, total=4) == "0 sur 4 terminée"
    assert fmt("en", "activities_n", 0) == "0 activities"
    assert fmt("en", "owned_by", 1) == "Owner" and fmt("en", "owned_by", 3) == "Owners"


@pytest.mark.parametrize("lang", LANGS)
def test_activity_owner_label_agrees_with_the_number_of_owners(site_dir, plan, lang):
    doc = BeautifulSoup((site_dir / ("en" if lang == "en" else "") / "pillars" / "1.html").read_text(encoding="utf-8"), "html.parser")
    for activity in plan.pillars[0].activities:
        meta = doc.find(id=activity.anchor).find_next(class_="sip-meta")
        label = " ".join(meta.strong.get_text().split()).rstrip(" :")
        assert label == fmt(lang, "owned_by", len(activity.owners)), activity.id
    assert "Responsible" not in " ".join(labels("en")[k] if isinstance(labels("en")[k], str) else " ".join(labels("en")[k].values())
                                         for k in labels("en") if k != "months")


def test_the_numbering_warning_agrees_with_the_parent_s_gender(site_dir):
    text = " ".join(BeautifulSoup((site_dir / "data-quality.html").read_text(encoding="utf-8"), "html.parser").get_text().split())
    assert "de sa réalisation (2.2)" in text and "de son produit (2.2.2)" in text
    assert "son réalisation" not in text
    english = " ".join(BeautifulSoup((site_dir / "en" / "data-quality.html").read_text(encoding="utf-8"), "html.parser").get_text().split())
    assert "number of its outcome (2.2)" in english


@pytest.mark.parametrize("lang", LANGS)
def test_an_activity_without_owner_says_so_once_and_in_the_singular(site_dir, plan, lang):
    """Not "Owners: Owner not recorded": the label for no owner is singular and the value does not repeat it."""
    unowned = [a for a in plan.activities if not a.owners]
    assert unowned, "the plan has activities without a recorded owner (completed ones)"
    activity = unowned[0]
    page = site_dir / ("en" if lang == "en" else "") / "pillars" / f"{activity.pillar_id}.html"
    meta = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(id=activity.anchor).find_next(class_="sip-meta")
    label = " ".join(meta.strong.get_text().split()).rstrip(" :\u00a0")
    value = meta.find("a", href=re.compile("owner-not-recorded")).get_text(" ", strip=True)
    assert label == fmt(lang, "owned_by", 0) == fmt(lang, "owned_by", 1 if lang == "en" else 0)
    assert label.lower() not in value.lower() and labels(lang)["owner"].lower() not in value.lower()
