"""Interface strings, one YAML file per language, loaded once."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale

_DIR = Path(__file__).resolve().parent
try:  # libyaml reads the two files in 3 ms instead of 30, in every build process
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader


@lru_cache(maxsize=None)
def labels(lang: str) -> dict:
    """The interface strings of `lang` ('fr' or 'en')."""
    return yaml.load((_DIR / f"{lang}.yml").read_text(encoding="utf-8"), Loader=_Loader)


@lru_cache(maxsize=None)
def _plural_rule(lang: str):
    return Locale.parse(lang).plural_form


@lru_cache(maxsize=4096)
def _plural_form(lang: str, count: int) -> str:
    # Babel evaluates the CLDR rule in Python each time: the same few counts, tens of thousands of times a build.
    return _plural_rule(lang)(count)


def fmt(lang: str, key: str, count: int | None = None, **values) -> str:
    """The label `key` of `lang` filled with `values`; a label with plural forms takes the form `count` calls for.

    A mapping label ({one: ..., other: ...}) is chosen by the language's CLDR plural rule: in French 0 and 1
    are `one`, in English only 1. A form the label does not give (French `many`) falls back to `other`. A `none`
    form, when given, is for exactly 0 in any language ("Owner: not recorded", not "Owners: ...").
    """
    label = labels(lang)[key]
    if isinstance(label, dict):
        if count is None:
            raise ValueError(f"label {key!r} has plural forms: give it a count")
        form = "none" if count == 0 and "none" in label else _plural_form(lang, abs(count))
        label = label.get(form, label["other"])
    return label.format(count=count, **values)
