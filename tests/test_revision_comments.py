"""A draft open for comments, built: prefilled mailto: links on every activity, output and outcome (decoded from the
built HTML, in both languages, hostile text inert), the consultation on the home page, and the Revisions page."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from macros.data.load import load_plan
from macros.data.model import Consultation
from macros.labels import fmt, labels
from macros.revisions.comments import CommentLinks, plain_text
from macros.revisions.freeze import freeze
from macros.views.pillars import render_pillar, render_printable_plan
from macros.views.render import Page
from macros.views.site import render_home

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://example.org/sip/"
ADDRESS = "sip-consultation@example.org"  # a test address: the real data sets none
DEADLINE = "2025-09-15"
DRAFT = "2025-06"
HOSTILE = {"fr": ' « q » "dq" \'s <script>alert(1)</script> &amp; & 100 % #frag ?x=1&y=2 é ü 中文 %0A\n'
                 "Deuxième ligne <img src=x onerror=alert(2)>",
           "en": ' "dq" \'s <script>alert(1)</script> &amp; & 100 % #frag ?x=1&y=2 é ü 中文 %0A\n'
                 "Second line <img src=x onerror=alert(2)>"}
LANGS = ("fr", "en")


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """data/ with 2023-11 frozen, then the current revision as draft 2025-06 open for comments, one activity and one
    output given hostile text; built with a site address."""
    root = tmp_path_factory.mktemp("draft")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("revisions", "translations.lock"))
    shutil.copytree(ROOT / "tests" / "permalinks", root / "permalinks")
    data = root / "data" / "sip.yaml"
    freeze(data, None, root / "permalinks")
    plan = load_plan(data)
    activity, output = plan.activities[2], plan.outputs[1]
    text = data.read_text(encoding="utf-8")
    text = replace_once(text, 'version: "2023-11"', f'version: "{DRAFT}"')
    text = replace_once(text, "  state: draft\n", f'  state: draft\n  consultation:\n    email: {ADDRESS}\n'
                                                   f'    deadline: "{DEADLINE}"\n')
    for element in (activity, output):
        for lang in LANGS:
            old = element.text(lang)
            assert "\n" not in old
            line = re.search(rf"(?m)^( *){lang}: {re.escape(old)}\n", text)
            pad = line.group(1) + "  "
            block = pad + (old + HOSTILE[lang]).replace("\n", "\n" + pad)
            text = replace_once(text, line.group(0), f"{line.group(1)}{lang}: |-\n{block}\n")
    data.write_text(text, encoding="utf-8")
    draft = load_plan(data)
    site = root / "site"
    env = dict(os.environ, SIP_DATA=str(data), NO_MKDOCS_2_WARNING="1", SIP_OFFLINE="false", SITE_URL=SITE_URL)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    yield site, draft, activity.id, output.id
    shutil.rmtree(root, ignore_errors=True)


def page(site: Path, lang: str, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / ("" if lang == "fr" else "en") / name).read_text(encoding="utf-8"), "html.parser")


def decode(href: str) -> tuple[str, dict[str, str]]:
    """(address, {subject, body}) of a mailto: link, read by the RFC 6068 rules (no '+' for spaces)."""
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and not parts.fragment
    fields = {}
    for pair in parts.query.split("&"):
        key, _, value = pair.partition("=")
        fields[unquote(key)] = unquote(value, errors="strict")
    return unquote(parts.path), fields


def comment_link_after(anchor) -> BeautifulSoup:
    """The comment link of the element whose heading is `anchor`: the next one in the page."""
    return anchor.find_next("a", class_="sip-comment")


@pytest.mark.parametrize("lang", LANGS)
def test_every_activity_output_and_outcome_has_a_comment_link(built, lang):
    site, plan, _, _ = built
    for pillar in plan.pillars:
        doc = page(site, lang, f"pillars/{pillar.id}.html")
        links = doc.select("a.sip-comment")
        elements = [*pillar.outcomes, *(op for oc in pillar.outcomes for op in oc.outputs), *pillar.activities]
        assert len(links) == len(elements)
        subjects = {decode(a["href"])[1]["subject"] for a in links}
        for element in elements:
            kind = "activity" if element.anchor.startswith("a-") else element.anchor.split("-")[0]
            name = fmt(lang, f"element_{kind}", id=element.id)
            assert any(s.endswith(name) for s in subjects), name
        assert all(a.get_text() == labels(lang)["comment_on_this"] for a in links)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["activity", "output"])
def test_the_mail_carries_revision_id_permalink_and_text_and_hostile_text_stays_inert(built, lang, kind):
    site, plan, activity_id, output_id = built
    element = next(a for a in plan.activities if a.id == activity_id) if kind == "activity" else \
        next(o for o in plan.outputs if o.id == output_id)
    pillar = next(p for p in plan.pillars if any(o.id == element.id for o in (*p.activities, *(
        op for oc in p.outcomes for op in oc.outputs))))
    doc = page(site, lang, f"pillars/{pillar.id}.html")
    link = comment_link_after(doc.find(id=element.anchor))
    address, fields = decode(link["href"])
    assert address == ADDRESS and set(fields) == {"subject", "body"}
    name = fmt(lang, f"element_{kind}", id=element.id)
    assert fields["subject"] == fmt(lang, "comment_subject", short_title=plan.meta.short_title(lang), version=DRAFT,
                                    element=name)
    body = fields["body"]
    assert "\n" not in body.replace("\r\n", ""), "line breaks are CRLF (RFC 6068)"
    body = body.replace("\r\n", "\n")
    prefix = "" if lang == "fr" else "en/"
    assert f"{SITE_URL}{prefix}pillars/{pillar.id}.html#{element.anchor}" in body
    assert DRAFT in body and plan.meta.revision(lang) in body and name in body
    # the element's text, hostile characters included, exactly as a reader sees it
    for line in HOSTILE[lang].strip().splitlines():
        assert line.strip() in body, line
    assert element.text(lang).split("\n")[0].strip() in body
    # inert: the raw attribute holds only percent-encoded data; the page gained no element from it
    raw = re.search(r'<a class="sip-comment" href="([^"]*)"', (site / prefix / f"pillars/{pillar.id}.html").read_text(
        encoding="utf-8")).group(1)
    assert re.fullmatch(r"mailto:[A-Za-z0-9@.+_-]+\?subject=[A-Za-z0-9%._~-]+&amp;body=[A-Za-z0-9%._~-]+", raw)
    assert sorted(link.attrs) == ["class", "href", "title"]
    assert not [s for s in doc.select("script") if "alert" in s.get_text()] and not doc.select("img[onerror]")
    assert "<script>alert(1)</script>" in doc.find(id=element.anchor).find_next(["div", "p"]).get_text()  # shown as text


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_shows_the_deadline_and_the_address(built, lang):
    site, plan, _, _ = built
    doc = page(site, lang, "index.html")
    note = doc.find(class_="sip-consultation-address").find_parent(class_="admonition")
    text = " ".join(note.get_text().split()).replace("\u202f", " ").replace("\u00a0", " ")
    months = labels(lang)["months"]
    assert f"15 {months[8]} 2025" in text and ADDRESS in text
    address, fields = decode(doc.find(class_="sip-consultation-address")["href"])
    assert address == ADDRESS and DRAFT in fields["subject"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_printable_plan_has_no_comment_link(built, lang):
    assert not page(built[0], lang, "print.html").select("a.sip-comment, a[href^=mailto]")


@pytest.mark.parametrize("lang", LANGS)
def test_the_revisions_page_lists_the_draft_first_then_the_frozen_revision(built, lang):
    site, plan, _, _ = built
    doc = page(site, lang, "revisions.html")
    t = labels(lang)
    rows = doc.select("main table tbody tr")
    assert [r.find(class_="sip-revision")["id"] for r in rows] == [f"revision-{DRAFT}", "revision-2023-11"]
    current, frozen = ([" ".join(c.get_text().split()) for c in r.find_all("td")] for r in rows)
    assert t["revisions_current"] in current[0] and current[2] == t["revision_state_draft"]
    assert frozen[2] == t["revision_state_superseded"]  # a draft followed by a later revision
    hrefs = [[a["href"] for a in r.find_all("td")[3].find_all("a")] for r in rows]
    up = "" if lang == "fr" else "../"
    assert hrefs[0] == ["index.html", f"changes/{DRAFT}.html"]
    assert hrefs[1] == ["revisions/2023-11/index.html", f"{up}downloads/revisions/sip-2023-11-fr.pdf",
                        f"{up}downloads/revisions/sip-2023-11-en.pdf", f"{up}downloads/revisions/sip-2023-11-offline.zip"]
    nav = [a.get("href") for a in doc.select("nav.md-nav--primary a")]
    assert "revisions.html" in nav


# The cases without links, rendered by the views themselves from the real plan.
REAL = load_plan(ROOT / "data" / "sip.yaml")


def variants():
    open_meta = replace(REAL.meta, consultation=Consultation(ADDRESS, DEADLINE))
    sag = type(REAL.meta.revision)(fr="SAG", en="SAG")
    return {
        "open": replace(REAL, meta=open_meta),
        "no address": replace(REAL, meta=replace(REAL.meta, consultation=Consultation(None, DEADLINE))),
        "no consultation": REAL,
        "approved": replace(REAL, meta=replace(open_meta, state="approved", approved_on="2024-03-01", approved_by=sag)),
    }


@pytest.mark.parametrize("case", variants())
@pytest.mark.parametrize("lang", LANGS)
def test_links_only_on_a_draft_with_an_address(case, lang):
    plan = variants()[case]
    pillar = render_pillar(plan, Page(lang, "pillars/1.md"), "1")
    home = render_home(plan, Page(lang, "index.md"))
    expected = case == "open"
    assert ("mailto:" in pillar) is expected and ("sip-comment" in pillar) is expected
    assert ("mailto:" in home) is expected
    assert (labels(lang)["consultation_heading"] in home) is (case in ("open", "no address"))
    assert "mailto:" not in render_printable_plan(plan, Page(lang, "print.md"))


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_site_address_the_permalink_is_the_site_relative_path(lang):
    plan = variants()["open"]
    activity = plan.activities[0]
    links = CommentLinks.for_page(plan, Page(lang, "pillars/1.md", ""))
    body = decode(links.href("activity", activity, activity.pillar_id))[1]["body"]
    prefix = "" if lang == "fr" else "en/"
    assert f"\r\n{labels(lang)['comment_mail_link']}{labels(lang)['colon']} {prefix}pillars/{activity.pillar_id}.html#{activity.anchor}\r\n" in body


def test_plain_text_drops_markdown_marks_but_keeps_the_words():
    assert plain_text("Un *mot* et **deux** [^note] avec [un lien](https://example.org/a) et in_progress") == \
        "Un mot et deux avec un lien (https://example.org/a) et in_progress"


@pytest.mark.parametrize("lang", LANGS)
def test_the_real_site_shows_one_draft_revision_and_no_comment_link(site_dir, lang):
    plan = load_plan(ROOT / "data" / "sip.yaml")
    rows = page(site_dir, lang, "revisions.html").select("main table tbody tr")
    assert len(rows) == 1 and rows[0].find(class_="sip-revision")["id"] == f"revision-{plan.meta.version}"
    cells = [" ".join(c.get_text().split()) for c in rows[0].find_all("td")]
    assert cells[2] == labels(lang)["revision_state_draft"]
    assert [a["href"] for a in rows[0].find_all("a")] == ["index.html"]
    for pillar in plan.pillars:
        assert not page(site_dir, lang, f"pillars/{pillar.id}.html").select("a.sip-comment, a[href^=mailto]")
    assert not page(site_dir, lang, "index.html").select(".sip-consultation-address")


@pytest.mark.parametrize("lang", LANGS)
def test_a_frozen_revisions_pages_offer_no_comment_link(lang, monkeypatch):
    from macros.revisions.store import FROZEN_BUILD_VAR

    monkeypatch.setenv(FROZEN_BUILD_VAR, "revisions/2023-11")
    plan = variants()["open"]
    assert "mailto:" not in render_pillar(plan, Page(lang, "pillars/1.md"), "1")
    assert labels(lang)["consultation_heading"] not in render_home(plan, Page(lang, "index.md"))
