"""The tools' counted messages take their plural form from the count (blind review 5, finding 10): never
"1 workbook(s)" nor "1 activities"; French puts 0 and 1 in the singular (CLDR), English only 1."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from macros.messages import LANGUAGES, Msg, catalog, render

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("kinds", "words")  # element kinds and the schema's words: no counts
# "error(s)", "activity(ies)", "laissé(s)": a form for every number at once (gender endings: tests/test_wording.py).
EITHER_NUMBER = re.compile(r"\w\((?:s|es|ies|x)\)")
# The form CLDR gives each count: French `one` is 0 and 1, English `one` is 1 alone.
EXPECTED = {"fr": {0: "one", 1: "one", 2: "other"}, "en": {0: "other", 1: "one", 2: "other"}}


def counted(lang: str) -> dict[str, dict]:
    return {key: value for key, value in catalog(lang).items() if key not in SECTIONS and isinstance(value, dict)}


def values_for(text: str, count: int) -> dict:
    """A value for every placeholder of `text`: the count, a number where the message formats one, else a word."""
    values = {"count": count}  # a message may count what it does not show (row_not_owner: its owners)
    for _, name, spec, _ in string.Formatter().parse(text):
        if name:
            values[name] = count if name == "count" else 1.5 if spec.endswith("f") else f"<{name}>"
    return values


def test_the_catalogs_have_counted_messages():
    assert len(counted("en")) >= 25 and set(counted("en")) == set(counted("fr"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_counted_message_takes_the_form_its_count_calls_for(lang):
    for key, forms in counted(lang).items():
        assert set(forms) == {"one", "other"}, f"{lang} {key}: forms {sorted(forms)}"
        assert forms["one"] != forms["other"], f"{lang} {key}: the same text for one and many"
        for count in (0, 1, 2):
            values = values_for(forms["other"], count)
            shown = render(key, lang, values)
            expected = forms[EXPECTED[lang][count]].format(**values)
            assert shown.replace("\u00a0", " ").replace("\u202f", " ") == expected, (lang, key, count, shown)
            assert str(count) in shown or "{count}" not in forms["other"]  # row_not_owner counts the owners it names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_writes_a_plural_in_brackets(lang):
    found = []
    for key, value in catalog(lang).items():
        if key in SECTIONS:
            continue
        for form in value.values() if isinstance(value, dict) else [value]:
            if EITHER_NUMBER.search(form):
                found.append(f"{key}: {form}")
    assert not found, "\n".join(found)


def test_french_says_0_and_1_in_the_singular_and_english_only_1():
    assert Msg("n_workbooks", count=0).text("fr") == "0 classeur"
    assert Msg("n_workbooks", count=1).text("fr") == "1 classeur"
    assert Msg("n_workbooks", count=2).text("fr") == "2 classeurs"
    assert Msg("n_workbooks", count=0).text("en") == "0 workbooks"
    assert Msg("n_workbooks", count=1).text("en") == "1 workbook"
    totals = dict(books=Msg("n_workbooks", count=1), updates=Msg("n_activities_updated", count=1),
                  changes=Msg("n_status_changes", count=0), pending=Msg("n_notes_pending", count=1),
                  both=Msg("n_notes_both", count=2))
    assert Msg("import_totals", **totals).text("en") == ("1 workbook: 1 activity updated, 0 status changes, "
                                                         "1 note awaiting translation, 2 notes in both languages "
                                                         "recorded as checked")
    assert Msg("import_totals", **totals).text("fr") == ("1 classeur\u00a0: 1 activité mise à jour, 0 changement de "
                                                         "statut, 1 note en attente de traduction, 2 notes dans les "
                                                         "deux langues enregistrées comme vérifiées")


def _calls(source: str, key: str):
    """The argument text of every Msg("key", ...) or say("key", ...) call in `source`."""
    for match in re.finditer(rf"\b(?:Msg|say)\(\s*\"{re.escape(key)}\"", source):
        depth, i = 1, match.end()
        while depth and i < len(source):
            depth += {"(": 1, ")": -1}.get(source[i], 0)
            i += 1
        yield source[match.end():i - 1]


def test_every_call_of_a_counted_message_passes_its_count():
    sources = {path: path.read_text(encoding="utf-8") for path in
               [*(ROOT / "macros").rglob("*.py"), *(ROOT / "scripts").rglob("*.py")] if path.parent.name != "messages"}
    missing, used = [], set()
    for key in counted("en"):
        for path, source in sources.items():
            for arguments in _calls(source, key):
                used.add(key)
                if not re.search(r"\bcount=", arguments):
                    missing.append(f"{path.relative_to(ROOT)}: {key}({arguments.strip()[:60]})")
    assert not missing, "\n".join(missing)
    assert used == set(counted("en")), f"counted messages no code uses: {sorted(set(counted('en')) - used)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_size_limit_speaks_one_unit(lang):
    unit = {"fr": "Mo", "en": "MB"}[lang]
    too_big = Msg("yaml_too_big", size=52.4, limit=16).text(lang).replace("\u00a0", " ")
    hint = catalog(lang)["yaml_too_big_hint"]
    assert too_big.count(f" {unit}") == 2 and hint.count(f" {unit}") == 2, (too_big, hint)
    assert "Mio" not in too_big + hint and "MiB" not in too_big + hint
    assert ("52,4 Mo" if lang == "fr" else "52.4 MB") in too_big


def test_the_rules_used_before_the_venv_are_babel_s_for_whole_counts():
    """The system Python of `make setup` has no Babel: its plural rules give the forms Babel gives."""
    from babel import Locale

    from macros.messages import _WHOLE_COUNT_RULES
    for lang in LANGUAGES:
        rule = Locale.parse(lang).plural_form
        for count in [*range(0, 120), 1000, 10**6, 2 * 10**6]:
            babel = rule(count)
            assert _WHOLE_COUNT_RULES[lang](count) == (babel if babel in ("one", "other") else "other"), (lang, count)


def test_no_message_written_in_the_code_counts_with_either_number():
    # The developer-facing messages too ("3 errors in the data", "1 link to local files"): the same rule as the catalogs.
    import io
    import tokenize
    found = []
    for path in [*(ROOT / "macros").rglob("*.py"), *(ROOT / "scripts").rglob("*.py"), *(ROOT / "overrides").rglob("*.py")]:
        for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            is_string = token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1)
            if is_string and not token.string.lstrip("rbuRBUfF").startswith(('"""', "'''")):  # docstrings explain
                found += [f"{path.relative_to(ROOT)}:{token.start[0]}: {match.group()}"
                          for match in EITHER_NUMBER.finditer(token.string.replace("http(s)", "https"))]
    assert not found, found
