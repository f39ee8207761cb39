"""Each data text is rendered once per language: every built page that shows an activity's text shows that same HTML."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from macros.data.model import LANGUAGES, MarkdownText, StaleMarkdownText, Text
from macros.views.render import escaped_text, md

# Footnote references are numbered per page (the second footnote of a pillar is the first of an owner's report).
_FOOTNOTE_REF = re.compile(r'<sup class="footnote-ref"[^>]*>.*?</sup>|<sup id="fnref[^"]*">.*?</sup>')


def _soup(site, lang: str, path: str) -> BeautifulSoup:
    folder = site if lang == LANGUAGES[0] else site / lang
    return BeautifulSoup((folder / path).read_text(encoding="utf-8"), "html.parser")


def _text_after(soup: BeautifulSoup, heading_id: str) -> str | None:
    """The HTML of the first paragraph of the activity block under the heading `heading_id`: the activity's text."""
    heading = soup.find(id=heading_id)
    if heading is None:
        return None
    text = heading.find_next("div", class_="sip-activity").find("p")
    # The editor's note after the text is the page's own (a link online, words in print, none in a report).
    for note in text.find_all(class_="sip-editor-note"):
        note.decompose()
    return re.sub(r"\s+</p>\Z", "</p>", _FOOTNOTE_REF.sub("[ref]", str(text)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_shows_an_activitys_text_as_its_one_rendering(site_dir, plan, lang):
    pillars = {p.id: _soup(site_dir, lang, f"pillars/{p.id}.html") for p in plan.pillars}
    printable = _soup(site_dir, lang, "print.html")
    reports = {o.id: _soup(site_dir, lang, f"reports/owners/{o.id}.html") for o in plan.owners
               if (site_dir / f"reports/owners/{o.id}.html").is_file()}
    compared = 0
    for pillar in plan.pillars:
        for activity in pillar.activities:
            shown = _text_after(pillars[pillar.id], activity.anchor)
            assert shown, f"{lang} {activity.id}: no text on its pillar page"
            assert _text_after(printable, activity.anchor) == shown, f"{lang} {activity.id}: print.html differs"
            compared += 1
            for role in activity.owners:
                if role.owner.id in reports:
                    in_report = _text_after(reports[role.owner.id], f"report-{activity.anchor}")
                    assert in_report == shown, f"{lang} {activity.id}: report of {role.owner.id} differs"
                    compared += 1
    assert compared > 2 * len(plan.activities)  # the printable plan and at least one owner report per activity


def test_a_text_is_escaped_once_and_reused_by_every_page(plan):
    activity = plan.activities[0]
    # A copy equal in value is the same text: it gets the one rendering, not a second conversion.
    twin = type(activity.text)(activity.text.fr, activity.text.en)
    for lang in LANGUAGES:
        assert escaped_text(twin, lang) is escaped_text(activity.text, lang)
        assert escaped_text(activity.text, lang) == md(activity.text(lang))


def test_equal_words_of_different_kinds_are_not_mixed_up():
    # The cache is keyed by the text's type as well as its words: Markdown stays alive only where documented.
    words = "*Rome* team"
    assert escaped_text(Text(words, words), "en") == "&#42;Rome&#42; team"
    assert escaped_text(MarkdownText(words, words), "en") == "*Rome* team"
    stale = escaped_text(StaleMarkdownText(words, words), "en")
    assert stale == "*Rome* team" and stale.review == "stale"
    assert not getattr(escaped_text(MarkdownText(words, words), "en"), "review", "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_status_badge_of_the_site_is_its_statuss_one_rendering(site_dir, plan, lang):
    folder = site_dir if lang == LANGUAGES[0] else site_dir / lang
    pages = [p for p in folder.rglob("*.html") if lang != LANGUAGES[0] or not p.is_relative_to(site_dir / "en")]
    seen: dict[str, set[str]] = {}
    for path in pages:
        for badge in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select("span.sip-status"):
            seen.setdefault(" ".join(badge["class"]), set()).add(str(badge))
    assert {f"sip-status sip-status--{s.id}" for s in plan.statuses} >= set(seen)
    assert len(seen) >= 3 and all(len(forms) == 1 for forms in seen.values()), seen
