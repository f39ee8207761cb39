"""Search relevance on the built site: one entry per activity, no repeated activity text, and the evaluation set.

The evaluation (tests/search/queries.yaml) runs here online with a floor of hit@5 = 90 % per language, so that
relevance cannot silently regress; `make search-eval` measures the same set online and offline, with the targets.
"""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))

import search_eval  # noqa: E402
from search_index import plain  # noqa: E402

FLOOR = 0.90
INDEX = {"fr": "search/search_index.json", "en": "en/search/search_index.json"}


def words(markup: str) -> str:
    """Markup as the folded words a reader sees: no tags, no entities, no accents or punctuation."""
    import unicodedata
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup)).lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))


@pytest.fixture(scope="module")
def indexes(site_dir) -> dict[str, list[dict]]:
    return {lang: json.loads((site_dir / path).read_text(encoding="utf-8"))["docs"] for lang, path in INDEX.items()}


@pytest.mark.parametrize("lang", INDEX)
def test_each_activity_has_one_entry_at_its_anchor_with_what_finds_it(indexes, plan, lang):
    docs = {doc["location"]: doc for doc in indexes[lang]}
    for activity in plan.activities:
        location = f"pillars/{activity.pillar_id}.html#{activity.anchor}"
        doc = docs.get(location)
        assert doc, f"{lang}: activity {activity.id} has no search entry at {location}"
        assert activity.id in doc["ids"] and doc["kind"] == "activity", f"{lang}: {location}: {doc}"
        for owner in (role.owner for role in activity.owners):
            for name in (owner.name(lang), owner.short(lang)):
                assert words(name) in words(doc["owners"]), f"{lang}: {location}: owner {name!r} not searchable"
        output = plan.output_of(activity)
        assert words(plain(output.text(lang)))[:80] in words(doc["context"]), f"{lang}: {location}: no output text"
        assert words(activity.current_status.label(lang)) in words(doc["status"]), f"{lang}: {location}: no status"
    assert len(docs) == len(indexes[lang]), f"{lang}: two entries share a location"


@pytest.mark.parametrize("lang", INDEX)
def test_activity_text_is_indexed_on_its_pillar_page_only(indexes, plan, lang):
    """Owners, dashboard, reports and the printable plan repeat activities: search leads to the pillar pages."""
    texts = {doc["location"]: words(doc["text"]) for doc in indexes[lang]}
    problems = []
    for activity in plan.activities:
        # Its first and last words (a footnote mark may sit between them; an output may begin the same way).
        full = words(plain(activity.text(lang)))
        start, end = full[:70], full[-40:]
        home = f"pillars/{activity.pillar_id}.html#{activity.anchor}"
        assert start in texts[home] and end in texts[home], f"{lang}: {home} does not hold the activity's text"
        problems += [f"{lang}: {activity.id} repeated at {where}" for where, text in texts.items()
                     if where != home and start in text and end in text]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", INDEX)
def test_each_acronym_and_commitment_has_an_entry_at_its_anchor(indexes, plan, lang):
    locations = {doc["location"] for doc in indexes[lang]}
    wanted = [f"glossary.html#{a.anchor}" for a in plan.acronyms if a.abbr.get(lang)]
    wanted += [f"annex.html#commitment-{c.number}" for c in plan.annex.commitments]
    wanted += [f"pillars/{p.id}.html#{p.anchor}" for p in plan.pillars]
    assert not [w for w in wanted if w not in locations], f"{lang}: missing entries"


@pytest.mark.parametrize("lang", INDEX)
def test_the_acronym_table_is_indexed_by_its_rows_only(indexes, plan, lang):
    """Each acronym has its entry at its row: the table's text would repeat them all in one entry, which then
    answers any query naming two expansions' words ("steering committee meetings")."""
    table = next(doc for doc in indexes[lang] if doc["location"] == "glossary.html#acronyms")
    expansions = [words(plain(a.expansion(lang))) for a in plan.acronyms if a.abbr.get(lang)]
    assert not [e for e in expansions if e and e in words(table["text"])], table["text"][:300]


@pytest.mark.parametrize("lang", INDEX)
def test_the_entries_that_answer_questions_say_so(indexes, plan, lang):
    """Glossary terms and acronyms answer "what is", owners "who leads" (and what the body is), under their other
    name too; nothing else claims to answer (README, "Search")."""
    docs = {doc["location"]: doc for doc in indexes[lang]}
    terms = {f"glossary.html#{entry.anchor}" for entry in plan.glossary}
    acronyms = {f"glossary.html#{a.anchor}": a for a in plan.acronyms if a.abbr.get(lang)}
    owners = {f"owners.html#owner-{owner.id}": owner for owner in plan.owners}
    assert terms and acronyms and owners
    for location in terms:
        assert docs[location]["answers"] == ["definition"], location
    for location, acronym in acronyms.items():
        doc = docs[location]
        assert doc["kind"] == "acronym" and doc["answers"] == ["definition"], doc
        assert words(doc["aka"]) == words(plain(acronym.expansion(lang))), doc
    for location, owner in owners.items():
        doc = docs[location]
        assert doc["answers"] == ["owner", "definition"] and words(doc["aka"]) == words(owner.short(lang)), doc
    others = [location for location, doc in docs.items() if "answers" in doc and location not in {*terms, *acronyms, *owners}]
    assert not others, others


def test_every_page_runs_the_plans_search_worker(site_dir):
    named = set()
    for page in list(site_dir.glob("*.html")) + list((site_dir / "en").glob("*.html")):
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
        if config:
            worker = json.loads(config.group(1))["search"]
            # 404.html names it from the site's root (it is served at any depth); other pages relative to them.
            named.add((site_dir / worker.lstrip("/") if worker.startswith("/") else page.parent / worker).resolve())
    assert named == {(site_dir / "assets" / "javascripts" / "search-worker.js").resolve()}, named
    assert all(path.exists() for path in named)


@pytest.fixture(scope="module")
def evaluated(browser, base_url):
    """The whole evaluation set, typed online in three tabs per language (answers settle side by side)."""
    queries = search_eval.load_queries()
    searcher = search_eval.Searcher(browser, base_url + "/", typing="last-key", tabs=3)
    try:
        outcomes = search_eval.run(searcher, queries)
    finally:
        searcher.close()
    assert not searcher.outside, f"search made requests outside the site: {searcher.outside[:5]}"
    return outcomes


def test_the_evaluation_set_has_forty_queries_per_language():
    queries = search_eval.load_queries()
    for lang in search_eval.LANGUAGES:
        assert len([q for q in queries if q.lang == lang]) >= 40, lang


@pytest.mark.parametrize("lang", search_eval.LANGUAGES)
def test_relevance_does_not_fall_below_the_floor(evaluated, lang):
    scores = search_eval.score(evaluated)[lang]
    misses = "\n".join(f"  {m['query']!r}: rank {m['rank']}, expected {m['expect']}, got {m['top5']}"
                       for m in scores.misses)
    assert scores.hit5 >= FLOOR, (f"{lang}: hit@5 {scores.hit5:.1%} < {FLOOR:.0%} (MRR {scores.mrr:.3f}); "
                                  f"below the first five:\n{misses}")


def test_offline_bundle_ranks_as_the_site_does(browser, evaluated):
    """The same queries over file:// (a sample: `make search-eval` compares them all) give the same results."""
    sample = [o for o in evaluated][::6]
    with search_eval.unzipped(search_eval.offline_zip()) as root:
        searcher = search_eval.Searcher(browser, root, typing="last-key", tabs=3)
        try:
            offline = search_eval.run(searcher, [o.query for o in sample])
        finally:
            searcher.close()
    assert not searcher.outside, f"offline search made requests: {searcher.outside[:5]}"
    different = [(a.query.query, a.ranked[:5], b.ranked[:5]) for a, b in zip(sample, offline) if a.ranked != b.ranked]
    assert not different, different


@pytest.mark.parametrize(("lang", "query"), [("fr", "plaidoyer"), ("en", "phase-out")])
def test_search_results_are_keyboard_reachable_and_axe_clean(browser, base_url, lang, query):
    """The results the plan's worker returns keep Material's search accessible: axe finds nothing grave,
    and the arrow keys then Enter open the first result at its anchor."""
    axe = search_eval.ROOT / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.exists(), "node_modules/axe-core is missing: run `make setup`"
    searcher = search_eval.Searcher(browser, base_url + "/")
    try:
        ranked = searcher.ranked(lang, query)
        page = searcher.page(lang)
        page.add_script_tag(path=str(axe))
        result = page.evaluate("() => axe.run(document.querySelector('.md-search'))")
        grave = [f"{v['impact']} {v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes'][:3]]}"
                 for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not grave, "\n".join(grave)
        # Down to the first result's page heading, then to the result itself, as Material moves focus.
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        root = base_url + "/" + search_eval.HOME[lang]
        page.wait_for_url(lambda url: search_eval.relative(url, root) == ranked[0], timeout=10_000)
    finally:
        searcher.close()
