"""Messages in the user's language (issue 22): the catalog is complete in both languages, the tools speak French
by default and English when asked, a refusal ends with its own verdict and no `make: ***` line, a note written in
both languages is recorded as checked on import, and the import says who has not sent a workbook yet."""
from __future__ import annotations

import datetime
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from macros.messages import LANGUAGES, Msg, catalog, user_language
from tests.test_report_kit import PERIOD, environment, fill, kit, owned_first, run  # noqa: F401 - kit is a fixture

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "bad" / "unknown_owner.yaml"


def placeholders(text) -> set[str]:
    forms = text.values() if isinstance(text, dict) else [text]
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


# Words that French and English spell alike: translated, and the same.
SAME_IN_BOTH = {"row_field_date", "row_field_note"}


def test_every_message_has_both_languages_with_the_same_placeholders():
    fr, en = catalog("fr"), catalog("en")
    assert set(fr) == set(en), f"only in one language: {sorted(set(fr) ^ set(en))}"
    for section in ("kinds", "words"):  # element kinds and the schema's words: the same entries, each translated
        assert set(fr[section]) == set(en[section])
        assert all(fr[section][word] for word in fr[section])
    for key in fr:
        if key in ("kinds", "words"):
            continue
        assert fr[key] and en[key], f"message {key} is empty"
        assert placeholders(fr[key]) == placeholders(en[key]), f"message {key}: the values differ between languages"
        if key not in SAME_IN_BOTH:
            assert fr[key] != en[key], f"message {key} reads the same in both languages: not translated"


def test_every_message_the_code_uses_is_in_the_catalog():
    used = set()
    for path in [*(ROOT / "macros").rglob("*.py"), *(ROOT / "scripts").glob("*.py")]:
        if path.parent.name != "messages":  # its docstrings show made-up keys
            used |= set(re.findall(r"\b(?:Msg|say)\(\s*f?\"([a-z_{}]+)\"", path.read_text(encoding="utf-8")))
    keys = set(catalog("fr"))
    # A key built from a language code (f"language_{missing}") stands for one key per language.
    expanded = {re.sub(r"\{[a-z]+\}", lang, key) for key in used for lang in LANGUAGES}
    assert len(used) >= 60, f"only {len(used)} messages found: the pattern missed the calls"
    assert expanded <= keys, f"used but not in the catalog: {sorted(expanded - keys)}"


@pytest.mark.parametrize("environ, expected", [
    ({}, "fr"), ({"LANG": "C.UTF-8"}, "fr"), ({"LANG": "fr_FR.UTF-8"}, "fr"), ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"), ({"LANGUAGE": "en:fr", "LANG": "fr_FR"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "fr"), ({"SIP_LANG": "en", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"SIP_LANG": "fr", "LC_ALL": "en_US.UTF-8"}, "fr"), ({"LC_ALL": "POSIX", "LANG": "en_US"}, "en"),
])
def test_the_language_follows_the_person(environ, expected):
    assert user_language(environ) == expected


def test_a_message_is_rendered_in_any_language_with_its_values_and_kinds(monkeypatch):
    monkeypatch.setenv("SIP_LANG", "fr")
    from macros.messages import Kind
    message = Msg("ref_undefined", kind=Kind("owner"), ref="partnerships-wgx")
    assert message == "responsable «\u00a0partnerships-wgx\u00a0» introuvable dans les données"
    assert message.text("en") == "owner 'partnerships-wgx' is not defined"


def people(**extra) -> dict:
    """The environment of a person at a terminal: no SIP_LANG (the tests' own default), a French or neutral locale."""
    # Nor is that person inside `make test`: a make run from it would say "make[1]: ***".
    env = {k: v for k, v in os.environ.items() if k not in ("SIP_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "MAKELEVEL",
                                                          "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")}
    env.update(LANG="C.UTF-8", NO_MKDOCS_2_WARNING="1")
    env.update(extra)
    return env


def test_make_check_speaks_french_by_default_and_english_when_asked():
    french = subprocess.run(["make", "-s", "check"], cwd=ROOT, env=people(SIP_DATA=str(BAD)), capture_output=True,
                            text=True)
    assert french.returncode != 0
    assert re.search(r"unknown_owner\.yaml:\d+:\d+: activité [\d.]+\u00a0: responsable «\u00a0\S+\u00a0» introuvable dans les données", french.stderr), french.stderr
    assert "vouliez-vous dire" in french.stderr
    *_, verdict, note, make_line = french.stderr.strip().splitlines()
    assert verdict.endswith("corrigez les erreurs ci-dessus."), verdict
    # make's own line cannot be hidden without losing the status: the line before it says it is no crash.
    assert make_line.startswith("make: *** "), make_line
    assert note.startswith("(refus complet") and "«\u00a0make: ***\u00a0» qui suit ne fait que le signaler" in note, note
    assert "./sip check" in note
    english = subprocess.run(["make", "-s", "check"], cwd=ROOT, env=people(SIP_DATA=str(BAD), LANG="en_GB.UTF-8"),
                             capture_output=True, text=True)
    assert re.search(r"activity [\d.]+: owner '\S+' is not defined \(did you mean", english.stderr), english.stderr
    ok = subprocess.run(["make", "-s", "check"], cwd=ROOT, env=people(), capture_output=True, text=True)
    assert ok.returncode == 0 and "\u00a0: correct\u00a0: " in ok.stdout and "attention\u00a0: " in ok.stderr


def test_a_refused_check_ends_with_its_own_verdict_and_a_non_zero_status_without_make_s_line():
    result = subprocess.run(["./sip", "check"], cwd=ROOT, env=people(SIP_DATA=str(BAD)), capture_output=True, text=True)
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert not [line for line in lines if "***" in line or line.startswith("make")], lines[-3:]
    assert lines[-1].endswith("corrigez les erreurs ci-dessus."), lines[-1]
    good = subprocess.run(["./sip", "check"], cwd=ROOT, env=people(), capture_output=True, text=True)
    assert good.returncode == 0, good.stderr


def test_a_refused_import_ends_with_its_verdict_in_french(kit, tmp_path):
    data = tmp_path / "sip.yaml"
    shutil.copyfile(ROOT / "data" / "sip.yaml", data)
    book = fill(kit / "glc.xlsx", tmp_path / "glc.xlsx", {owned_first(kit, "glc"): {"D": "En cour", "F": "x"}})
    env = people(**{k: v for k, v in environment(data, tmp_path).items() if k.startswith("SIP_") and k != "SIP_LANG"})
    result = subprocess.run(["./sip", "import-updates", f"FILES={book}"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert "le statut «\u00a0En cour\u00a0» n'existe pas" in result.stderr and "updates!D" in result.stderr
    assert "la date manque" in result.stderr
    assert lines[-1].startswith("2 problèmes dans les classeurs\u00a0: rien n'a été importé, "), lines[-1]
    assert lines[-1].endswith("sip.yaml est inchangé."), lines[-1]
    assert not [line for line in lines if "***" in line]


def test_a_note_in_both_languages_is_recorded_as_checked_and_the_summary_says_who_has_not_reported(kit, tmp_path):
    data = tmp_path / "sip.yaml"
    shutil.copyfile(ROOT / "data" / "sip.yaml", data)
    shutil.copyfile(ROOT / "data" / "translations.lock", tmp_path / "translations.lock")
    first = owned_first(kit, "rome-team")
    book = fill(kit / "rome-team.xlsx", tmp_path / "rome-team.xlsx",
                {first: {"D": "En cours", "E": datetime.date(2025, 3, 3), "F": "Lancé en mars.", "G": "Started in March."}})
    env = people(**{k: v for k, v in environment(data, tmp_path).items() if k.startswith("SIP_") and k != "SIP_LANG"})
    result = run("macros.exchange.import_updates", str(book), env=env)
    assert result.returncode == 0, result.stderr
    assert "1 note dans les deux langues enregistrée comme vérifiée" in result.stdout, result.stdout
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    owners = {o["id"]: o for o in raw["owners"]}
    asked = {o if isinstance(o, str) else o["id"] for p in raw["pillars"] for oc in p["outcomes"] for op in oc["outputs"]
             for a in op["activities"] for o in a["owners"]}
    sent_line = next(line for line in result.stdout.splitlines() if line.startswith(f"{PERIOD}\u00a0: classeurs reçus"))
    assert f"de 1 responsable sur {len(asked)}" in sent_line and owners["rome-team"]["short"]["fr"] in sent_line
    missing = next(line for line in result.stdout.splitlines() if line.startswith(f"{PERIOD}\u00a0: pas encore reçus"))
    for owner in asked - {"rome-team"}:
        assert owners[owner]["short"]["fr"] in missing
    check = run("macros.data.check", env=dict(env, SIP_LANG="en"))
    assert check.returncode == 0, check.stderr
    assert f"/updates/{PERIOD}/note" not in check.stderr, "the bilingual note is flagged as unchecked"
    lock = (tmp_path / "translations.lock").read_text(encoding="utf-8")
    assert re.search(rf"activities/{re.escape(first)}/updates/{PERIOD}/note [0-9a-f]{{16}}$", lock, re.M)
