"""House style of every English and French text, as the English review of December 2026 found it wanting: each
kind of finding is a rule over all labels and data, not a list of the places it was found.

The review itself: tests/fixtures/reviews/2026-12-english-review.md.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data.termbase import label_fields, plan_fields  # noqa: E402
from macros.labels import labels  # noqa: E402

DATA = yaml.safe_load((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8"))
FIELDS = plan_fields(DATA) + label_fields(labels("fr"), labels("en"))
# Placeholders that always hold a number, a date or an id: no article or elision depends on them.
NUMERIC = {"count", "done", "total", "value", "period", "start", "end", "date", "version", "id", "old", "parent_id",
           "pillars", "outcomes", "outputs", "activities", "completed", "owners", "terms", "acronyms", "updates",
           "transitions", "number"}
# Words in -ize/-ise that are spelt that way in British English too.
IZE_EVERYWHERE = {"size", "sizes", "sized", "prize", "prizes", "seize", "seized", "capsize", "citizen"}
US_IZE = re.compile(r"\b[A-Za-z]+iz(?:e|es|ed|ing|ation|ations|er|ers)\b")


def texts(lang: str):
    """(where, text) of every text in `lang`: the plan's data and the interface labels."""
    for field in FIELDS:
        text = field.fr if lang == "fr" else field.en
        if text:
            yield field.element, text


def prose(text: str) -> str:
    """The text without its code spans and addresses, which keep their own characters."""
    return re.sub(r"`[^`]*`|https?://\S+|mailto:\S+", "", text)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_text_writes_numero_with_a_degree_sign(lang):
    # « N° » uses the degree sign; French writes « nº » (or spells it out), English "no." or "number".
    found = [f"{where}: {text[:80]}" for where, text in texts(lang) if re.search(r"\b[Nn]\s?°", text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_ranges_use_en_dashes(lang):
    # 2022–2026, "Annex I – title", never a hyphen; French source text keeps what it published (fr is the reference).
    pattern = re.compile(r"(?<![\w-])(?:1[89]|20)\d\d-(?:1[89]|20)\d\d(?![\w-])| - |\} - \{")
    found = [f"{where}: {text[:90]}" for where, text in texts(lang) if pattern.search(prose(text))
             and (lang == "en" or where.startswith("label "))]
    assert not found, "\n".join(found)


def test_no_french_label_puts_an_article_or_preposition_before_a_name():
    # « Rapport de {owner} » gives « Rapport de Équipe… », « … de Groupes de travail »: French needs d', du, des.
    # A name (owner, title, goal...) is never preceded by de, à, le, la, les, des, du, au; numbers and dates may be.
    found = []
    for key, value in labels("fr").items():
        for form in (value.values() if isinstance(value, dict) else [value] if isinstance(value, str) else []):
            for match in re.finditer(r"(?<![\w'])(de|d'|à|le|la|les|des|du|au|aux|l')\s?\{(\w+)\}", form, re.IGNORECASE):
                if match.group(2) not in NUMERIC:
                    found.append(f"{key}: {match.group()!r} in {form[:80]!r}")
    assert not found, "\n".join(found)


def test_english_uses_no_us_ize_spelling_in_labels_data_or_the_theme(site_dir):
    found = [f"{where}: {word}" for where, text in texts("en") for word in US_IZE.findall(prose(text))
             if word.lower() not in IZE_EVERYWHERE]
    # The theme's own strings, as an English page carries them (its search box and its scripts' translations).
    page = (site_dir / "en" / "index.html").read_text(encoding="utf-8")
    doc = BeautifulSoup(page, "html.parser")
    theme = list(json.loads(doc.find("script", id="__config").string)["translations"].values())
    theme += [doc.select_one(".md-search-result__meta").get_text(" ", strip=True)]
    theme += [el.get(name) for el in doc.find_all(True) for name in ("aria-label", "title", "placeholder") if el.get(name)]
    found += [f"theme: {word}" for text in theme for word in US_IZE.findall(text) if word.lower() not in IZE_EVERYWHERE]
    assert "Initialising search" in theme
    assert not found, "\n".join(found)


def test_english_quotes_are_curly_and_never_french_guillemets():
    # French quoted in English prose takes English quotation marks; straight quotes mix with the curly ones used.
    found = [f"{where}: {text[:90]}" for where, text in texts("en") if re.search(r'["«»]', prose(text))]
    assert not found, "\n".join(found)


def test_english_sentences_start_with_a_capital():
    # A text shown on its own (a definition, a note, a body, a label ending with a full stop) is a sentence.
    found = []
    for field in FIELDS:
        text, last = field.en.strip(), field.where[-1]
        if not text or last in ("quote", "role", "name", "short", "expansion", "edition", "licence", "term"):
            continue
        standalone = (field.where[0] != "labels" and text.endswith(".")) or (
            field.where[0] == "labels" and text.endswith(".") and " " in text and not last.endswith("_about"))
        if standalone and text[0].islower():
            found.append(f"{field.element}: {text[:80]}")
    assert not found, "\n".join(found)


def test_no_label_repeats_the_word_before_its_value():
    # "Licence: licence not stated", "Owners: Owner not recorded": a label and its value never say the same word.
    for lang in ("fr", "en"):
        t = labels(lang)
        pairs = [(t["licence"], t["licence_not_stated"]), (t["owner"], t["owner_none"])]
        pairs += [(form, t["owner_none"]) for form in t["owned_by"].values()] if isinstance(t["owned_by"], dict) else []
        for label, value in pairs:
            assert label.split()[0].lower() not in value.lower(), (lang, label, value)


def catalogue(lang: str):
    """(key, text) of every interface label and tool message of `lang`, each plural form apart."""
    from macros.messages import catalog

    def walk(key, value):
        if isinstance(value, dict):
            for form, inner in value.items():
                yield from walk(f"{key}.{form}", inner)
        elif isinstance(value, str):
            yield key, value
    for source, entries in (("label", labels(lang)), ("message", catalog(lang))):
        for key, value in entries.items():
            yield from walk(f"{source} {key}", value)


def test_a_quarter_named_by_its_id_is_named_one_way():
    # Blind review 7, finding 8: "Report for quarter 2025-Q1" beside "Progress report for the quarter 2025-Q1".
    # English names it as it names a pillar ("quarter 2025-Q1", no article); French always with its article
    # (« le trimestre 2025-Q1 », « du trimestre 2025-Q1 »).
    english = [(key, m.group()) for key, text in catalogue("en")
               for m in re.finditer(r"(?:\S+\s+)?quarter\s+\{period\}", text, re.IGNORECASE)]
    french = [(key, m.group()) for key, text in catalogue("fr")
              for m in re.finditer(r"(?:\S+\s+)?trimestre\s+\{period\}", text, re.IGNORECASE)]
    assert len(english) >= 4 and len(french) >= 4, (english, french)
    bad = [f"en {key}: {said!r}" for key, said in english if re.match(r"(?:the|a|this|that)\s", said, re.IGNORECASE)]
    bad += [f"fr {key}: {said!r}" for key, said in french if said.split()[0].lower() not in ("le", "du", "au", "ce")]
    assert not bad, "\n".join(bad)


# "défini(e)", "un(e)", "modifié(s)", "chargé·e·s": one text for every gender or number at once. French says which
# it means: a noun phrase, an ending every gender shares, or the plural form of the count (macros/messages, fmt).
EITHER_ENDING = re.compile(r"[^\W\d_]\((?:e|s|es|x|le|ne|nne|se|ve|euse|rice|trice|ère)\)|[^\W\d_]·[^\W\d_]", re.IGNORECASE)


def test_no_french_label_or_message_writes_its_ending_in_brackets():
    # Blind review 7 (follow-up): « {kind} « {ref} » n'est pas défini(e) », « par un(e) autre {kind} ».
    found = [f"{key}: {text[:100]!r}" for key, text in catalogue("fr") if EITHER_ENDING.search(text)]
    assert not found, "\n".join(found)
    assert EITHER_ENDING.search("n'est pas défini(e)") and EITHER_ENDING.search("un(e) autre") \
        and EITHER_ENDING.search("laissé(s)") and not EITHER_ENDING.search("(la première fois à la ligne 3)")
