"""The French-English termbase (data/termbase.yaml) and the check that every English text follows it, in context.

An entry applies to the fields of its `scope`: `framework` (the texts of pillars, outcomes, outputs and activities,
and the interface labels that name those levels), `prose` (everything else: narrative, glossary, annex, notes) or
`all`. It does not apply inside the elements listed under `exceptions` (each with its reason). Where a longer term
covers a shorter one ("améliorer la sensibilisation" covers "sensibilisation"), only the longer one is checked.
An English text must contain one of the entry's accepted renderings (`en`, a string or a list) and none of the
renderings it must `avoid`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .texts import bilingual_texts
from .yamlnodes import describe

SCOPES = ("all", "framework", "prose")
_FRAMEWORK_LISTS = ("pillars", "outcomes", "outputs", "activities")
_FRAMEWORK_KEYS = ("title", "goal", "text")


@dataclass(frozen=True)
class Term:
    fr: str
    en: tuple[str, ...]
    scope: str = "all"
    exceptions: tuple[str, ...] = ()  # element names, as the validator names them: 'activity 1.3.1.1'
    avoid: tuple[str, ...] = ()

    def applies(self, scope: str, element: str) -> bool:
        return self.scope in ("all", scope) and element not in self.exceptions


@dataclass(frozen=True)
class Field:
    """One bilingual text to check: where it is, what it is called, its scope, and both languages."""

    where: tuple
    element: str
    scope: str
    fr: str
    en: str


@dataclass(frozen=True)
class Finding:
    field: Field
    term: Term
    message: str


def load_termbase(path: Path) -> list[Term]:
    """The entries of `path`; a malformed entry raises ValueError naming the file and the entry."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: expected a list of terms")
    terms = []
    for i, entry in enumerate(entries, 1):
        name = entry.get("fr") if isinstance(entry, dict) else entry
        where = f"{path}: entry {i} ({name})"
        if not isinstance(entry, dict) or not isinstance(entry.get("fr"), str) or not entry["fr"].strip():
            raise ValueError(f"{where}: needs a French term 'fr'")
        unknown = set(entry) - {"fr", "en", "scope", "exceptions", "avoid", "note"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        en = _strings(entry.get("en"), f"{where}: 'en'")
        if not en:
            raise ValueError(f"{where}: needs at least one English rendering 'en'")
        scope = entry.get("scope", "all")
        if scope not in SCOPES:
            raise ValueError(f"{where}: scope must be one of {', '.join(SCOPES)}, not {scope!r}")
        exceptions = []
        for exception in entry.get("exceptions") or []:
            if not isinstance(exception, dict) or not isinstance(exception.get("element"), str) or not exception.get("reason"):
                raise ValueError(f"{where}: each exception needs an 'element' (e.g. 'activity 1.3.1.1') and a 'reason'")
            exceptions.append(exception["element"])
        terms.append(Term(entry["fr"], en, scope, tuple(exceptions), _strings(entry.get("avoid"), f"{where}: 'avoid'")))
    return terms


def _strings(value: object, where: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ValueError(f"{where} must be a text or a list of texts")
    return tuple(values)


def field_scope(path: tuple) -> str:
    """'framework' for the title, goal or text of a pillar, outcome, output or activity; else 'prose'."""
    keys = [step for step in path if isinstance(step, str)]
    in_tree = bool(keys) and keys[0] == "pillars" and all(k in _FRAMEWORK_LISTS for k in keys[:-1])
    return "framework" if in_tree and keys[-1] in _FRAMEWORK_KEYS else "prose"


def plan_fields(data: object) -> list[Field]:
    """Every {fr, en} text of the plan's raw data, as Fields named the way the validator names elements."""
    # A quote is the wording an editor's note is about, in each language: not a translation.
    return [Field(path, describe(path, data), field_scope(path), texts["fr"], str(texts.get("en") or ""))
            for path, _, texts in bilingual_texts(data) if isinstance(texts.get("fr"), str) and path[-1:] != ("quote",)]


def label_fields(fr_labels: dict, en_labels: dict) -> list[Field]:
    """The interface labels, paired by key; they name the framework's levels, so they are 'framework' fields."""
    return [Field(("labels", key), f"label {key}", "framework", _flat(fr_labels[key]), _flat(en_labels[key]))
            for key in fr_labels if key in en_labels]


def _flat(value: object) -> str:
    """A label's text; a label with plural forms or a list is checked as all its forms together."""
    if isinstance(value, dict):
        return " ".join(_flat(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_flat(v) for v in value)
    return str(value)


def _occurrences(term: Term, text: str) -> list[tuple[int, int]]:
    pattern = re.compile(r"(?<!\w)" + re.escape(term.fr), re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


def check(terms: list[Term], fields) -> list[Finding]:
    """Every place where an English text does not follow the termbase."""
    findings = []
    for field in fields:
        in_scope = [t for t in terms if t.scope in ("all", field.scope)]
        spans = {t: _occurrences(t, field.fr) for t in in_scope}
        en = field.en.lower()
        for term in in_scope:
            if not spans[term] or field.element in term.exceptions:
                continue
            # A longer term found around this one decides the rendering there (and its exceptions apply).
            free = [s for s in spans[term] if not any(o is not term and len(o.fr) > len(term.fr) and a <= s[0] and s[1] <= b
                                                      for o in in_scope for a, b in spans[o])]
            if free and not any(r.lower() in en for r in term.en):
                findings.append(Finding(field, term, f"'{term.fr}' should be '{' or '.join(term.en)}'"))
            wrong = [r for r in term.avoid if r.lower() in en]
            if wrong:
                findings.append(Finding(field, term, f"'{term.fr}' must not be rendered '{wrong[0]}' (use '{term.en[0]}')"))
    return findings
