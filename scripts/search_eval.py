"""Search relevance (`make search-eval`): types each query of tests/search/queries.yaml into the built site.

Headless Chromium types every query into the search box with key events, on the served site (http) and on the
offline zip (file://), reads the results in the order a reader meets them and reports, per language, hit@1,
hit@5 and mean reciprocal rank (MRR). Writes bench/search.json and the search table of bench/RESULTS.md.

    .venv/bin/python scripts/search_eval.py                  # both languages, online and offline
    .venv/bin/python scripts/search_eval.py --only online --queries /path/to/queries.yaml --json out.json
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import re
import sys
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = ROOT / "tests" / "search" / "queries.yaml"
LANGUAGES = ("fr", "en")
HOME = {"fr": "", "en": "en/"}
from macros.system_tools import find_chromium  # noqa: E402 - the project's one lookup

CHROMIUM = find_chromium() or "chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGETS = {"hit@5": 0.95, "mrr": 0.8}
START = "<!-- search-eval: start (written by `make search-eval`) -->"
END = "<!-- search-eval: end -->"

# Resolves once the result list has not changed for `quiet` ms (Material re-renders it for every key typed),
# and the count line says the worker answered: the results are those of the whole query.
_SETTLED = """([quiet, limit]) => new Promise(resolve => {
  const list = document.querySelector(".md-search-result__list");
  const meta = document.querySelector(".md-search-result__meta");
  const t = JSON.parse(document.getElementById("__config").textContent).translations;
  const many = new RegExp("^" + t["search.result.other"].replace("#", "\\\\d+") + "$");
  const answered = () => [t["search.result.none"], t["search.result.one"]].includes(meta.textContent.trim())
    || many.test(meta.textContent.trim());
  let timer = null;
  const started = Date.now();
  const done = () => { observer.disconnect(); resolve(answered()); };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => (answered() || Date.now() - started > limit) ? done() : arm(), quiet);
  };
  const observer = new MutationObserver(arm);
  observer.observe(list, {childList: true, subtree: true});
  observer.observe(meta, {childList: true, characterData: true, subtree: true});
  arm();
})"""
# Each result, as a reader meets it: the element it leads to (its section link; the page for a page result).
RANKED = """() => Array.from(document.querySelectorAll(".md-search-result__item")).flatMap(item => {
  const links = Array.from(item.querySelectorAll("a.md-search-result__link"));
  const sections = links.filter(a => a.querySelector("h2"));
  return (sections.length ? sections : links.slice(0, 1)).map(a => a.href);
})"""


@dataclass
class Query:
    lang: str
    query: str
    expect: tuple[str, ...]
    source: str = ""
    kind: str = ""
    set: str = ""  # which blind set (`set: blind-2`): each is scored apart


@dataclass
class Outcome:
    query: Query
    ranked: list[str]
    rank: int | None = None  # 1-based position of the first expected result, None if absent

    def __post_init__(self) -> None:
        for position, link in enumerate(self.ranked, 1):
            if matches(link, self.query.expect):
                self.rank = position
                break


@dataclass
class Scores:
    count: int = 0
    hit1: float = 0.0
    hit5: float = 0.0
    mrr: float = 0.0
    misses: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"queries": self.count, "hit@1": round(self.hit1, 4), "hit@5": round(self.hit5, 4),
                "mrr": round(self.mrr, 4), "below_top5": self.misses}


def matches(link: str, expected: tuple[str, ...]) -> bool:
    """A result link matches 'pillars/1.html#a-1.1.1.2' exactly, or 'owners.html' at any of its sections."""
    page = link.partition("#")[0]
    return any(link == want or ("#" not in want and page == want) for want in expected)


def load_queries(path: Path = QUERIES) -> list[Query]:
    """The evaluation set; a clear error naming the file and the entry for any malformed one."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: expected a mapping of languages ({', '.join(LANGUAGES)}) to lists of queries")
    found = []
    for lang, entries in data.items():
        if lang not in LANGUAGES or not isinstance(entries, list):
            raise SystemExit(f"{path}: '{lang}' should be one of {LANGUAGES}, holding a list of queries")
        for number, entry in enumerate(entries, 1):
            if isinstance(entry, dict) and "q" in entry and "query" not in entry:
                entry = {**entry, "query": entry["q"]}  # the short form of the blind set
            expect = entry.get("expect") if isinstance(entry, dict) else None
            if isinstance(expect, str):
                expect = [expect]
            if not (isinstance(entry, dict) and isinstance(entry.get("query"), str) and entry["query"].strip()
                    and isinstance(expect, list) and expect and all(isinstance(e, str) and e for e in expect)):
                raise SystemExit(f"{path}: {lang} entry {number}: needs `query` (text; quote ids like \"4.2\") and "
                                 f"`expect` (anchors), got {entry!r}")
            bad = [e for e in expect if e.startswith(("/", "en/", "http")) or ".html" not in e]
            if bad:
                raise SystemExit(f"{path}: {lang} entry {number} ({entry['query']!r}): expected anchors are pages of "
                                 f"the language's root like 'pillars/1.html#a-1.1.1.2', got {bad}")
            found.append(Query(lang, entry["query"], tuple(expect), str(entry.get("source", "")),
                               str(entry.get("kind", "")), str(entry.get("set", ""))))
    return found


def relative(href: str, root: str) -> str:
    """'http://host/en/pillars/2.html?h=x#a-2.3.3.1' -> 'pillars/2.html#a-2.3.3.1' for the English root."""
    if not href.startswith(root):
        return href  # a result outside the reader's language: never matches an expected anchor
    address, _, fragment = href[len(root):].partition("#")
    return address.partition("?")[0] + (f"#{fragment}" if fragment else "")


class Searcher:
    """Tabs per language, kept open: types each query into Material's search box and reads the results.

    With several tabs, queries are answered side by side: the quiet time that proves an answer final is spent once
    per round rather than once per query. That pays with last-key typing; typing every key is busy, not waiting."""

    def __init__(self, browser, root: str, typing: str = "every-key", tabs: int = 1) -> None:
        self.root = root
        # "every-key" types the whole query as a reader does; "last-key" puts all but its last letter in the box
        # at once, then types that letter (one keyup makes Material read the box): the same answer, faster.
        self.typing = typing
        self.tabs = tabs
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.outside: list[str] = []
        self.context.on("request", self._record)
        self.pages = {}

    def _record(self, request) -> None:
        if not request.url.startswith(self.root) and not request.url.startswith(("data:", "blob:", "about:")):
            self.outside.append(request.url)

    def page(self, lang: str, slot: int = 0):
        if (lang, slot) not in self.pages:
            page = self.context.new_page()
            page.goto(self.root + HOME[lang] + "index.html")
            self.pages[lang, slot] = page
        return self.pages[lang, slot]

    def ranked(self, lang: str, query: str) -> list[str]:
        return self.ranked_many([(lang, query)])[0]

    def ranked_many(self, items: list[tuple[str, str]]) -> list[list[str]]:
        """The results of each (language, query), in order; up to `tabs` queries per language at a time."""
        results: list[list[str]] = [[] for _ in items]
        waiting = {lang: [i for i, (language, _) in enumerate(items) if language == lang] for lang in LANGUAGES}
        while any(waiting.values()):
            batch = [(i, lang, slot) for lang, queue in waiting.items() for slot, i in enumerate(queue[:self.tabs])]
            for lang in waiting:
                del waiting[lang][:self.tabs]
            for i, lang, slot in batch:
                self._type(self.page(lang, slot), items[i][1])
            for i, lang, slot in batch:
                results[i] = self._read(self.page(lang, slot), lang)
        return results

    def _type(self, page, query: str) -> None:
        box = page.locator("input.md-search__input")
        if self.typing == "last-key":
            box.fill(query[:-1])
            box.type(query[-1])
        else:
            box.click()
            box.press("Control+A")
            box.press("Backspace")
            box.type(query)
        # Playwright types letters missing from its US layout (é) without key events; Material reads the box on
        # keyup: one more key makes it read the whole query.
        if self.typing == "every-key" or not query[-1].isascii():
            box.press("End")
        # Every-key typing sends a query per key: a longer quiet time rules out reading the answer to a prefix.
        # Armed now, awaited in _read: the tabs of a round settle at the same time.
        page.evaluate(f"(args) => {{ window.__sipSettled = ({_SETTLED})(args); }}",
                      [250 if self.typing == "every-key" else 120, 5000])

    def _read(self, page, lang: str) -> list[str]:
        page.evaluate("() => window.__sipSettled")
        root = self.root + HOME[lang]
        links = [relative(href, root) for href in page.evaluate(RANKED)]
        return list(dict.fromkeys(links))

    def close(self) -> None:
        self.context.close()


def run(searcher: Searcher, queries: list[Query]) -> list[Outcome]:
    rankings = searcher.ranked_many([(q.lang, q.query) for q in queries])
    return [Outcome(q, ranked) for q, ranked in zip(queries, rankings)]


def score(outcomes: list[Outcome]) -> dict[str, Scores]:
    result = {}
    for lang in LANGUAGES:
        mine = [o for o in outcomes if o.query.lang == lang]
        if not mine:
            continue
        s = Scores(count=len(mine))
        s.hit1 = sum(o.rank == 1 for o in mine) / len(mine)
        s.hit5 = sum(o.rank is not None and o.rank <= 5 for o in mine) / len(mine)
        s.mrr = sum(1 / o.rank for o in mine if o.rank) / len(mine)
        s.misses = [{"query": o.query.query, "rank": o.rank, "expect": list(o.query.expect), "top5": o.ranked[:5]}
                    for o in mine if o.rank is None or o.rank > 5]
        result[lang] = s
    return result


@contextlib.contextmanager
def served(site: Path):
    """http://127.0.0.1:<free port>/ serving `site`, as a static host would."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def unzipped(archive: Path):
    """file:///tmp/…/<top>/ of the offline zip, unzipped as a field reader would."""
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(archive) as bundle:
        bundle.extractall(folder)
        tops = {name.split("/")[0] for name in bundle.namelist()}
        if len(tops) != 1:
            raise SystemExit(f"{archive}: expected one top folder, found {sorted(tops)}")
        yield (Path(folder) / tops.pop()).as_uri() + "/"


def offline_zip() -> Path:
    found = sorted((ROOT / "dist").glob("sip-*-offline.zip"))
    if not found:
        raise SystemExit("dist/sip-<version>-offline.zip is missing: run `make build` first")
    return found[-1]


def evaluate(queries: list[Query], modes: tuple[str, ...]) -> dict:
    from playwright.sync_api import sync_playwright

    site = ROOT / "site"
    if not (site / "index.html").exists():
        raise SystemExit("site/ is missing: run `make build` first")
    report = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for mode in modes:
                where = served(site) if mode == "online" else unzipped(offline_zip())
                with where as root:
                    searcher = Searcher(browser, root)
                    outcomes = run(searcher, queries)
                    searcher.close()
                blind = [o for o in outcomes if o.query.source == "blind"]
                sets = sorted({o.query.set for o in blind if o.query.set})
                report[mode] = {"scores": {lang: s.as_dict() for lang, s in score(outcomes).items()},
                                "scores_blind_set": {lang: s.as_dict() for lang, s in score(blind).items()},
                                "scores_by_blind_set": {name: {lang: s.as_dict() for lang, s in score(
                                    [o for o in blind if o.query.set == name]).items()} for name in sets},
                                "ranked": {f"{o.query.lang}: {o.query.query}": o.ranked[:10] for o in outcomes},
                                "requests_outside": searcher.outside}
                print(table({mode: report[mode]}), flush=True)
        finally:
            browser.close()
    return report


def table(report: dict) -> str:
    lines = ["| where | language | queries | hit@1 | hit@5 | MRR | target met |", "|---|---|---:|---:|---:|---:|---|"]
    for mode, found in report.items():
        groups = [(found.get("scores", {}), "all"), (found.get("scores_blind_set", {}), "blind sets only")]
        groups += [(scores, f"blind set {name}") for name, scores in found.get("scores_by_blind_set", {}).items()]
        for scores, label in groups:
            for lang, s in scores.items():
                met = s["hit@5"] >= TARGETS["hit@5"] and s["mrr"] >= TARGETS["mrr"]
                lines.append(f"| {mode} | {lang} ({label}) | {s['queries']} | {s['hit@1']:.1%} | {s['hit@5']:.1%} | "
                             f"{s['mrr']:.3f} | {'yes' if met else '**no**'} |")
    return "\n".join(lines)


def write_results(report: dict, queries_path: Path, out: Path) -> None:
    (out / "search.json").write_text(json.dumps({"queries": str(queries_path.relative_to(ROOT)) if queries_path.is_relative_to(ROOT) else str(queries_path),
                                                 "targets": TARGETS, **report}, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    misses = [f"- {mode}, {lang}: `{m['query']}` (rank {m['rank'] or 'not found'}; expected {', '.join(m['expect'])})"
              for mode, found in report.items() for lang, s in found["scores"].items() for m in s["below_top5"]]
    section = "\n".join([START, "## Search relevance (`make search-eval`)", "",
                         f"Queries of `{queries_path.name}` typed into the built site in headless Chromium; a query counts "
                         "as found at the rank of the first result that leads to one of its expected anchors. "
                         "Targets: hit@5 ≥ 95 % and MRR ≥ 0.8 per language.", "", table(report), "",
                         *(["Queries whose expected element is not in the first five results:", "", *misses, ""]
                           if misses else []), END])
    results = out / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        # Below the benchmark's hand-written marker, which `make bench` keeps as it is.
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    results.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--only", choices=("online", "offline"))
    parser.add_argument("--json", type=Path, help="write the report here instead of bench/ (no RESULTS.md)")
    args = parser.parse_args()
    queries = load_queries(args.queries)
    modes = (args.only,) if args.only else ("online", "offline")
    report = evaluate(queries, modes)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        write_results(report, args.queries.resolve(), ROOT / "bench")
    outside = [url for found in report.values() for url in found["requests_outside"]]
    if outside:
        print(f"search made requests outside the site: {outside[:5]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
