"""Translations that stay current: the fingerprint lock, its warnings and markers, and the PO export/import kit."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data.load import validate  # noqa: E402
from macros.data.translation_lock import fields, fingerprint, read_lock  # noqa: E402

DATA = ROOT / "data" / "sip.yaml"
ACTIVITY = "pillars/1/outcomes/1.1/outputs/1.1.1/activities/1.1.1.2/text"
OUTCOME = "pillars/2/outcomes/2.1/text"
TERM = "glossary/entries/glc/definition"
PILLAR = "pillars/3/title"


def run(*args, data: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, SIP_DATA=str(data), NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture
def tracked(tmp_path) -> Path:
    """A copy of the real data with its lock, to change freely."""
    for name in ("sip.yaml", "translations.lock"):
        shutil.copyfile(ROOT / "data" / name, tmp_path / name)
    return tmp_path / "sip.yaml"


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace `old` by `new` on the one line holding it; returns that line's number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines) if old in line]
    assert len(hits) == 1, hits
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")
    return hits[0] + 1


def french_line(path: Path, field: str) -> str:
    """The French of `field` as the data file holds it."""
    return next(t for name, _, t in fields(yaml.safe_load(path.read_text(encoding="utf-8"))) if name == field)["fr"]


# ---- the lock ----

def test_field_paths_are_unique_and_named_by_ids():
    names = [name for name, _, _ in fields(yaml.safe_load(DATA.read_text(encoding="utf-8")))]
    assert len(names) == len(set(names)) > 150
    assert ACTIVITY in names and OUTCOME in names and TERM in names
    assert "pillars/1/outcomes/1.2/outputs/1.2.1/activities/1.2.1.4/owners/glc/role" in names


def test_the_committed_lock_covers_every_text_of_the_data():
    lock = read_lock(DATA)
    assert lock is not None
    for name, _, texts in fields(yaml.safe_load(DATA.read_text(encoding="utf-8"))):
        assert lock.get(name, ("",))[0] == fingerprint(texts["fr"]), f"{name}: run `make translations-update`"
    _, problems = validate(DATA)
    assert not [p for p in problems if p.code.startswith("translation_")]


def test_a_changed_french_text_and_a_missing_entry_are_reported_by_make_check(tracked):
    text = french_line(tracked, ACTIVITY)
    line = replace_line(tracked, text, text.replace("claire", "précise"))
    lock = tracked.parent / "translations.lock"
    lock.write_text("".join(l for l in lock.read_text(encoding="utf-8").splitlines(True) if not l.startswith(TERM + " ")),
                    encoding="utf-8")
    result = run("-m", "macros.data.check", data=tracked)
    assert result.returncode == 0  # warnings, not errors
    stale = [l for l in result.stderr.splitlines() if ACTIVITY in l]
    assert len(stale) == 1 and stale[0].startswith(f"{tracked}:{line + 1}:") and "warning:" in stale[0]
    assert "French text has changed" in stale[0]
    assert any(TERM in l and "not been checked" in l for l in result.stderr.splitlines())
    # Re-recording after review clears both.
    assert run("-m", "macros.exchange.translations", "update", data=tracked).returncode == 0
    assert "translation" not in run("-m", "macros.data.check", data=tracked).stderr


def test_reflowing_the_french_is_not_a_change(tracked):
    text = french_line(tracked, ACTIVITY)
    replace_line(tracked, text, "  " + text.replace(" ", "  ", 3))
    assert "translation" not in run("-m", "macros.data.check", data=tracked).stderr


def test_a_data_file_without_its_own_lock_is_not_tracked(tmp_path):
    fixture = ROOT / "tests" / "fixtures" / "plans" / "minimal.yaml"
    _, problems = validate(fixture)
    assert not [p for p in problems if p.code.startswith("translation_")]
    # A lock beside it that belongs to another data file is ignored too.
    shutil.copyfile(fixture, tmp_path / "minimal.yaml")
    shutil.copyfile(ROOT / "data" / "translations.lock", tmp_path / "translations.lock")
    _, problems = validate(tmp_path / "minimal.yaml")
    assert not [p for p in problems if p.code.startswith("translation_")]


def test_a_stale_translation_is_marked_on_the_english_page_and_listed_on_data_quality(tracked, tmp_path):
    text = french_line(tracked, ACTIVITY)
    replace_line(tracked, text, text.replace("claire", "précise"))
    text = french_line(tracked, OUTCOME)
    replace_line(tracked, text, text + " Texte ajouté.")
    text = french_line(tracked, PILLAR)
    replace_line(tracked, text, text + " révisé")
    site = tmp_path / "site"
    result = run("-m", "mkdocs", "build", "--strict", "-d", str(site), data=tracked)
    assert result.returncode == 0, result.stderr[-3000:]

    def page(lang: str, name: str) -> BeautifulSoup:
        return BeautifulSoup((site / ("en" if lang == "en" else "") / name).read_text(encoding="utf-8"), "html.parser")

    english = page("en", "pillars/1.html")
    markers = english.select(".sip-review")
    assert len(markers) == 1
    marker = markers[0]
    assert marker.find_parent(class_="sip-activity").find_previous(id="a-1.1.1.2") is not None
    assert marker["role"] == "img" and "Translation being updated" in marker["aria-label"] == marker["title"]
    heading = page("en", "pillars/2.html").find(id="outcome-2.1")
    assert heading.find_next("p").select_one(".sip-review") is not None  # the outcome text follows its heading
    pillar = page("en", "pillars/3.html")
    assert pillar.find(id="pillar-3").select_one(".sip-review") is not None  # a heading is marked too
    toc = pillar.select_one(".md-nav--secondary").get_text(" ", strip=True)
    assert "Translation" not in toc and "\u21bb" not in toc  # the marker is drawn by CSS, the outline stays clean
    assert not page("fr", "pillars/1.html").select(".sip-review")  # the French is the reference: nothing to flag
    for lang in ("en", "fr"):
        section = page(lang, "data-quality.html").find(id="translations")
        rows = section.find_next("table").select("tbody tr")
        listed = {row.code.get_text(): row.a["href"] for row in rows}
        assert listed == {ACTIVITY: "pillars/1.html#a-1.1.1.2", OUTCOME: "pillars/2.html#outcome-2.1",
                          PILLAR: "pillars/3.html#pillar-3"}


def test_the_real_data_quality_page_says_every_translation_is_checked(site_dir):
    section = BeautifulSoup((site_dir / "en" / "data-quality.html").read_text(encoding="utf-8"), "html.parser").find(id="translations")
    assert "Every translation has been checked" in section.find_next("p").get_text()


# ---- the translator's kit ----

def export(data: Path, which: str, out: Path) -> polib.POFile:
    result = run("-m", "macros.exchange.translations", "export", "--which", which, "--output", str(out), data=data)
    assert result.returncode == 0, result.stderr
    return polib.pofile(str(out))


def test_export_lists_new_changed_or_all_fields_with_source_english_and_context(tracked, tmp_path):
    text = french_line(tracked, ACTIVITY)
    replace_line(tracked, text, text.replace("claire", "précise"))
    all_po = export(tracked, "all", tmp_path / "all.po")
    assert len(all_po) == len(read_lock(tracked))
    changed = export(tracked, "changed", tmp_path / "changed.po")
    assert [e.msgctxt for e in changed] == [ACTIVITY]
    entry = changed[0]
    assert entry.msgid == text.replace("claire", "précise").strip() and entry.msgstr.startswith("Create a clear guidance note")
    assert entry.fuzzy and "activity 1.1.1.2" in entry.comment and entry.occurrences[0][0].endswith("sip.yaml")
    assert len(export(tracked, "new", tmp_path / "new.po")) == 0


def test_a_round_trip_changes_only_the_translated_fields(tracked, tmp_path):
    text = french_line(tracked, ACTIVITY)
    replace_line(tracked, text, text.replace("claire", "précise"))
    before = tracked.read_text(encoding="utf-8")
    po = export(tracked, "all", tmp_path / "all.po")
    # A translator revises two entries, leaves one fuzzy, and confirms nothing else.
    po_path = tmp_path / "all.po"
    edits = {ACTIVITY: "Create a precise guidance note on roles and responsibilities for engaging humanitarian partners.",
             TERM: "The Global Logistics Cluster: a revised definition, with « quotes » and a colon: here."}
    for entry in po:
        if entry.msgctxt in edits:
            entry.msgstr = edits[entry.msgctxt]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        elif entry.msgctxt == OUTCOME:
            entry.msgstr = "Should not be imported"
            entry.flags = ["fuzzy"]
        else:
            entry.obsolete = False
            entry.flags = ["fuzzy"]  # untouched entries stay marked
    po.save(str(po_path))
    result = run("-m", "macros.exchange.translations", "import", str(po_path), data=tracked)
    assert result.returncode == 0, result.stderr
    assert "skipped fuzzy entry" in result.stderr
    after = tracked.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.split("\n"), after.split("\n")) if a != b]
    assert len(before.split("\n")) == len(after.split("\n"))
    assert len(changed) == 2
    for old, new in changed:
        assert old.lstrip().startswith("en:") and new.lstrip().startswith("en:")
        assert old[: len(old) - len(old.lstrip())] == new[: len(new) - len(new.lstrip())]  # same indentation
    assert any(edits[ACTIVITY] in new for _, new in changed)
    assert any("revised definition" in new for _, new in changed)
    # The imported fields are recorded as checked: the changed activity no longer warns.
    assert "translation" not in run("-m", "macros.data.check", data=tracked).stderr
    _, problems = validate(tracked)
    assert not [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize("spoil, message", [
    (lambda e: setattr(e, "msgctxt", "pillars/9/title"), "unknown field 'pillars/9/title'"),
    (lambda e: setattr(e, "msgstr", ""), "the translation is empty"),
    (lambda e: setattr(e, "msgid", e.msgid + " (ancienne version)"), "stale entry"),
])
def test_a_refused_import_names_the_po_line_and_leaves_the_data_byte_identical(tracked, tmp_path, spoil, message):
    po = export(tracked, "all", tmp_path / "all.po")
    for entry in po:
        entry.flags = []
        entry.msgstr = entry.msgstr + " Revised."
    bad = next(e for e in po if e.msgctxt == TERM)
    spoil(bad)
    po_path = tmp_path / "bad.po"
    po.save(str(po_path))
    line = next(e.linenum for e in polib.pofile(str(po_path)) if e.msgstr == bad.msgstr and e.msgid == bad.msgid)
    before_data, before_lock = tracked.read_bytes(), (tmp_path / "translations.lock").read_bytes()
    result = run("-m", "macros.exchange.translations", "import", str(po_path), data=tracked)
    assert result.returncode == 1
    assert f"bad.po:{line}:" in result.stderr and message in result.stderr
    assert "import refused" in result.stderr
    assert tracked.read_bytes() == before_data
    assert (tmp_path / "translations.lock").read_bytes() == before_lock


def test_an_import_that_would_not_validate_is_refused(tracked, tmp_path):
    po = export(tracked, "all", tmp_path / "all.po")
    entry = next(e for e in po if e.msgctxt == ACTIVITY)
    entry.flags = []
    entry.msgstr = "See [the note](javascript:alert(1))."
    po_path = tmp_path / "bad.po"
    po.save(str(po_path))
    before = tracked.read_bytes()
    result = run("-m", "macros.exchange.translations", "import", str(po_path), data=tracked)
    assert result.returncode == 1 and "javascript" in result.stderr
    assert tracked.read_bytes() == before


def test_a_missing_po_file_is_refused_by_name(tracked, tmp_path):
    before = tracked.read_bytes()
    result = run("-m", "macros.exchange.translations", "import", str(tmp_path / "missing.po"), data=tracked)
    assert result.returncode == 1 and "missing.po:1: no such file" in result.stderr
    assert tracked.read_bytes() == before
