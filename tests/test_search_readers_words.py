"""Search with readers' words, typed with key events into the built site: acronym plurals, French elision and
question words give what the plain word gives; an activity's preview reads "status · owner"; Material's unused
lunr worker files are not published, online or offline."""
from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from macros.data.load import data_path  # noqa: E402
from macros.data.search_synonyms import load_search_synonyms, words  # noqa: E402
from macros.labels import fmt, labels  # noqa: E402
import search_eval  # noqa: E402  (its Searcher types each query with key events and reads the ranked results)
from test_search_online import open_home, search  # noqa: E402

UNUSED = ("assets/javascripts/workers/", "assets/javascripts/lunr/")


@pytest.fixture(scope="module")
def searcher(browser, base_url):
    typist = search_eval.Searcher(browser, base_url + "/")
    yield typist
    typist.close()


def first(searcher, lang, query) -> list[str]:
    """The element of the first result for `query` typed key by key (capitals included)."""
    return searcher.ranked(lang, query)[:1]


def first_five(searcher, lang, query) -> list[str]:
    return searcher.ranked(lang, query)[:5]


def firsts(searcher, lang, queries) -> dict[str, list[str]]:
    """The first result of each query, typed key by key in a few tabs side by side."""
    queries = list(dict.fromkeys(queries))
    return {q: ranked[:1] for q, ranked in zip(queries, searcher.ranked_many([(lang, q) for q in queries]))}


@pytest.fixture
def root(base_url: str) -> str:
    return base_url + "/"


def used_acronyms(plan, lang):
    """The glossary's acronyms (letters only) that an activity of `lang` writes, as written."""
    texts = " ".join(a.text(lang) for a in plan.activities)
    return [abbr for a in plan.acronyms for abbr in a.abbr.get(lang) or ()
            if abbr.isalpha() and re.search(rf"(?<!\w){re.escape(abbr)}(?!\w)", texts)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_acronyms_plural_finds_what_the_acronym_finds(searcher, plan, lang):
    acronyms = used_acronyms(plan, lang)
    assert acronyms, f"{lang}: no glossary acronym is used in an activity"
    typed = {abbr: (abbr + "s", abbr.lower() + "s") for abbr in acronyms[:4]}
    found = firsts(searcher, lang, [q for abbr, forms in typed.items() for q in (abbr, *forms)])
    for abbr, forms in typed.items():
        assert found[abbr], f"{lang}: {abbr} finds nothing"
        for form in forms:
            assert found[form] == found[abbr], f"{lang}: {form!r} does not find what {abbr!r} finds"


def elided_words(plan):
    """Words of the French activity texts written after « l' » or « d' », six letters or more, in the plan's order."""
    found = []
    for activity in plan.activities:
        for word in re.findall(r"(?<!\w)[ld]['’](\w{6,})", activity.text("fr")):
            if word not in found:
                found.append(word)
    return found


def test_french_elision_with_either_apostrophe_finds_the_word_itself(searcher, plan):
    words = elided_words(plan)
    assert len(words) >= 3
    typed = {word: (f"l'{word}", f"d’{word}", f"qu’{word}") for word in words[:3]}
    found = firsts(searcher, "fr", [q for word, forms in typed.items() for q in (word, *forms)])
    for word, forms in typed.items():
        for form in forms:
            assert found[form] == found[word], f"{form!r} does not find what {word!r} finds"


@pytest.mark.parametrize(("lang", "question"), [("fr", "comment"), ("fr", "où"), ("fr", "quelles"),
                                                 ("en", "how"), ("en", "where"), ("en", "which")])
def test_question_words_change_nothing(searcher, plan, lang, question):
    word = plan.activities[0].text(lang).split()[0]
    found = firsts(searcher, lang, [f"{question} {word}", word])
    assert found[f"{question} {word}"] == found[word]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_activity_preview_separates_status_and_owner_and_has_no_copy_link(page, root, plan, lang):
    activity = next(a for a in plan.activities if a.owners)
    open_home(page, root, lang)
    search(page, root, activity.id)
    item = page.locator(".md-search-result__item").first
    preview = " ".join(item.inner_text().split())
    status = activity.current_status.label(lang)
    owned = fmt(lang, "owned_by", count=len(activity.owners))
    assert f"{status} · {owned}" in preview, preview
    assert activity.owners[0].owner.name(lang) in preview, preview
    assert labels(lang)["copy_link"] not in preview, preview


def test_materials_lunr_worker_files_are_not_published(site_dir):
    published = [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()]
    assert not [p for p in published if p.startswith(UNUSED) or p.startswith(tuple("en/" + u for u in UNUSED))]
    # Nothing asks for them: no page or script names Material's worker or a lunr file.
    naming = [p for p in published if p.endswith((".html", ".js")) and
              re.search(r"workers/search\.|lunr\.\w+\.min\.js|tinyseg|wordcut", (site_dir / p).read_text(encoding="utf-8"))]
    assert not naming, naming
    bundle = sorted((ROOT / "dist").glob("sip-*-offline.zip"))[-1]
    with zipfile.ZipFile(bundle) as archive:
        inside = [n.split("/", 1)[1] for n in archive.namelist() if "/" in n]
    assert inside and not [n for n in inside if n.startswith(UNUSED)], bundle


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_readers_synonym_reaches_what_the_plans_phrase_finds(searcher, plan, lang):
    """The synonym list reaches the worker in the browser: a reader's phrase the plan never writes finds an element
    that the plan's phrase finds among its first five."""
    plan_text = " ".join(" ".join(words(a.text(lang), lang)) for a in plan.activities)
    checked = 0
    for entry in load_search_synonyms(data_path())[lang]:
        reader = next((r for r in entry["readers"] if f" {' '.join(words(r, lang))} " not in f" {plan_text} "), None)
        if reader is None:
            continue
        wanted = first_five(searcher, lang, entry["plan"][0])
        found = first(searcher, lang, reader)
        assert found and found[0] in wanted, f"{lang}: {reader!r} vs {entry['plan'][0]!r}"
        checked += 1
        if checked == 3:
            break
    assert checked == 3


def misspelt(plan, lang):
    """(word, typo) for long words of the activities in `lang`: two inner letters swapped, then one letter dropped,
    each typo a word the plan never writes."""
    texts = " ".join(a.text(lang) for a in plan.activities).lower()
    written = set(re.findall(r"\w+", texts))
    pairs = []
    for word in dict.fromkeys(re.findall(r"(?<![\w'’-])[^\W\d_]{7,12}(?![\w'’-])", texts)):
        for typo in (word[:3] + word[4] + word[3] + word[5:], word[:4] + word[5:]):
            if typo not in written:
                pairs.append((word, typo))
        if len(pairs) >= 6:
            break
    return pairs


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_typo_finds_what_the_word_finds(searcher, plan, lang):
    """A word one letter away from the plan's (two letters swapped, one dropped) finds the same first element."""
    pairs = misspelt(plan, lang)
    assert len(pairs) >= 6, pairs
    found = firsts(searcher, lang, [q for pair in pairs for q in pair])
    for word, typo in pairs:
        assert found[word], f"{lang}: {word!r} finds nothing"
        assert found[typo] == found[word], f"{lang}: {typo!r} does not find what {word!r} finds"
