"""Messages of the tools (validation, imports, translations) in the user's language: one catalog file per language.

`Msg("key", name=value)` is a str holding the message in the user's language (French unless the person asked for
English, see `user_language`), and `.text(lang)` gives it in any language: the preview's error page shows the
problems in the page's language. A parameter that is itself a `Msg` is rendered in the same language.
Standard library only (Babel for plural forms, else the same rules for whole counts), so that `make setup` speaks
the user's language before the venv.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ..views.typography import french_text  # standard library only, like this package
from .catalog_file import read

LANGUAGES = ("fr", "en")
DEFAULT = "fr"  # the Rome team and most leads work in French
_DIR = Path(__file__).resolve().parent
# Read in this order; the first that names a language decides (SIP_LANG is the project's own option).
LANGUAGE_VARIABLES = ("SIP_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def user_language(environ=None) -> str:
    """'en' when the person asked for English (SIP_LANG=en, or a locale such as LANG=en_GB.UTF-8), else 'fr'.

    A variable set to C or POSIX (the default of containers and CI) names no language and is passed over; any
    language other than French or English falls back to French, the project's language.
    """
    environ = os.environ if environ is None else environ
    for name in LANGUAGE_VARIABLES:
        for value in (environ.get(name) or "").split(":"):  # LANGUAGE is a list: en_GB:fr
            value = value.strip().lower()
            if not value or value.split(".")[0] in ("c", "posix"):
                continue
            return value[:2] if value[:2] in LANGUAGES else DEFAULT
    return DEFAULT


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict:
    """The messages of `lang`: key -> text, or {one, other} for a message that takes a count."""
    return read(_DIR / f"{lang}.yml")


# CLDR's plural rules for a whole count, for the system Python before the venv holds Babel (make setup says
# "2 programmes manquants"): French `one` is 0 and 1 (its `many`, 1,000,000 and up, is written as `other`).
_WHOLE_COUNT_RULES = {"fr": lambda n: "one" if n in (0, 1) else "other", "en": lambda n: "one" if n == 1 else "other"}


@lru_cache(maxsize=None)
def _plural(lang: str):
    try:
        from babel import Locale  # only for a message with a count; the standard library alone reads the rest
    except ImportError:
        return _WHOLE_COUNT_RULES[lang]
    return Locale.parse(lang).plural_form


def render(key: str, lang: str, params: dict) -> str:
    text = catalog(lang)[key]
    values = {name: value.text(lang) if isinstance(value, Msg) else _Decimal(value, lang) if isinstance(value, float)
              else value for name, value in params.items()}
    if isinstance(text, dict):
        count = values["count"]
        text = text.get(_plural(lang)(abs(count)), text["other"])
    if lang == "fr":  # the site's rule for the no-break spaces (« », before : ; ! ?), on the words, not the values
        text = french_text(text)
    return text.format(**values)


class _Decimal(float):
    """A number with a fraction, written with the language's decimal mark ("0,46 Mo"): `{size:.2f}` in the catalog."""

    def __new__(cls, value: float, lang: str):
        self = super().__new__(cls, value)
        self.lang = lang
        return self

    def __format__(self, spec: str) -> str:
        written = format(float(self), spec)
        return written.replace(".", ",") if self.lang == "fr" else written


class Msg(str):
    """A message of the catalog: reads as its text in the user's language; `.text(lang)` in any language."""

    def __new__(cls, key: str, /, **params):
        self = super().__new__(cls, render(key, user_language(), params))
        self.key, self.params = key, params
        return self

    def text(self, lang: str | None = None) -> str:
        return render(self.key, lang or user_language(), self.params)

    def __reduce__(self):  # copied or sent to another process: rebuilt from its key, not from its text
        return _rebuild, (type(self), self.key, self.params, getattr(self, "word", None))


class Written(Msg):
    """A value the data writes in each language (an owner's name as the plan gives it): a message shows the form
    of its own language."""

    def __new__(cls, texts: dict):
        self = str.__new__(cls, texts[user_language()])
        self.key, self.params, self.texts = "", {}, dict(texts)
        return self

    def text(self, lang: str | None = None) -> str:
        return self.texts[lang or user_language()]

    def __reduce__(self):
        return type(self), (self.texts,)


def listed(values: list[dict]) -> Written:
    """Values written in each language ({"fr": ..., "en": ...}) as one list: "A", "A and B", "A, B and C"."""
    def joined(lang: str) -> str:
        words = [value[lang] for value in values]
        if len(words) < 2:
            return "".join(words)
        return render("and_list", lang, {"items": ", ".join(words[:-1]), "last": words[-1]})
    return Written({lang: joined(lang) for lang in LANGUAGES})


def _rebuild(cls, key: str, params: dict, word: str | None):
    return cls(word) if issubclass(cls, Kind) else cls(key, **params)


def say(key: str, /, **params) -> str:
    """The message `key` in the user's language (for the lines a tool prints)."""
    return Msg(key, **params)


def text_in(value, lang: str | None) -> str:
    """`value` in `lang` when it is a catalog message; any other text as it is."""
    return value.text(lang) if isinstance(value, Msg) else str(value)


def where_in(where: str, lang: str | None) -> str:
    """An element's name as the validator gives it ('activity 1.2.1.1, update 2024-Q3') in `lang`: only the kind
    words are translated; the names stay as written, since editor notes and the termbase cite them in English."""
    kinds = catalog(lang or user_language())["kinds"]
    parts = []
    for part in where.split(", "):
        kind = max((k for k in kinds if part == k or part.startswith(k + " ")), key=len, default=None)
        parts.append(kinds[kind] + part[len(kind):] if kind else part)
    return ", ".join(parts)


class Kind(Msg):
    """A kind of element ('owner', 'glossary entry') in the user's language, from the catalog's `kinds`."""

    SECTION = "kinds"

    def __new__(cls, word: str):
        self = str.__new__(cls, catalog(user_language())[cls.SECTION].get(word, word))
        self.key, self.params, self.word = cls.SECTION, {}, word
        return self

    def text(self, lang: str | None = None) -> str:
        return catalog(lang or user_language())[self.SECTION].get(self.word, self.word)


class Word(Kind):
    """A word of the schema's messages ('a list (- items)', 'the entry'), from the catalog's `words`; a word the
    catalog lacks stays as written."""

    SECTION = "words"
