"""The search synonyms beside the data file (search-synonyms.yaml): read, checked against the plan, handed to search.

Each entry maps phrases readers type (`readers`) to phrases the plan writes (`plan`), per language. The file is
optional; when present, every mistake is a Problem naming its file and line, so `make check` and the build report it
with the plan's own problems. The search worker matches the phrases itself (overrides/assets/javascripts/
search-worker.js): here they are only checked, with the same folding of accents, case and French elision.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from jsonschema import Draft202012Validator

from .problems import Problem
from .texts import bilingual_texts
from .yamlnodes import read_document

FILE_NAME = "search-synonyms.yaml"
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "search-synonyms.schema.json"
LANGUAGES = ("fr", "en")
_LANG_NAMES = {"fr": "French", "en": "English"}
_ELISION = re.compile(r"(?<![^\W_])(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=[^\W_])")
_WORD = re.compile(r"[^\W_]+(?:&[^\W_]+)*")


def synonyms_path(data_file: Path) -> Path:
    return Path(data_file).resolve().parent / FILE_NAME


def words(text: str, lang: str) -> list[str]:
    """Folded words as search sees them: no case, accents or elided article; hyphens and apostrophes split."""
    folded = text.lower().replace("œ", "oe").replace("æ", "ae")
    folded = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    if lang == "fr":
        folded = _ELISION.sub("", folded)
    return _WORD.findall(folded)


def _phrases(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def read_synonyms(data_file: Path):
    """(document, entries per language {lang: [{plan: [...], readers: [...]}]}) of the file beside `data_file`;
    (None, {}) when there is none. The document's problems hold the file's own mistakes (syntax, schema)."""
    path = synonyms_path(data_file)
    if not path.exists():
        return None, {}
    doc = read_document(path.read_bytes(), _display(path))
    if doc.problems:
        return doc, {}
    validator = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(map(str, error.absolute_path)) or "the file"
        doc.problem(tuple(error.absolute_path), f"search synonyms {where}", _message(error),
                    "each entry is {plan: a phrase or a list of phrases, readers: [phrases]}; a phrase is one line "
                    "of at most 8 words without markup characters")
    if doc.problems:
        return doc, {}
    return doc, {lang: [{"plan": _phrases(e["plan"]), "readers": list(e["readers"])} for e in doc.data.get(lang) or []]
                 for lang in LANGUAGES}


def check_search_synonyms(plan_doc, data_file: Path) -> None:
    """Add to `plan_doc`'s problems every mistake of the synonym file: its syntax and schema, a `plan` phrase the
    plan does not write, a reader's phrase listed twice or the same as the plan's."""
    doc, entries = read_synonyms(data_file)
    if doc is None:
        return
    if doc.problems or not isinstance(plan_doc.data, Mapping):
        plan_doc.problems.extend(doc.problems)
        return
    for lang in LANGUAGES:
        corpus = " " + " ".join(" ".join(words(texts[lang], lang)) for _, _, texts in bilingual_texts(plan_doc.data)
                                if isinstance(texts.get(lang), str)) + " "
        seen: dict[str, int] = {}
        for number, entry in enumerate(entries.get(lang, [])):
            raw = doc.data[lang][number]
            for k, phrase in enumerate(entry["plan"]):
                path = (lang, number, "plan") + ((k,) if isinstance(raw["plan"], list) else ())
                folded = " ".join(words(phrase, lang))
                if not folded or f" {folded} " not in corpus:
                    doc.problem(path, f"search synonyms {lang} entry {number + 1}",
                                f"the plan's {_LANG_NAMES[lang]} text never writes {phrase!r}",
                                "a `plan` phrase must be words of the plan, as the plan writes them "
                                "(a reader's word goes under `readers`)")
            plans = {" ".join(words(p, lang)) for p in entry["plan"]}
            for k, phrase in enumerate(entry["readers"]):
                path, folded = (lang, number, "readers", k), " ".join(words(phrase, lang))
                where = f"search synonyms {lang} entry {number + 1}"
                if not folded:
                    doc.problem(path, where, f"{phrase!r} holds no word")
                elif folded in plans:
                    doc.problem(path, where, f"{phrase!r} is the plan's own phrase of this entry",
                                "remove it from `readers`")
                elif folded in seen:
                    doc.problem(path, where, f"{phrase!r} is listed twice (first at line {seen[folded]})",
                                "keep one entry per reader's phrase: merge the plan phrases it stands for")
                else:
                    seen[folded] = doc.mark(path)[0]
    plan_doc.problems.extend(doc.problems)


def load_search_synonyms(data_file: Path) -> dict:
    """The checked entries per language for the search index; {} when the file is absent or has a mistake
    (the validation, which runs before, reports it)."""
    doc, entries = read_synonyms(data_file)
    return entries if doc is not None and not doc.problems else {}


def _message(error) -> str:
    if error.validator == "pattern":
        return f"{error.instance!r} is not a phrase of at most 8 words on one line without markup characters"
    if error.validator == "oneOf":
        return f"`plan` must be a phrase or a list of phrases, got {error.instance!r}"
    return error.message


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
