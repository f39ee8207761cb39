"""The search synonyms (data/search-synonyms.yaml): valid as shipped, every mistake named by file and line in
`make check`, and shipped in each language's search index."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data.load import validate  # noqa: E402
from macros.data.search_synonyms import FILE_NAME, load_search_synonyms, words  # noqa: E402

DATA = ROOT / "data" / "sip.yaml"


def test_the_shipped_synonyms_are_valid_and_use_the_plans_words():
    plan, problems = validate(DATA)
    mine = [p.format() for p in problems if FILE_NAME in p.file]
    assert plan is not None and not mine, mine
    entries = load_search_synonyms(DATA)
    assert set(entries) == {"fr", "en"} and all(entries.values())


@pytest.fixture
def data_copy(tmp_path):
    shutil.copy(DATA, tmp_path / "sip.yaml")
    lock = DATA.parent / "translations.lock"
    if lock.exists():
        shutil.copy(lock, tmp_path / "translations.lock")
    return tmp_path


def check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "macros.data.check", str(folder / "sip.yaml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("fr:\n  - plan: formation en ligne\n    readers: [e-learning]\n  - plan: tapis volant\n    readers: [avion]\n",
     4, "never writes 'tapis volant'"),
    ("en:\n  - plan: online training\n    readers: [e-learning]\n  - plan: lessons learned\n    readers: [E-Learning]\n",
     5, "listed twice (first at line 3)"),
    ("en:\n  - plan: online training\n    readers: [online training]\n", 3, "the plan's own phrase"),
    ("en:\n  - plan: online training\n  - plan: lessons learned\n    readers: [lessons learnt]\n", 2, "'readers' is a required property"),
    ("en:\n  - plan: online training\n    readers: [\"<b>x</b>\"]\n", 3, "not a phrase"),
    ("de:\n  - plan: x\n    readers: [y]\n", 1, "Additional properties"),
    ("en:\n  - plan: online training\n    readers: [e-learning\n", 4, "YAML syntax error"),
])
def test_every_mistake_is_named_by_file_and_line_in_make_check(data_copy, text, line, message):
    (data_copy / FILE_NAME).write_text(text, encoding="utf-8")
    result = check(data_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    found = [row for row in result.stderr.splitlines() if f"{FILE_NAME}:" in row]
    assert found, result.stderr
    assert any(row.split(FILE_NAME + ":")[1].split(":")[0] == str(line) and message in row for row in found), found


def test_no_synonym_file_is_no_synonym(data_copy):
    assert check(data_copy).returncode == 0
    assert load_search_synonyms(data_copy / "sip.yaml") == {}


def test_folding_matches_the_workers(site_dir):
    """Elision and accents fold as the worker folds them: « l’Évaluation » is 'evaluation'."""
    assert words("l’Évaluation d'experts", "fr") == ["evaluation", "experts"]
    assert words("M&E e-learning", "en") == ["m&e", "e", "learning"]


def test_each_index_ships_its_languages_synonyms(site_dir):
    entries = load_search_synonyms(DATA)
    for lang, path in (("fr", "search/search_index.json"), ("en", "en/search/search_index.json")):
        index = json.loads((site_dir / path).read_text(encoding="utf-8"))
        # In `config`: Material hands its worker the index's config and docs, nothing else.
        assert index["config"]["synonyms"] == entries[lang], lang


# Words a humanitarian logistician types for the plan's key concepts, with an element that answers each (issue 24):
# the reviewed list reaches them, in the built index, through the worker itself.
PRACTITIONERS = {
    "fr": [("sitreps", "pillars/4.html#a-4.2.2.2"), ("3W", "pillars/1.html#a-1.2.2.1"),
           ("goulots d'étranglement", "pillars/4.html#a-4.1.1.2"), ("catalogue de services", "pillars/2.html#a-2.3.3.1"),
           ("empreinte carbone", "pillars/2.html#a-2.2.1.3"), ("pipeline", "pillars/2.html#a-2.2.1.2"),
           ("entreposage", "pillars/2.html#a-2.3.3.3"), ("coordonnateur", "pillars/1.html#a-1.1.1.4"),
           ("CONOPS", "pillars/4.html#a-4.2.1.2"), ("indicateurs de performance", "pillars/4.html#a-4.4.1.1"),
           ("IASC", "pillars/2.html#a-2.3.2.2"), ("dépliants", "pillars/1.html#a-1.1.1.1")],
    "en": [("sitreps", "pillars/4.html#a-4.2.2.2"), ("3W", "pillars/1.html#a-1.2.2.1"),
           ("pipeline", "pillars/2.html#a-2.2.1.2"), ("warehousing", "pillars/2.html#a-2.3.3.3"),
           ("carbon footprint", "pillars/2.html#a-2.2.1.3"), ("CONOPS", "pillars/4.html#a-4.2.1.2"),
           ("KPIs", "pillars/4.html#a-4.4.1.1"), ("service catalogue", "pillars/2.html#a-2.3.3.1"),
           ("talking points", "pillars/1.html#a-1.2.1.1"), ("leaflets", "pillars/1.html#a-1.1.1.1"),
           ("needs assessment", "pillars/4.html#a-4.1.1.2"), ("who does what", "pillars/1.html#a-1.1.1.1")],
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_practitioners_words_find_the_plans_element(site_dir, lang):
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    index = site_dir / ("" if lang == "fr" else lang) / "search" / "search_index.json"
    queries = [query for query, _ in PRACTITIONERS[lang]]
    result = subprocess.run(["node", str(ROOT / "tests" / "search" / "rank.js"), str(index), *queries],
                            capture_output=True, text=True, timeout=120, check=True)
    ranked = [json.loads(line) for line in result.stdout.splitlines()]
    missed = [(query, want, found[:3]) for (query, want), found in zip(PRACTITIONERS[lang], ranked) if want not in found[:3]]
    assert not missed, missed
