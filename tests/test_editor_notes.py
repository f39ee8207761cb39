"""Editor's notes on anomalies of the source: validated against the data, shown beside the text, listed on Data quality."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from macros.data.load import DEFAULT_DATA, validate
from macros.labels import labels

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("fr", "en")
# Where the site shows the text each kind of element: the page and the element that holds the text.
ANCHORS = {"activity": "a-", "outcome": "outcome-", "output": "output-", "pillar": "pillar-"}


def page_of(site_dir: Path, lang: str, name: str) -> BeautifulSoup:
    root = site_dir if lang == "fr" else site_dir / "en"
    return BeautifulSoup((root / name).read_text(encoding="utf-8"), "html.parser")


def plain(text: str) -> str:
    return " ".join(re.sub(r"[*_]", "", text).split())


# --- The data ---------------------------------------------------------------------------------------------------

def test_the_three_source_anomalies_are_recorded_with_the_french_left_verbatim(plan):
    notes = {n.about: n for n in plan.editor_notes}
    assert set(notes) >= {"activity 1.3.1.1", "activity 4.4.1.1", "meta.revision"}
    activity = {a.id: a for a in plan.activities}
    assert "Groupe sectoriel Logistique mondial (GLM)" in activity["1.3.1.1"].text.fr
    assert "Global Logistics Meeting" in activity["1.3.1.1"].text.en
    assert "l'efficacité et l'efficacité" in activity["4.4.1.1"].text.fr
    assert "effectiveness and efficiency" in activity["4.4.1.1"].text.en
    assert plan.meta.revision.fr == "Projet de révision du novembre 2023"
    for note in plan.editor_notes:
        assert note.note.fr and note.note.en and note.note.fr != note.note.en


def with_notes(tmp_path: Path, notes_yaml: str) -> tuple:
    text = DEFAULT_DATA.read_text(encoding="utf-8")
    text = text[:text.index("editor_notes:")] + "editor_notes:\n" + notes_yaml
    path = tmp_path / "sip.yaml"
    path.write_text(text, encoding="utf-8")
    line_of = {n: i for i, line in enumerate(text.splitlines(), 1) for n in [line.strip()]}
    plan, problems = validate(path)
    return plan, [p for p in problems if p.severity == "error"], line_of


NOTE = """- id: {id}
  about: {about}
  quote:
    fr: {fr}
    en: {en}
  note:
    fr: Une note.
    en: A note.
"""


@pytest.mark.parametrize("about, fr, en, message, hint", [
    ("activity 1.3.1.9", "GLM", "GLM", "'activity 1.3.1.9' names no element of the plan", "did you mean 'activity 1.3.1."),
    ("activity 1.3.1.1", "Groupe mondial (GLM)", "GLMs", "the quoted wording 'Groupe mondial (GLM)' is not in the French text of activity 1.3.1.1",
     "quote the text exactly as it stands"),
    ("activity 1.3.1.1", "(GLM)", "Global Logistics Cluster meetings", "is not in the English text of activity 1.3.1.1", ""),
    ("meta.revison", "novembre", "November", "'meta.revison' names no element", "did you mean 'meta.revision'?"),
    ("section purposes", "GLM", "GLM", "names no element", "did you mean 'section purpose'?"),
])
def test_a_note_about_nothing_or_quoting_what_is_not_there_is_an_error_at_its_line(tmp_path, about, fr, en, message, hint):
    plan, errors, line_of = with_notes(tmp_path, NOTE.format(id="x", about=about, fr=fr, en=en))
    assert plan is None
    assert len(errors) == 1, [e.format() for e in errors]
    error = errors[0]
    assert message in error.message and hint in error.hint
    assert error.where == "editor note x"
    key = "about" if "names no element" in message else ("fr" if "French text" in message else "en")
    expected = f"about: {about}" if key == "about" else f"{key}: {fr if key == 'fr' else en}"
    assert error.line == line_of[expected]


def test_duplicate_note_ids_and_notes_on_elements_without_a_marker_are_refused(tmp_path):
    two = NOTE.format(id="same", about="activity 1.3.1.1", fr="(GLM)", en="GLMs") * 2
    plan, errors, _ = with_notes(tmp_path, two)
    assert plan is None and any("duplicate editor's note id 'same'" in e.message for e in errors)
    plan, errors, _ = with_notes(tmp_path, NOTE.format(id="x", about="owner glc", fr="GLC", en="GLC"))
    assert plan is None and errors and errors[0].where.startswith("editor note")


# --- The built site ---------------------------------------------------------------------------------------------

def where_shown(plan, about: str) -> tuple[str, str | None]:
    """The page that shows the text of element `about`, and the id of that element there (None: the title block)."""
    kind, _, ident = about.rpartition(" ")
    if kind in ANCHORS:
        pillar = next(p.id for p in plan.pillars for oc in p.outcomes for op in oc.outputs
                      if ident in {p.id, oc.id, op.id} | {a.id for a in op.activities})
        return f"pillars/{pillar}.html", ANCHORS[kind] + ident
    return {"section": ("governance.html", ident), "glossary entry": ("glossary.html", f"term-{ident}"),
            "commitment": ("annex.html", f"commitment-{ident}")}.get(kind, ("index.html", None))


def markers_beside(doc: BeautifulSoup, anchor: str | None) -> list:
    """The note markers in the text of one element: a heading's content up to the next heading, or the element."""
    if anchor is None:
        return doc.select(".sip-subtitle a.sip-editor-note")
    element = doc.find(id=anchor)
    if not re.fullmatch(r"h[1-6]", element.name):
        return element.select("a.sip-editor-note")
    found = []
    for sibling in element.find_next_siblings():
        if re.fullmatch(r"h[1-6]", sibling.name or ""):
            break
        found += sibling.select("a.sip-editor-note")
    return found


def check_markers(site_dir: Path, plan, lang: str) -> None:
    t = labels(lang)
    assert plan.editor_notes
    for note in plan.editor_notes:
        name, anchor = where_shown(plan, note.about)
        markers = markers_beside(page_of(site_dir, lang, name), anchor)
        assert len(markers) == 1, f"{lang}/{name}: {len(markers)} markers beside {note.about}"
        marker = markers[0]
        text = plain(note.note(lang))
        assert plain(marker["title"]) == plain(f"{t['editor_note']}{t['colon']} {note.note(lang)}")
        assert plain(marker.select_one(".sip-visually-hidden").get_text()).endswith(text)
        assert marker.select_one("[aria-hidden=true]").get_text() == t["editor_note_mark"]
        # The marker leads to the note itself, on the Data quality page of the same language.
        target = urlparse(urljoin(f"https://x/{name}", marker["href"]))
        assert target.path == "/data-quality.html" and target.fragment == note.anchor
        listed = page_of(site_dir, lang, "data-quality.html").find(id=note.anchor)
        assert listed is not None and text in plain(listed.get_text())
        # ... and the Data quality page leads back to the element.
        back = urlparse(listed.find("a")["href"])
        assert back.path == name and back.fragment == (anchor or "home")
        assert page_of(site_dir, lang, name).find(id=back.fragment) is not None


@pytest.mark.parametrize("lang", LANGS)
def test_each_note_has_a_reachable_marker_beside_its_text(site_dir, plan, lang):
    check_markers(site_dir, plan, lang)


# One note on each kind of element that can carry one; the note text is hostile (markup, template syntax).
HOSTILE_NOTE = "Voir <script>alert(1)</script> {{ 7*7 }} *ici* \"guillemets\""
NOTED = {"pillar 2": ("Normes et politique", "Standards and Policy"), "outcome 2.1": ("vue d'ensemble", "overview"),
         "output 3.1.1": ("acteurs nationaux", "national actors"), "section management": ("C'est la GLM qui", "The GLM sets"),
         "glossary entry glc": ("parties prenantes", "stakeholders"), "commitment 4": ("CPI", "IASC"),
         "meta.revision": ("du novembre", "November")}


@pytest.fixture(scope="module")
def noted_site(tmp_path_factory):
    """A site built from the real data plus a note on each kind of element."""
    text = DEFAULT_DATA.read_text(encoding="utf-8")
    text = text[:text.index("editor_notes:")] + "editor_notes:\n" + "".join(
        NOTE.format(id=f"n{i}", about=about, fr=fr, en=en).replace("fr: Une note.", f"fr: '{HOSTILE_NOTE} {i}'")
        .replace("en: A note.", f"en: 'Note {i}: {HOSTILE_NOTE}'") for i, (about, (fr, en)) in enumerate(NOTED.items()))
    work = tmp_path_factory.mktemp("noted")
    (work / "sip.yaml").write_text(text, encoding="utf-8")
    plan, problems = validate(work / "sip.yaml")
    assert plan is not None, [p.format() for p in problems]
    env = dict(os.environ, SIP_DATA=str(work / "sip.yaml"), SIP_OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(work / "site")],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    yield work / "site", plan
    shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("lang", LANGS)
def test_a_note_on_any_kind_of_element_is_marked_there_and_its_text_stays_text(noted_site, lang):
    site, plan = noted_site
    assert {n.about for n in plan.editor_notes} == set(NOTED)
    check_markers(site, plan, lang)
    for name in ("pillars/2.html", "governance.html", "data-quality.html", "print.html"):
        doc = page_of(site, lang, name)
        assert not [s for s in doc.find_all("script") if "alert(1)" in s.get_text()]
        assert "49" not in " ".join(m.get("title", "") for m in doc.select("a.sip-editor-note"))
    printed = page_of(site, lang, "print.html").select(".sip-editor-note--print")
    assert len(printed) == len(NOTED) and all("<script>alert(1)</script>" in p.get_text() for p in printed)


@pytest.mark.parametrize("lang", LANGS)
def test_the_data_quality_page_lists_every_note_with_its_element_and_the_source_wording(site_dir, plan, lang):
    doc = page_of(site_dir, lang, "data-quality.html")
    heading = doc.find(id="editor-notes")
    assert heading is not None and heading.name == "h2" and heading.get_text(strip=True).startswith(labels(lang)["editor_notes"])
    entries = doc.select(".sip-editor-note-entry")
    assert [e["id"] for e in entries] == [n.anchor for n in plan.editor_notes]
    for entry, note in zip(entries, plan.editor_notes):
        link = entry.find("a")
        if note.about.startswith("activity "):
            ident = note.about.split()[-1]
            assert link.get_text(strip=True) == f"{labels(lang)['activity']} {ident}"
        # The French wording in the page's own quotation marks (« » in French, “ ” in English), marked as French.
        quoted = {"fr": f"« {note.quote.fr} »", "en": f"“{note.quote.fr}”"}[lang]
        assert quoted in " ".join(entry.get_text().replace("\u00a0", " ").split())
        assert any(" ".join(span.get_text().split()) == note.quote.fr for span in entry.select('[lang="fr"]'))
        assert (note.quote.en in entry.get_text()) == (lang == "en")


@pytest.mark.parametrize("lang", LANGS)
def test_the_printable_plan_prints_each_note_beside_its_text(site_dir, plan, lang):
    doc = page_of(site_dir, lang, "print.html")
    printed = [plain(span.get_text()) for span in doc.select(".sip-editor-note--print")]
    assert not doc.select("a.sip-editor-note")
    for note in plan.editor_notes:
        assert sum(plain(note.note(lang)) in text for text in printed) == 1


def test_english_pages_cite_the_english_edition_of_the_reference_module(site_dir, plan):
    assert plan.annex.source_url_en and plan.annex.source_url_en != plan.annex.source_url
    for lang, url in (("fr", plan.annex.source_url), ("en", plan.annex.source_url_en)):
        annex = page_of(site_dir, lang, "annex.html")
        assert [a["href"] for a in annex.select(".sip-source a")] == [url]
        cited = plan.footnote("minimum-commitments").link(lang)
        assert any(a.get("href") == cited for a in page_of(site_dir, lang, "pillars/1.html").select(".footnote a"))


def test_a_keyboard_user_reaches_the_marker_and_sees_the_note(page, plan):
    note = next(n for n in plan.editor_notes if n.about.startswith("activity "))
    page.goto(f"/en/{where_shown(plan, note.about)[0]}")
    marker = page.locator(f"[id='a-{note.about.split()[-1]}'] + .sip-activity a.sip-editor-note")
    marker.focus()
    assert page.evaluate("document.activeElement.classList.contains('sip-editor-note')")
    tooltip = page.get_by_text(note.note.en[:40], exact=False).filter(visible=True)
    tooltip.first.wait_for(state="visible", timeout=5000)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"data-quality\.html#{note.anchor}$"))
    assert page.locator(f"#{note.anchor}").is_visible()


def test_the_json_download_carries_the_notes_and_the_english_edition(site_dir, plan):
    data = json.loads((site_dir / "downloads" / "sip.json").read_text(encoding="utf-8"))
    assert [(n["id"], n["about"], n["note"]["en"]) for n in data["editor_notes"]] == \
        [(n.id, n.about, n.note.en) for n in plan.editor_notes]
    assert data["annex"]["source_url_en"] == plan.annex.source_url_en
