"""Bad data never publishes a broken site: every bad input is refused in one line, quickly; hostile text is shown.

The corpus is tests/fixtures/bad/ (base.yaml with one mistake per file, written by make_corpus.py), plus two
inputs too big to commit, generated here: a 50 MB file and a file of 1.2 million values.
"""
from __future__ import annotations

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT_FOLDER  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
pytestmark = PROJECT_FOLDER  # builds in the project folder itself
CORPUS = ROOT / "tests" / "fixtures" / "bad"
sys.path.insert(0, str(CORPUS))

import make_corpus  # noqa: E402

# Limits on one run of the checker, whatever the input.
MAX_SECONDS = 20
MAX_MB = 1024
WORKERS = os.cpu_count() or 2

# case, line and column of the first problem, element named ("" for none), what is wrong, how to fix it
REFUSED = [
    ("syntax_tab_indentation", 122, 1, "activity 1.1.1.1", "found a tab character", "indent with spaces, not tabs"),
    ("syntax_unclosed_quote", 125, 13, "activity #2", "this quote is not closed on its line and runs on to line 136",
     "add the closing quote on the same line"),
    ("syntax_two_documents", 29, 1, None, "found another document", "remove the second '---' line"),
    ("syntax_control_character", 122, 44, "", "the character U+0007 is not allowed", "delete it"),
    ("empty", 1, 1, "", "the file is empty", "restore it from git"),
    ("empty_comments_only", 1, 1, "", "the file is empty", "restore it from git"),
    ("encoding_windows1252", 6, 14, "", "the file is not valid UTF-8 (byte 0xc9)", "save the file with UTF-8 encoding"),
    ("encoding_utf16", 1, 1, "", "the file is not valid UTF-8 (it looks like UTF-16)", "save the file with UTF-8 encoding"),
    ("duplicate_key", 125, 9, "activity 1.1.1.1", "duplicate key 'status' (first at line 123)", "remove or rename one"),
    ("duplicate_activity_id", 161, 13, "activity 2.1.1.1", "duplicate activity id '2.1.1.1' (first at line 154)",
     "renumber one of them"),
    ("duplicate_owner_id", 53, 7, "owner rome-team", "duplicate owner id 'rome-team' (first at line 45)",
     "each owner needs its own id"),
    ("type_list_for_text", 138, 5, "pillar 2", "'title' must be a mapping (key: value lines), not a list",
     "'fr: ...' and 'en: ...'"),
    ("type_number_for_id", 109, 9, "outcome 1.10", "'id' must be text, but YAML reads 1.10 as a number",
     'put it in quotes: "1.10"'),
    ("type_boolean_for_text", 59, 9, "owner glc", "'short.en' must be text, but YAML reads no as a true/false value",
     'put it in quotes: "no"'),
    ("type_date_for_text", 28, 17, "meta.status_as_of", "must be text, but YAML reads 2023-11-05 as a date",
     'put it in quotes: "2023-11-05"'),
    ("unknown_key", 166, 9, "activity 2.1.1.2", "unknown key 'ownrs'", "did you mean 'owners'?"),
    ("unknown_owner", 166, 11, "activity 2.1.1.2", "owner 'rome-tem' is not defined", "did you mean 'rome-team'?"),
    ("unknown_glossary_entry", 52, 13, "owner rome-team", "glossary entry 'gsl-rom' is not defined",
     "did you mean 'gsl-rome'?"),
    ("unknown_footnote", 156, 15, "activity 2.1.1.1", "footnote 'reference-modul' is not defined",
     "did you mean 'reference-module'?"),
    ("status_outside_vocabulary", 124, 17, "activity 1.1.1.1", "status 'done' is not defined",
     "use one of: completed, not_reported"),
    ("translation_missing", 146, 7, "outcome 2.1", "missing English translation (en) of 'text'",
     "add a non-empty 'en:' line under 'text'"),
    ("translation_empty", 117, 13, "output 1.1.1", "empty English translation of 'text'", "write the English text"),
    ("tag_python_object_apply", 121, 15, "activity 1.1.1.1", "the tag !!python/object/apply:os.system is not allowed",
     "remove the tag"),
    ("tag_python_object", 122, 15, "activity 1.1.1.1", "the tag !!python/object:subprocess.Popen is not allowed",
     "remove the tag"),
    ("alias_billion_laughs", 31, 8, "lols.1", "YAML alias *l0 is not allowed (used 9 times)", "write the value out in full"),
    ("nesting_too_deep", 4, 46, "", "the data is nested more than 40 levels deep", "check the indentation and the brackets"),
    ("link_javascript", 121, 15, "activity 1.1.1.1", "link to 'javascript:alert(1' is not allowed",
     "links may only point to http://, https:// or mailto:"),
    # A reference definition and a target split over two lines both used to publish a live javascript: link.
    ("link_javascript_reference", 85, 12, "section purpose", "link to 'javascript:alert(1)' is not allowed",
     "links may only point to http://, https:// or mailto:"),
    ("link_javascript_split", 85, 56, "section purpose", "link to 'java script:alert(1' is not allowed",
     "links may only point to http://, https:// or mailto:"),
    # Generated in a temporary folder (see generated_inputs).
    ("huge_50mb", 1, 1, "", "the file is 52.4 MB, over the 16 MB limit", "check that the right file was saved"),
    ("too_many_values", 1, 1, "", "the file could hold more than the 500,000 values allowed", "check that the right file was saved"),
]
GENERATED = {"huge_50mb", "too_many_values"}
ACCEPTED = ["accepted_bom", "accepted_crlf"]
HOSTILE = ["accepted_script", "accepted_onerror", "accepted_jinja", "accepted_html_title"]
LANGS = ("fr", "en")


def generated_inputs(folder: Path) -> dict[str, Path]:
    """The inputs too big to commit: 50 MB of comments after a valid plan; 1.2 million '- x' lines (4.8 MB)."""
    base = (CORPUS / "base.yaml").read_text(encoding="utf-8")
    huge = folder / "huge_50mb.yaml"
    with huge.open("w", encoding="utf-8") as out:
        out.write(base)
        out.write(("# " + "x" * 1021 + "\n") * (50 * 1024))
    many = folder / "too_many_values.yaml"
    many.write_text(base + "lots:\n" + "- x\n" * 1_200_000, encoding="utf-8")
    return {"huge_50mb": huge, "too_many_values": many}


# --- Running the checker with its time and memory measured ----------------------------------------------------------

# `python -m macros.data.check FILE` under an address-space limit (past MAX_MB the run fails instead of swapping),
# writing its peak memory to $SIP_PEAK_FILE on the way out. The peak is read from /proc/self/status (VmHWM):
# the child's ru_maxrss would also count pytest's own memory, which the child shares until it runs python.
LIMITED_CHECK = f"""
import os, resource, runpy, sys
resource.setrlimit(resource.RLIMIT_AS, ({MAX_MB} << 20, {MAX_MB} << 20))
sys.argv = ["macros.data.check", *sys.argv[1:]]
try:
    runpy.run_module("macros.data.check", run_name="__main__", alter_sys=True)
finally:
    status = open("/proc/self/status").read()
    peak = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    open(os.environ["SIP_PEAK_FILE"], "w").write(peak[0] if peak else "")
"""


@dataclass
class Run:
    code: int
    output: str
    seconds: float
    mb: float  # peak resident memory of the checker process


def measured_run(args: list[str]) -> Run:
    """Run the checker on `args` from the repository root, with its wall time and peak memory."""
    with tempfile.TemporaryDirectory() as scratch:
        output, peak = Path(scratch) / "output", Path(scratch) / "peak"
        with output.open("w", encoding="utf-8") as out:
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-c", LIMITED_CHECK, *args], cwd=ROOT, stdout=out, stderr=out,
                                    env={**os.environ, "PYTHONUTF8": "1", "SIP_PEAK_FILE": str(peak)}, timeout=120)
            seconds = time.perf_counter() - start
        kib = peak.read_text() if peak.exists() else ""
        return Run(result.returncode, output.read_text(encoding="utf-8"), seconds, int(kib) / 1024 if kib else float("nan"))


@pytest.fixture(scope="module")
def check_runs(tmp_path_factory) -> dict[str, tuple[Path, Run]]:
    """Every refused input through the checker, a few at a time: the suite waits for the slowest, not the sum."""
    paths = {name: CORPUS / f"{name}.yaml" for name, *_ in REFUSED if name not in GENERATED}
    paths.update(generated_inputs(tmp_path_factory.mktemp("generated")))
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        runs = {name: pool.submit(measured_run, [os.path.relpath(path, ROOT)]) for name, path in paths.items()}
        return {name: (paths[name], run.result()) for name, run in runs.items()}


# --- The corpus ---------------------------------------------------------------------------------------------------

def test_the_corpus_files_are_what_make_corpus_writes():
    committed = {p.stem for p in CORPUS.glob("*.yaml")} - {"base"}
    assert committed == set(make_corpus.CASES), "run tests/fixtures/bad/make_corpus.py"
    stale = [name for name in make_corpus.CASES if (CORPUS / f"{name}.yaml").read_bytes() != make_corpus.render(name)]
    assert not stale, f"out of date, run tests/fixtures/bad/make_corpus.py: {stale}"


def test_every_case_of_the_corpus_has_an_expectation():
    expected = {case[0] for case in REFUSED} | set(ACCEPTED) | set(HOSTILE)
    assert expected - GENERATED == set(make_corpus.CASES)
    assert len(expected) >= 25


# --- Refused: one line at the place to fix, exit 1, no traceback, bounded time and memory ----------------------------

@pytest.mark.parametrize("name, line, column, element, wrong, fix", REFUSED, ids=[case[0] for case in REFUSED])
def test_a_bad_input_is_refused_with_one_line_at_its_place_and_how_to_fix_it(check_runs, name, line, column, element,
                                                                            wrong, fix):
    path, run = check_runs[name]
    shown = os.path.relpath(path, ROOT)
    assert run.code == 1, run.output
    assert "Traceback" not in run.output and "Error:" not in run.output, run.output
    *problems, summary = run.output.rstrip("\n").split("\n")
    assert summary.startswith(f"{shown}: ") and summary.endswith("fix the errors above."), summary
    # Every problem is one line: file:line:column: [element: ]what is wrong (how to fix it)
    assert problems and all(re.match(rf"{re.escape(shown)}:\d+:\d+: .+ \(.+\)$", p) for p in problems), run.output
    first = problems[0]
    # The line of the 100,001st value depends on base.yaml's length: any line will do, as long as there is one.
    assert re.match(rf"{re.escape(shown)}:{line or '[0-9]+'}:{column}: ", first), first
    assert wrong in first and fix in first, first
    if element:
        assert first.split(": ", 2)[1] == element, first
    elif element == "":
        assert first.split(": ", 1)[1].startswith(wrong.split(" (")[0]), first


@pytest.mark.parametrize("name", [case[0] for case in REFUSED])
def test_a_bad_input_is_refused_within_20_s_and_1_gb(check_runs, name):
    _, run = check_runs[name]
    assert run.seconds < MAX_SECONDS and run.mb < MAX_MB, f"{name}: {run.seconds:.1f} s, {run.mb:.0f} MB"


def test_the_50_mb_file_and_the_alias_bomb_cost_little(check_runs):
    # Far below the limits above: both are refused before anything is built from them.
    report = {name: f"{run.seconds:.2f} s, {run.mb:.0f} MB" for name, (_, run) in check_runs.items()
              if name in ("huge_50mb", "alias_billion_laughs", "too_many_values")}
    for name in report:
        run = check_runs[name][1]
        assert run.seconds < 5 and run.mb < 300, report


def test_a_python_tag_is_never_run(check_runs):
    # The fixtures would create a file named 'pwned' in the repository root if an unsafe loader ran them.
    assert check_runs["tag_python_object_apply"][1].code == 1
    assert not (ROOT / "pwned").exists()


# --- Refused by scripts/build.py: the published site stays as it was -------------------------------------------------

def snapshot() -> dict[str, int]:
    return {str(p.relative_to(ROOT)): p.stat().st_mtime_ns for folder in ("site", "dist")
            for p in (ROOT / folder).rglob("*") if p.is_file()}


def test_the_build_refuses_unreadable_data_and_leaves_site_and_dist_untouched(site_dir):
    # tests/test_build_atomic.py covers an unknown owner and a broken permalink; these fail earlier, in the reader.
    before = snapshot()
    cases = ["syntax_unclosed_quote", "encoding_windows1252", "alias_billion_laughs"]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda name: subprocess.run(
            [sys.executable, "scripts/build.py"], cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**env, "SIP_DATA": str(CORPUS / f"{name}.yaml")}), cases))
    for name, result in zip(cases, results):
        assert result.returncode == 1, f"{name}: {result.stdout}{result.stderr}"
        assert "Traceback" not in result.stderr
        assert "site/ and dist/ were left as they were" in result.stderr, result.stderr
    assert snapshot() == before
    assert not list((ROOT / ".cache").glob("sip-build-*")), "scratch folders must be cleaned up"


# --- Accepted: built normally, hostile text shown as text -------------------------------------------------------------

def mkdocs_build(data: Path, dest: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SIP_DATA=str(data), SIP_OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The base plan and every accepted case, each built by mkdocs --strict into its own folder."""
    work = tmp_path_factory.mktemp("accepted")
    names = ["base", *ACCEPTED, *HOSTILE]
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        results = dict(zip(names, pool.map(lambda n: mkdocs_build(CORPUS / f"{n}.yaml", work / n), names)))
    failed = {name: r.stderr[-2000:] for name, r in results.items() if r.returncode != 0}
    assert not failed, failed
    return {name: work / name for name in names}


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, lang: str, name: str) -> BeautifulSoup:
    return parse(site / name if lang == "fr" else site / lang / name)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def activity_text(doc: BeautifulSoup, activity: str = "1.1.1.1") -> str:
    return text(doc.find(id=f"a-{activity}").find_next_sibling("div"))


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_bom_or_crlf_file_builds_the_same_pages_as_the_plain_file(built, name):
    for lang in LANGS:
        doc, expected = page(built[name], lang, "pillars/1.html"), page(built["base"], lang, "pillars/1.html")
        assert text(doc.find("h1")) == {"fr": "Pilier 1 : Base de partenariat", "en": "Pillar 1: Partnership Base"}[lang]
        assert [h["id"] for h in doc.find_all("h4")] == ["a-1.1.1.1", "a-1.1.1.2"]
        assert str(doc.find("article")) == str(expected.find("article")), f"{name}: {lang} pillar page differs"
    leftovers = [p.name for p in pages(built[name]) if "\ufeff" in p.read_text(encoding="utf-8")
                 or "\r" in p.read_text(encoding="utf-8")]
    assert not leftovers, f"a byte-order mark or a carriage return reached {leftovers}"


# What each hostile case would create if its text were run as markup: none of it may exist on any page.
def live_markup(doc: BeautifulSoup) -> list[str]:
    found = [f"<script> {s.string!r}" for s in doc.find_all("script") if "sip-" in (s.string or "")]
    found += [f"<img src={img['src']}>" for img in doc.find_all("img", src="x")]
    found += [f"<b>{b.get_text()}</b>" for b in doc.find_all("b") if "sip-" in b.get_text()]
    found += [f"<{el.name} {attr}=...>" for el in doc.find_all(True) for attr in el.attrs
              if attr.lower().startswith("on") and "sip-" in str(el[attr])]
    return found


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_creates_no_element_on_any_page(built, name):
    site = built[name]
    problems = [f"{path.relative_to(site)}: {found}" for path in pages(site) for found in live_markup(parse(path))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_stays_escaped_in_the_search_indexes(built, name):
    # Material shows search results as HTML: the index must hold the escaped text, as the pages do.
    problems = []
    for index in sorted(built[name].rglob("search_index.json")):
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            for raw in ("<script>alert('sip-", "<img src=x", "<b>sip-"):
                if raw in doc["title"] or raw in doc["text"]:
                    problems.append(f"{index.relative_to(built[name])}: {doc['location']}: {raw}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name, shown", [("accepted_script", "<script>alert('sip-script')</script>"),
                                         ("accepted_onerror", "<img src=x onerror=\"alert('sip-onerror')\">")])
def test_markup_in_a_text_is_shown_as_text(built, name, shown, lang):
    assert shown in activity_text(page(built[name], lang, "pillars/1.html"))


@pytest.mark.parametrize("lang", LANGS)
def test_jinja_in_a_text_is_shown_as_written_not_evaluated(built, lang):
    shown = activity_text(page(built["accepted_jinja"], lang, "pillars/1.html"))
    assert "{{ 7*7 }} {% if true %}yes{% endif %} {#hidden#}" in shown
    assert "49" not in shown


@pytest.mark.parametrize("lang", LANGS)
def test_jinja_in_a_title_is_not_evaluated_in_the_heading_title_or_nav(built, lang):
    doc = page(built["accepted_jinja"], lang, "pillars/2.html")
    nav = [text(a) for a in doc.select("nav.md-nav--primary a[href='2.html']")]
    for where, shown in [("h1", text(doc.find("h1"))), ("title", doc.title.get_text()), *[("nav", n) for n in nav]]:
        assert "{% if true %}yes{% endif %}" in shown and "49" not in shown, f"{where}: {shown}"
    assert nav


def test_jinja_in_a_title_is_shown_as_written(built):
    assert "{{ 7*7 }}" in text(page(built["accepted_jinja"], "fr", "pillars/2.html").find("h1"))


HTML_TITLE = {"fr": "Base de partenariat <b>sip-bold</b> </title><script>alert('sip-title')</script>",
              "en": "Partnership Base <b>sip-bold</b> </title><script>alert('sip-title')</script>"}


@pytest.mark.parametrize("lang", LANGS)
def test_html_in_a_title_is_shown_as_text_in_the_heading_title_element_and_nav(built, lang):
    doc = page(built["accepted_html_title"], lang, "pillars/1.html")
    shown = HTML_TITLE[lang]
    assert shown in text(doc.find("h1"))
    # The <title> element: '</title>' in the data must not close it and let the <script> run.
    heading = "Pilier 1\u00a0:" if lang == "fr" else "Pillar 1:"  # French typography: no-break space before ':'
    assert doc.title.get_text().startswith(f"{heading} {shown} – ")
    assert not [s for s in doc.head.find_all("script") if "sip-title" in (s.string or "")]
    nav = [text(a) for a in doc.select("nav.md-nav--primary a[href='1.html']")]
    assert nav and all(shown in n for n in nav), nav


@pytest.mark.parametrize("lang", LANGS)
def test_html_in_a_section_title_is_shown_as_text_in_the_table_of_contents(built, lang):
    doc = page(built["accepted_html_title"], lang, "governance.html")
    toc = [text(a) for a in doc.select("nav.md-nav--secondary a[href='#purpose']")]
    expected = {"fr": "Objectif du plan <b>sip-bold</b>", "en": "Purpose of the plan <b>sip-bold</b>"}[lang]
    assert toc and all(entry == expected for entry in toc), toc
    assert expected in text(doc.find(id="purpose"))
