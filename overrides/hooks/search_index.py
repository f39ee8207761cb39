"""MkDocs hook: one search index per language, and French/English queries that forgive accents and plurals."""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from mkdocs.plugins import event_priority

LANGUAGES = ("fr", "en")
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
_TAG = re.compile(r"<[^>]+>")


def fold(word: str) -> str:
    """'activités' -> 'activites', 'œuvre' -> 'oeuvre'."""
    word = word.replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def singular(word: str, lang: str) -> str:
    if lang == "fr":
        for plural, single in (("eaux", "eau"), ("aux", "al"), ("eux", "eu")):
            if word.endswith(plural):
                return word[: -len(plural)] + single
        return word[:-1] if word.endswith(("s", "x")) and len(word) > 4 else word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 4 else word


def plural(word: str, lang: str) -> str:
    if lang == "fr":
        if word.endswith(("s", "x", "z")):
            return word
        return word[:-2] + "aux" if word.endswith("al") else word + ("x" if word.endswith(("eau", "eu")) else "s")
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word if word.endswith("s") else word + "s"


def variants(text: str, lang: str) -> str:
    """The other spellings a reader may type for the words of `text`: without accents, singular or plural.

    Material appends a wildcard to every query term and skips the stemmer for such terms, so a stemmed
    index would match nothing; instead every form is indexed and prefix matching does the rest.
    """
    found: set[str] = set()
    words = {w.lower() for w in _WORD.findall(_TAG.sub(" ", text))}
    for word in words:
        found.update(forms(word, lang))
    return " ".join(sorted(found - words))


@lru_cache(maxsize=None)
def forms(word: str, lang: str) -> tuple[str, ...]:
    """`word` without accents, and its singular and plural with and without accents (plans repeat words)."""
    single = singular(word, lang)
    return tuple({single, fold(single), plural(single, lang), fold(plural(single, lang)), fold(word)})


def split_index(index: dict) -> dict[str, dict]:
    """The combined index of the i18n build, as one index per language with locations relative to it."""
    result = {}
    for lang in LANGUAGES:
        prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
        docs = []
        for doc in index["docs"]:
            in_lang = doc["location"].startswith(prefix) if prefix else not doc["location"].startswith(tuple(f"{l}/" for l in LANGUAGES[1:]))
            if in_lang:
                docs.append({**doc, "location": doc["location"][len(prefix):],
                             "title_terms": variants(doc.get("title", ""), lang),
                             "terms": variants(doc.get("text", ""), lang)})
        # Other spellings weigh what the words they stand for weigh: "activites" finds activity headings first.
        fields = index["config"]["fields"]
        config = {**index["config"], "lang": [lang],
                  "fields": {**fields, "title_terms": fields["title"], "terms": fields["text"]}}
        result[lang] = {"config": config, "docs": docs}
    return result


@event_priority(-200)  # after the search plugin and the offline plugin (-100) have written the index
def on_post_build(config, **kwargs) -> None:
    site = Path(config.site_dir)
    source = site / "search" / "search_index.json"
    if not source.exists():
        return
    index = json.loads(source.read_text(encoding="utf-8"))
    if not any(doc["location"].startswith("en/") for doc in index["docs"]):
        return  # not the last language build yet: the combined index is written with the last one
    offline = (site / "search" / "search_index.js").exists()
    for lang, part in split_index(index).items():
        folder = site / ("" if lang == LANGUAGES[0] else lang) / "search"
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(part, ensure_ascii=False, separators=(",", ":"))
        (folder / "search_index.json").write_text(data, encoding="utf-8")
        if offline:  # file:// cannot fetch JSON: the offline plugin's script form of the index
            (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
