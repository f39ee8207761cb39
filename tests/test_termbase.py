"""The termbase knows context: the five meaning errors of the first English draft are caught if they come back."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.data.load import DEFAULT_DATA
from macros.data.termbase import Field, check, label_fields, load_termbase, plan_fields
from macros.data.yamlnodes import read_document
from macros.labels import labels

TERMBASE = DEFAULT_DATA.parent / "termbase.yaml"

# (element, the revised English as published, the first draft's wrong English): each mutation puts one back.
MEANING_ERRORS = [
    ("activity 1.3.1.1", "take part in Global Logistics Meetings (GLMs) for",
     "participate in Global Logistics Cluster meetings (GLM) for"),
    # The blind review of 2026-12-03 dropped the expansion from the activity (the French has none; the page's
    # abbreviation gives it): the wrong name put back into the activity is still flagged there.
    ("activity 4.2.2.1", "(e.g. RITA, LogIE, the Logistics Operational Guide)",
     "(e.g. RITA, the Logistics Cluster Information Exchange (LogIE), the Logistics Operational Guide)"),
    ("acronym logie", "    en: Logistics Information Exchange\n", "    en: Logistics Cluster Information Exchange\n"),
    ("section development", "its operations and achievements", "its operations and outcomes"),
    ("glossary entry gsl-rome", "staff management, information products,", "staff management, information outputs,"),
    ("activity 2.2.1.3", "with the aim of raising awareness of good environmental practices in humanitarian supply chain "
     "activities in the field and of adopting those practices sustainably.",
     "with the aim of improving awareness-raising and the sustainable adoption of good environmental practices in "
     "humanitarian supply chain activities in the field."),
]


def findings_for(text: str, tmp_path: Path) -> list:
    copy = tmp_path / "sip.yaml"
    copy.write_text(text, encoding="utf-8")
    doc = read_document(copy.read_bytes(), str(copy))
    assert not doc.problems
    return check(load_termbase(TERMBASE), plan_fields(doc.data) + label_fields(labels("fr"), labels("en")))


def test_the_published_data_follows_the_termbase(tmp_path):
    assert findings_for(DEFAULT_DATA.read_text(encoding="utf-8"), tmp_path) == []


@pytest.mark.parametrize("element, revised, wrong", MEANING_ERRORS, ids=[m[0] for m in MEANING_ERRORS])
def test_each_meaning_error_reintroduced_is_flagged_where_it_is(element, revised, wrong, tmp_path):
    original = DEFAULT_DATA.read_text(encoding="utf-8")
    assert original.count(revised) == 1, f"the revised wording of {element} is no longer in the data"
    found = findings_for(original.replace(revised, wrong), tmp_path)
    assert found, f"the termbase check misses the reintroduced error in {element}"
    assert {f.field.element for f in found} == {element}
    assert all(f.field.where[-1] in ("text", "body", "definition", "expansion") for f in found)


def _field(fr: str, en: str, scope: str = "prose", element: str = "section x") -> Field:
    return Field(("sections", 0, "body"), element, scope, fr, en)


def test_scope_exceptions_and_longer_terms(tmp_path):
    path = tmp_path / "termbase.yaml"
    path.write_text("""
- fr: réalisation
  en: outcome
  scope: framework
- fr: réalisations
  en: achievements
  scope: prose
  exceptions:
  - {element: section purpose, reason: there it names the framework's outcomes}
- fr: sensibilisation
  en: awareness-raising
- fr: améliorer la sensibilisation
  en: raising awareness
  avoid: [improving awareness-raising]
""", encoding="utf-8")
    terms = load_termbase(path)
    assert not check(terms, [_field("Les réalisations du GLC.", "The GLC's achievements.")])
    assert check(terms, [_field("Les réalisations du GLC.", "The GLC's outcomes.")])
    assert not check(terms, [_field("Les réalisations du GLC.", "The GLC's outcomes.", element="section purpose")])
    assert not check(terms, [_field("Réalisation 1.1", "Outcome 1.1", scope="framework")])
    assert check(terms, [_field("Réalisation 1.1", "Achievement 1.1", scope="framework")])
    # The longer term decides; the shorter one inside it is not required.
    assert not check(terms, [_field("améliorer la sensibilisation", "raising awareness")])
    messages = [f.message for f in check(terms, [_field("améliorer la sensibilisation", "improving awareness-raising")])]
    assert any("must not be rendered 'improving awareness-raising'" in m for m in messages)
    assert check(terms, [_field("la sensibilisation", "the awareness")])


@pytest.mark.parametrize("entry, error", [
    ("- fr: x\n", "needs at least one English rendering"),
    ("- fr: x\n  en: y\n  scope: titles\n", "scope must be one of"),
    ("- fr: x\n  en: y\n  exceptions: [activity 1.1.1.1]\n", "each exception needs an 'element'"),
    ("- fr: x\n  en: y\n  avoid: 3\n", "'avoid' must be a text or a list of texts"),
    ("- fr: x\n  en: y\n  context: z\n", "unknown keys ['context']"),
])
def test_a_malformed_entry_is_refused_with_its_place(entry, error, tmp_path):
    path = tmp_path / "termbase.yaml"
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(ValueError, match=r"termbase.yaml: entry 1 \(x\): .*" + re.escape(error)):
        load_termbase(path)
