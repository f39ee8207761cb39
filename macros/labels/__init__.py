"""Interface strings, one YAML file per language, loaded once."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def labels(lang: str) -> dict:
    """The interface strings of `lang` ('fr' or 'en')."""
    return yaml.safe_load((_DIR / f"{lang}.yml").read_text(encoding="utf-8"))
