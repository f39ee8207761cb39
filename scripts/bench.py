"""The benchmark (`make bench`): build cost and scaling, validation, edit-to-preview and page weight.

Writes bench/RESULTS.md (tables, machine, versions, targets, where the time goes) and bench/results.json.
Every timing is the median of --repeat runs (3 by default) in fresh processes; builds of our site and of the
plain baseline alternate, so that load from other work on the machine falls on both alike.

    .venv/bin/python scripts/bench.py                       # the full run (~12 minutes on 2 cores)
    .venv/bin/python scripts/bench.py --sizes 50,500 --repeat 1 --no-profile --out bench/work/try
    .venv/bin/python scripts/bench.py --huge                # also try 20,000 activities once (up to 10 min)
"""
from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import hashlib
import http.server
import importlib.metadata
import json
import os
import platform
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import jinja2  # noqa: E402
import yaml  # noqa: E402

import macros.data.yamlnodes  # noqa: E402
import synthetic_plan  # noqa: E402
from macros.exchange.exports import write_downloads  # noqa: E402
from macros.exchange.feed import atom_feed, feed_base  # noqa: E402
from macros.labels import labels  # noqa: E402
from macros.data.load import validate  # noqa: E402
from macros.data.model import LANGUAGES, Plan  # noqa: E402
from macros.views.render import Page  # noqa: E402
from macros.views.pages import VIEWS, page_appendix  # noqa: E402
from macros.views.describe import describe  # noqa: E402
from macros.entry import footer_lines  # noqa: E402

PY = sys.executable
REAL_PLAN = ROOT / "data" / "sip.yaml"
SIZES = (50, 500, 5000)
HUGE = 20000
HUGE_TIMEOUT_S = 600
from macros.system_tools import find_chromium  # noqa: E402 - the project's one lookup

CHROMIUM = find_chromium() or "chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update"]
NOTES_MARKER = "<!-- Everything below this line is written by hand and kept by `make bench`. -->"

# The suggested changes to the project, simulated in the build process by patching it (experiments only: the
# project's files are never touched).
FIXES = """
import functools, json
import jinja2
import macros.exchange.exports as ex, macros.data.load as load, macros.data.schema_check as sc
import macros.views.downloads as dl, macros.data.yamlnodes as y
render = sys.modules["macros.views.render"]  # the package exports a function of the same name

# validation: the schema's $refs inlined once; no separate size-guard event pass
schema = json.loads(sc.SCHEMA_PATH.read_text(encoding="utf-8"))
def inline(node):
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        rest = {k: inline(v) for k, v in node.items() if k != "$ref"}
        return {**inline(schema["$defs"][ref.split("/")[-1]]), **rest} if ref.startswith("#/$defs/") else rest
    return [inline(v) for v in node] if isinstance(node, list) else node
_resolved = inline(schema)
sc.validator = functools.lru_cache(maxsize=1)(lambda: sc.Draft202012Validator(_resolved))
y._oversized = lambda text, file: None

# downloads: JSON and CSV made once per build, not once per language page and once more to write them
def once_per_plan(func):
    made = {}
    def wrapper(plan, site_url=""):
        key = (id(plan), site_url)
        if key not in made:
            made[key] = func(plan, site_url)
        return made[key]
    return wrapper
csv_once, json_once = once_per_plan(ex.activities_csv), once_per_plan(ex.plan_json)
for module in (ex, dl):
    module.activities_csv, module.plan_json = csv_once, json_once

# view templates compiled once and kept in .cache/ between processes
render.environment().bytecode_cache = jinja2.FileSystemBytecodeCache(os.environ["SIP_BENCH_FIXES"])
"""
# The suggested change to Python-Markdown's abbr extension (a library fix: simulated in the baseline's builds too).
ABBR_FIX = """
import markdown
from markdown.extensions import abbr

# each child told its position instead of searching for it in its parent: each child told its position instead of searching for it in its parent
def iter_element(self, el, parent=None, index=0):
    for i in range(len(el) - 1, -1, -1):
        iter_element(self, el[i], el, i)
    if text := el.text:
        if not isinstance(text, markdown.util.AtomicString):
            for m in reversed(list(self.RE.finditer(text))):
                if self.abbrs[m.group(0)]:
                    el.insert(0, self.create_element(self.abbrs[m.group(0)], m.group(0), text[m.end():]))
                    text = text[:m.start()]
            el.text = text
    if parent is not None and el.tail:
        tail = el.tail
        if not isinstance(tail, markdown.util.AtomicString):
            for m in reversed(list(self.RE.finditer(tail))):
                if self.abbrs[m.group(0)]:
                    parent.insert(index + 1, self.create_element(self.abbrs[m.group(0)], m.group(0), tail[m.end():]))
                    tail = tail[:m.start()]
            el.tail = tail
abbr.AbbrTreeprocessor.iter_element = iter_element
"""

# `python -m mkdocs`, with the validator's size guards lifted when SIP_BENCH_LIMITS is set: they refuse plans of
# a few thousand activities (see RESULTS.md), and the benchmark is about the cost of the rest.
MKDOCS = "FIXES = " + repr(FIXES) + "\nABBR_FIX = " + repr(ABBR_FIX) + """
import os, sys
if os.environ.get("SIP_BENCH_GC"):  # time spent in the cyclic garbage collector, which cProfile does not see
    import atexit, gc, time
    spent = [0.0, 0, 0.0]
    def track(phase, info):
        if phase == "start":
            spent[2] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - spent[2]
            spent[1] += 1
    gc.callbacks.append(track)
    atexit.register(lambda: open(os.environ["SIP_BENCH_GC"], "w").write(f"{spent[0]} {spent[1]}"))
if os.environ.get("SIP_BENCH_LIMITS"):
    import macros.data.yamlnodes as y
    y.MAX_BYTES = y.MAX_NODES = y.MAX_SEPARATORS = 1 << 40
if os.environ.get("SIP_BENCH_FIXES"):
    exec(FIXES)
if os.environ.get("SIP_BENCH_ABBR"):
    exec(ABBR_FIX)
if os.environ.get("SIP_BENCH_PROFILE"):
    import cProfile
    from mkdocs.__main__ import cli
    profiler = cProfile.Profile()
    try:
        profiler.runcall(cli.main, args=sys.argv[1:], standalone_mode=False)
    finally:
        profiler.dump_stats(os.environ["SIP_BENCH_PROFILE"])
else:
    from mkdocs.__main__ import cli
    sys.argv[0] = "mkdocs"
    cli()
"""
# validate() alone in a fresh process: no cached Plan, no warm schema validator; imports are not counted.
VALIDATE = """
import os, sys, time
from pathlib import Path
import macros.data.yamlnodes as y
if os.environ.get("SIP_BENCH_LIMITS"):
    y.MAX_BYTES = y.MAX_NODES = y.MAX_SEPARATORS = 1 << 40
from macros.data.load import validate
if os.environ.get("SIP_BENCH_NOGUARD"):  # experiment: no separate event pass for the size guard
    y._oversized = lambda text, file: None
if os.environ.get("SIP_BENCH_INLINE"):  # experiment: the schema with its $refs inlined, resolved once
    import json
    from jsonschema import Draft202012Validator
    import macros.data.schema_check as sc
    schema = json.loads(sc.SCHEMA_PATH.read_text(encoding="utf-8"))
    def inline(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            rest = {k: inline(v) for k, v in node.items() if k != "$ref"}
            return {**inline(schema["$defs"][ref.split("/")[-1]]), **rest} if ref.startswith("#/$defs/") else rest
        return [inline(v) for v in node] if isinstance(node, list) else node
    resolved = inline(schema)
    sc.validator = lambda: Draft202012Validator(resolved)
if os.environ.get("SIP_BENCH_NOGC"):  # experiment: no cyclic garbage collection while validating
    import gc
    gc.disable()
start = time.perf_counter()
plan, problems = validate(Path(sys.argv[1]))
print(time.perf_counter() - start, len(plan.activities) if plan else -1)
"""
# The same front-matter pattern as MkDocs: the macros only see the page body.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


class BenchError(Exception):
    pass


@dataclass
class Measure:
    wall_s: float
    cpu_s: float    # user + system time of the process and its children: less sensitive to other load
    rss_mb: float   # peak resident set size, MiB
    gc_s: float = 0.0  # time in the cyclic garbage collector


# --- running things ----------------------------------------------------------------------------------------

def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SIP_DATA", "SIP_SERVE")
           and not k.startswith("SIP_BENCH_")}
    env.update(NO_MKDOCS_2_WARNING="1", SIP_OFFLINE="false", PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def measured(cmd: list[str], env: dict, log: Path, timeout: float | None = None) -> Measure | None:
    """Run `cmd` from the repository root; wall time and, from wait4, its own CPU time and peak RSS.

    None when it ran past `timeout` (it is then stopped); BenchError with the log's tail when it failed."""
    log.parent.mkdir(parents=True, exist_ok=True)
    gc_log = Path(env.get("SIP_BENCH_GC", "/nonexistent"))
    gc_log.unlink(missing_ok=True)
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if timeout and wall >= timeout:
        return None
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        shown = cmd[3:] if cmd[1] == "-c" else cmd
        raise BenchError(f"{' '.join(shown)} failed (exit {proc.returncode}, log {log}):\n{tail}")
    gc_s = float(gc_log.read_text().split()[0]) if gc_log.is_file() else 0.0
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, gc_s)


def build_ours(plan: Path, site: Path, log: Path, lifted: bool, timeout: float | None = None) -> Measure | None:
    env = base_env(SIP_DATA=str(plan), SIP_BENCH_GC=f"{log}.gc", **({"SIP_BENCH_LIMITS": "1"} if lifted else {}))
    return measured([PY, "-c", MKDOCS, "build", "--strict", "--clean", "-d", str(site)], env, log, timeout)


def build_plain(project: Path, site: Path, log: Path, timeout: float | None = None) -> Measure | None:
    cmd = [PY, "-c", MKDOCS, "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    return measured(cmd, base_env(SIP_BENCH_GC=f"{log}.gc"), log, timeout)


def median(values: list[float]) -> float:
    return statistics.median(values)


# --- the plans -----------------------------------------------------------------------------------------------

@contextlib.contextmanager
def lifted_limits(on: bool = True):
    """The validator's file-size and value-count guards lifted for the duration (this process only)."""
    y = macros.data.yamlnodes
    saved = y.MAX_BYTES, y.MAX_NODES, y.MAX_SEPARATORS
    if on:
        y.MAX_BYTES = y.MAX_NODES = y.MAX_SEPARATORS = 1 << 40
    try:
        yield
    finally:
        y.MAX_BYTES, y.MAX_NODES, y.MAX_SEPARATORS = saved


def prepare_plan(n: int, work: Path) -> tuple[Path, Plan, dict]:
    """The plan file for `n` (the real one for 50), its Plan, and what `make check` says of it."""
    if n == 50:
        path = REAL_PLAN
    else:
        path = work / f"plan-{n}.yaml"
        path.write_text(synthetic_plan.dump(synthetic_plan.synthetic_plan(n)), encoding="utf-8")
    plan, problems = validate(path)
    check = {"file_mb": round(path.stat().st_size / 1e6, 2), "passes_check": plan is not None,
             "refused_by": [p.format() for p in problems if p.severity == "error"][:3]}
    if plan is None:
        # Only the size guards may refuse a generated plan: anything else is a generator bug.
        with lifted_limits():
            plan, problems = validate(path)
        if plan is None:
            raise BenchError(f"the plan for N={n} is invalid:\n" + "\n".join(p.format() for p in problems[:20]))
    if len(plan.activities) != n:
        raise BenchError(f"the plan for N={n} holds {len(plan.activities)} activities")
    check["lifted_limits"] = not check["passes_check"]
    return path, plan, check


# --- the plain baseline -------------------------------------------------------------------------------------

def _with_meta(front: str, meta: dict) -> str:
    """The page's front matter with `meta` added (what the macros set on the page while rendering it)."""
    values = yaml.safe_load(front.strip().strip("-")) if front else {}
    values = {**(values or {}), **meta}
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\n"


def write_plain_project(plan: Plan, dest: Path) -> float:
    """The site as static Markdown: every page rendered once by the views, then a MkDocs project with the same
    theme, overrides, extensions, plugins and hooks, minus the macros plugin and the report-pages hook.

    Returns the time spent rendering the pages (the views alone, for information)."""
    sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
    from report_pages import expand_nav, stubs  # the pillar, period and owner report pages the hook adds in memory

    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    site_url = (os.environ.get("SITE_URL", "").rstrip("/") + "/") if os.environ.get("SITE_URL") else ""
    # As in mkdocs-macros: the page is a Jinja template whose macros return Markdown (data already escaped).
    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    start = time.perf_counter()
    for lang in LANGUAGES:
        sources = {src.relative_to(ROOT / "docs" / lang).as_posix(): src.read_text(encoding="utf-8")
                   for src in sorted((ROOT / "docs" / lang).rglob("*.md"))}
        sources.update(stubs(plan))
        for path, text in sources.items():
            match = _FRONT_MATTER.match(text)
            front = match.group(0) if match else ""
            page = Page(lang, path, site_url)
            meta: dict[str, str] = {}

            def macro(*args, _name, _view, _page=page, _meta=meta):
                # As macros/__init__.py's _bind: the page's description comes from its data.
                description = describe(plan, _name, _page.lang, *args)
                if description:
                    _meta["description"] = description
                return _view(plan, _page, *args)

            macros = {name: functools.partial(macro, _name=name, _view=view) for name, view in VIEWS.items()}
            markdown = page_appendix(plan, lang, jinja.from_string(text[len(front):]).render(**macros))
            if meta:
                front = _with_meta(front, meta)
            target = docs / lang / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(front + markdown, encoding="utf-8")
        if plan.periods:
            (docs / lang / "feed.xml").write_bytes(atom_feed(plan, lang, feed_base(site_url, lang)))
    # The downloads the macros write at the site root: static files of the default language's folder.
    write_downloads(plan, docs / LANGUAGES[0], site_url)
    rendered = time.perf_counter() - start

    from mkdocs.utils.yaml import yaml_load
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as source:
        config = yaml_load(source)
    config["docs_dir"] = "docs"
    config["nav"] = expand_nav(config["nav"], plan)  # the pillar pages' entries, as the hook makes them
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["hooks"] = [str(ROOT / hook) for hook in config["hooks"] if "report_pages" not in hook]
    config["plugins"] = [p for p in config["plugins"] if not (p == "macros" or isinstance(p, dict) and "macros" in p)]
    config.pop("watch", None)
    # What define_env adds to the theme's context (the bilingual 404 page).
    config["extra"]["sip_labels"] = {lang: labels(lang) for lang in LANGUAGES}
    config["extra"]["sip_footer"] = footer_lines(plan)  # the footer's data line
    # The report pages are outside the nav, as the hook marks them.
    config["not_in_nav"] = "reports/\n"
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return rendered


def compare_sites(ours: Path, plain: Path) -> dict:
    """How many HTML pages the plain baseline built byte for byte like ours: the baseline is the same site."""
    def digests(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest() for p in site.rglob("*.html")}
    a, b = digests(ours), digests(plain)
    same = sorted(k for k in a if b.get(k) == a[k])
    return {"html_pages": len(a), "identical": len(same), "differ": sorted(set(a) ^ set(b) | {k for k in a if k in b and a[k] != b[k]})[:10]}


# --- sizes -------------------------------------------------------------------------------------------------

PAGE_KINDS = {"home": ["index.html"], "pillar": [f"pillars/{i}.html" for i in range(1, 5)], "owners": ["owners.html"],
              "dashboard": ["dashboard.html"], "glossary": ["glossary.html"]}


def page_sizes(site: Path) -> dict:
    """HTML bytes (KB) of each kind of page, per language; for pillars, the largest of the four."""
    sizes = {}
    for kind, pages in PAGE_KINDS.items():
        for lang in LANGUAGES:
            folder = site if lang == LANGUAGES[0] else site / lang
            largest = max(pages, key=lambda p: (folder / p).stat().st_size)
            sizes.setdefault(kind, {})[lang] = {"page": largest, "kb": round((folder / largest).stat().st_size / 1e3, 1)}
    return sizes


def search_index_kb(site: Path) -> dict:
    found = {lang: (site if lang == LANGUAGES[0] else site / lang) / "search" / "search_index.json" for lang in LANGUAGES}
    sizes = {lang: round(path.stat().st_size / 1e3, 1) for lang, path in found.items()}
    return {**sizes, "total": round(sum(sizes.values()), 1)}


def site_mb(site: Path) -> float:
    return round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6, 1)


# --- one size -------------------------------------------------------------------------------------------------

def bench_size(n: int, repeat: int, work: Path, keep_site: Path | None = None, timeout: float | None = None) -> dict:
    print(f"N={n}: preparing the plan and the plain baseline", flush=True)
    prepared = time.perf_counter()
    path, plan, check = prepare_plan(n, work)
    lifted = check["lifted_limits"]
    project = work / f"plain-{n}"
    render_s = write_plain_project(plan, project)
    ours_site, plain_site, logs = work / f"site-ours-{n}", work / f"site-plain-{n}", work / "logs"
    ours, plain, validation = [], [], []
    run = {"n": n, "prepare_s": round(time.perf_counter() - prepared, 1)}
    for i in range(repeat):
        # Alternate, so that a burst of load from elsewhere falls on both builds alike.
        m = build_ours(path, ours_site, logs / f"ours-{n}-{i}.log", lifted, timeout)
        if m is None:
            return {**run, "build_s": None, "timed_out_after_s": timeout, "check": check, "runs": 1}
        ours.append(m)
        p = build_plain(project, plain_site, logs / f"plain-{n}-{i}.log", timeout)
        if p is None:
            return {**run, "build_s": round(m.wall_s, 2), "baseline_s": None, "timed_out_after_s": timeout,
                    "check": check, "runs": 1}
        plain.append(p)
        print(f"  run {i + 1}/{repeat}: ours {m.wall_s:.2f} s ({m.rss_mb:.0f} MiB), plain {p.wall_s:.2f} s", flush=True)
    for i in range(repeat):
        out = subprocess.run([PY, "-c", VALIDATE, str(path)], cwd=ROOT, capture_output=True, text=True,
                             env=base_env(**({"SIP_BENCH_LIMITS": "1"} if lifted else {})))
        if out.returncode != 0 or int(out.stdout.split()[1]) != n:
            raise BenchError(f"validation of {path} failed:\n{out.stdout}{out.stderr[-2000:]}")
        validation.append(float(out.stdout.split()[0]))
    build_s, baseline_s = median([m.wall_s for m in ours]), median([m.wall_s for m in plain])
    build_cpu, baseline_cpu = median([m.cpu_s for m in ours]), median([m.cpu_s for m in plain])
    run.update({
        "build_s": round(build_s, 2), "baseline_s": round(baseline_s, 2), "ratio": round(build_s / baseline_s, 3),
        "rss_mb": round(median([m.rss_mb for m in ours]), 1), "validate_s": round(median(validation), 3),
        "gc_s": round(median([m.gc_s for m in ours]), 2), "baseline_gc_s": round(median([m.gc_s for m in plain]), 2),
        "build_cpu_s": round(build_cpu, 2), "baseline_cpu_s": round(baseline_cpu, 2),
        "cpu_ratio": round(build_cpu / baseline_cpu, 3), "baseline_rss_mb": round(median([m.rss_mb for m in plain]), 1),
        "render_pages_s": round(render_s, 2), "runs": repeat,
        "build_runs_s": [round(m.wall_s, 2) for m in ours], "baseline_runs_s": [round(m.wall_s, 2) for m in plain],
        "validate_runs_s": [round(v, 3) for v in validation],
        "pages": page_sizes(ours_site), "search_index_kb": search_index_kb(ours_site), "site_mb": site_mb(ours_site),
        "same_as_baseline": compare_sites(ours_site, plain_site), "check": check,
    })
    if keep_site:
        if keep_site.exists():
            shutil.rmtree(keep_site)
        ours_site.rename(keep_site)
    for folder in (ours_site, plain_site, project):
        shutil.rmtree(folder, ignore_errors=True)
    return run


# --- edit to preview ------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


EDITED_SENTENCE = "sensibilisation standard sur le Groupe sectoriel Logistique"  # in activity 1.1.1.1


def editable_copy(folder: Path, what: str):
    """(path of a copy of the real plan, a function giving the plan with `words` added to activity 1.1.1.1)."""
    original = REAL_PLAN.read_text(encoding="utf-8")
    if EDITED_SENTENCE not in original:
        raise BenchError(f"{what}: the sentence to edit ('{EDITED_SENTENCE}') is no longer in {REAL_PLAN}")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "sip.yaml", lambda words: original.replace(EDITED_SENTENCE, EDITED_SENTENCE + words, 1)


def edit_to_preview(work: Path, edits: int) -> dict:
    """`make serve` on a copy of the real plan, a pillar page open in Chromium; save a word changed in an
    activity and time until the browser has reloaded the page showing it. The serve log splits the time into
    noticing the change (scripts/serve.py polls every 0.1 s, then waits 0.1 s for more changes) and rebuilding."""
    from playwright.sync_api import sync_playwright

    data, edited = editable_copy(work / "edit", "edit-to-preview")
    data.write_text(edited(""), encoding="utf-8")
    port = free_port()
    lines: list[tuple[float, str]] = []
    proc = subprocess.Popen([PY, str(ROOT / "scripts" / "serve.py"), "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT,
                            env=base_env(SIP_DATA=str(data)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def read() -> None:
        for line in proc.stdout:
            lines.append((time.monotonic(), line.rstrip()))
    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def first_after(t0: float, text: str) -> float | None:
        return next((t for t, line in list(lines) if t >= t0 and text in line), None)

    def wait_for(text: str, t0: float, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = first_after(t0, text)
            if found:
                return found
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        tail = "\n".join(line for _, line in lines[-20:])
        raise BenchError(f"edit-to-preview: no '{text}' from scripts/serve.py within {timeout:.0f} s:\n{tail}")

    results = []
    try:
        wait_for("Serving on", 0, 180)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/pillars/1.html", wait_until="load")
            time.sleep(1.0)
            for k in range(edits):
                marker = f"benchedit{k}"
                with page.expect_event("load", timeout=60_000):
                    t0 = time.monotonic()
                    data.write_text(edited(f" {marker}"), encoding="utf-8")
                t_browser = time.monotonic()
                if marker not in page.content():
                    raise BenchError("edit-to-preview: the reloaded page does not show the edit")
                detected, reloaded = wait_for("Detected file changes", t0, 5), wait_for("Reloading browsers", t0, 5)
                start = first_after(t0, "Building documentation")
                results.append({"browser_s": t_browser - t0, "log_s": reloaded - t0, "detect_s": detected - t0,
                                "rebuild_s": reloaded - (start or detected)})
                time.sleep(1.0)  # let the polling observer settle before the next save
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    summary = {key: round(median([r[key] for r in results]), 2) for key in results[0]}
    return {**summary, "edits": len(results), "runs_browser_s": [round(r["browser_s"], 2) for r in results],
            "measured": "scripts/serve.py (make serve) on a copy of data/sip.yaml; a word added to activity 1.1.1.1; "
                        "time from the save to Chromium's load event of the reloaded pillars/1.html showing it"}


# --- make build -----------------------------------------------------------------------------------------------

def make_build(runs: int, work: Path) -> dict:
    """`make build` of the real plan as a user runs it (setup up to date, site, offline zip, PDFs), warm: one run
    first to fill the caches, then `runs` timed runs with nothing changed (the PDFs are then reused from .cache/pdf),
    then `runs` timed runs each after a word of an activity's text was changed (a copy of the plan, SIP_DATA), so
    that the pages and both PDFs are made again; each replaces site/ and dist/ as any build does. A last, untimed
    build of data/sip.yaml puts the real site back."""
    env = {k: v for k, v in base_env().items() if k not in ("SIP_OFFLINE", "SIP_DATA")}

    def timed(extra: dict) -> float:
        start = time.perf_counter()
        result = subprocess.run(["make", "build"], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchError(f"make build failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        return time.perf_counter() - start

    times = [timed({}) for _ in range(runs + 1)][1:]
    data, edited_plan = editable_copy(work / "make-edit", "make build after an edit")
    edited = []
    try:
        for i in range(runs):
            data.write_text(edited_plan(f" ({i})"), encoding="utf-8")
            edited.append(timed({"SIP_DATA": str(data)}))
    finally:
        timed({})
    return {"median_s": round(median(times), 2), "runs_s": [round(t, 2) for t in times],
            "after_edit_median_s": round(median(edited), 2), "after_edit_runs_s": [round(t, 2) for t in edited],
            "measured": "`make build` of data/sip.yaml, wall time, after one warm-up run; then after a word of "
                        "activity 1.1.1.1 was changed before each run (a copy of the plan)"}


FROZEN_BESIDE = ("2022-06", "2023-05")  # two frozen revisions for the measurement below


def make_build_with_revisions(runs: int, work: Path) -> dict:
    """`make build` after a one-word edit of the current plan, with two frozen revisions beside it (built once,
    then reused from .cache/revisions) against none; runs alternate between the two so that load drifts cancel."""
    env = {k: v for k, v in base_env().items() if k not in ("SIP_OFFLINE", "SIP_DATA")}
    copies = {}
    for name, frozen in (("none", ()), ("two", FROZEN_BESIDE)):
        data, edited_plan = editable_copy(work / f"revisions-{name}", "make build with frozen revisions")
        for version in frozen:
            (data.parent / "revisions").mkdir(exist_ok=True)
            (data.parent / "revisions" / f"{version}.yaml").write_text(
                re.sub(r'^  version: "[^"]*"', f'  version: "{version}"', edited_plan(""), count=1, flags=re.M),
                encoding="utf-8")
        copies[name] = (data, edited_plan)
    times: dict[str, list[float]] = {"none": [], "two": []}
    try:
        for i in range(runs + 1):
            for name, (data, edited_plan) in copies.items():
                data.write_text(edited_plan(f" ({i})"), encoding="utf-8")
                start = time.perf_counter()
                result = subprocess.run(["make", "build"], cwd=ROOT, env={**env, "SIP_DATA": str(data)},
                                        capture_output=True, text=True)
                if result.returncode != 0:
                    raise BenchError(f"make build ({name} frozen) failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
                if i:  # the first round builds the frozen revisions into the cache
                    times[name].append(time.perf_counter() - start)
    finally:
        subprocess.run(["make", "build"], cwd=ROOT, env=env, capture_output=True, text=True)
    none, two = median(times["none"]), median(times["two"])
    return {"none_median_s": round(none, 2), "two_median_s": round(two, 2), "ratio": round(two / none, 2),
            "runs_s": {k: [round(t, 2) for t in v] for k, v in times.items()},
            "measured": "`make build` after a one-word edit of activity 1.1.1.1, with two frozen revisions "
                        "(copies of the real plan) beside the data file against none, after one warm-up round"}


# --- first visit -------------------------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def first_visits(site: Path) -> dict:
    """Bytes a first visit fetches (response bodies, no cache, plain localhost server) for the home page and
    the largest pillar page, per language; search's index, fetched by its web worker, included."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pillar = page_sizes(site)["pillar"]
    visits = {}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for lang in LANGUAGES:
                prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
                for kind, path in (("home", "index.html"), ("pillar", pillar[lang]["page"])):
                    context = browser.new_context()
                    responses = []
                    context.on("response", lambda response: responses.append(response))
                    page = context.new_page()
                    page.goto(base + prefix + path, wait_until="networkidle")
                    page.wait_for_timeout(1000)  # the search worker loads its index after the page
                    files = {}
                    for response in responses:
                        with contextlib.suppress(Exception):
                            files[response.url.removeprefix(base)] = len(response.body())
                    context.close()
                    visits.setdefault(kind, {})[lang] = {"kb": round(sum(files.values()) / 1e3, 1), "requests": len(files),
                                                         "largest": sorted(files.items(), key=lambda f: -f[1])[:4]}
            browser.close()
    finally:
        server.shutdown()
    return visits


# --- the offline bundle ----------------------------------------------------------------------------------------

def offline_zip(work: Path) -> dict:
    """The offline bundle of the real plan, made by scripts/build.py's own functions in a scratch folder."""
    import build as project_build

    from macros.data.load import load_plan
    plan = load_plan(REAL_PLAN)
    folder = work / "offline"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    saved = os.environ.pop("SIP_DATA", None)
    try:
        start = time.perf_counter()
        project_build.mkdocs_build(folder / "site", offline=True)
        built = time.perf_counter() - start
    finally:
        if saved is not None:
            os.environ["SIP_DATA"] = saved
    from macros.exchange import names
    zip_path = folder / names.offline_zip(plan)
    project_build.write_bundle(folder / "site", zip_path, plan)
    result = {"zip_mb": round(zip_path.stat().st_size / 1e6, 2), "offline_build_s": round(built, 2),
              "unpacked_mb": site_mb(folder / "site")}
    published = ROOT / "dist" / zip_path.name
    if published.exists():
        result["dist_zip_mb"] = round(published.stat().st_size / 1e6, 2)
    shutil.rmtree(folder / "site", ignore_errors=True)
    return result


# --- profile -------------------------------------------------------------------------------------------------

# Inclusive time of the stages of a build (they nest: the i18n plugin runs the English build inside the French
# build's post-build event, so only the rows marked as parts add up to their parent).
STAGES = [
    ("whole run (config, plugins, both languages' builds)", "click/core.py", "main", 0),
    ("config: read mkdocs.yml, import plugins and the macros module", "mkdocs/config/base.py", "load_config", 1),
    ("data: validate (YAML + schema + references) and build the Plan", "macros/data/load.py", "validate", 1),
    ("YAML: read with line numbers (size guard + compose + positions)", "macros/data/yamlnodes.py", "read_document", 2),
    ("YAML: size guard (parses every event once more)", "macros/data/yamlnodes.py", "_oversized", 3),
    ("JSON Schema (jsonschema)", "macros/data/schema_check.py", "check_schema", 2),
    ("cross-references, texts, links", "macros/data/checks.py", "check_references", 2),
    ("Plan from validated data", "macros/data/load.py", "build_plan", 2),
    ("macros: page Markdown (mkdocs-macros on_page_markdown)", "mkdocs_macros/plugin.py", "on_page_markdown", 1),
    ("views rendering their templates (macros/views/render.py, Jinja)", "macros/views/render.py", "render", 2),
    ("appendix (footnotes, abbreviations) on every page", "macros/views/pages.py", "page_appendix", 2),
    ("Markdown to HTML (Python-Markdown + extensions)", "markdown/core.py", "convert", 1),
    ("theme templates (Material, Jinja)", "jinja2/environment.py", "render", 1),
    ("search: text of each page (Material search, HTML parser)", "material/plugins/search/plugin.py", "add_entry_from_context", 1),
    ("search: index written (Material search post-build)", "material/plugins/search/plugin.py", "on_post_build", 1),
    ("search: i18n merges both languages' entries, index rewritten", "mkdocs_static_i18n/reconfigure.py", "reconfigure_search_index", 1),
    ("search: per-language split + spelling variants (hooks/search_index.py)", "overrides/hooks/search_index.py", "on_post_build", 1),
    ("i18n: files per language (static-i18n on_files)", "mkdocs_static_i18n/plugin.py", "on_files", 1),
    ("downloads JSON/CSV + feeds (macros on_post_build)", "macros/__init__.py", "on_post_build", 1),
    ("report pages hook (on_files)", "overrides/hooks/report_pages.py", "on_files", 1),
    ("privacy plugin (scans each page for external assets)", "material/plugins/privacy/plugin.py", "on_post_page", 1),
    ("writing files (mkdocs write_file)", "mkdocs/utils/__init__.py", "write_file", 1),
]
PACKAGES = [("macros/", "project: macros/"), ("overrides/hooks/", "project: hooks"), ("mkdocs_macros/", "mkdocs-macros"),
            ("/yaml/", "PyYAML"), ("jsonschema", "jsonschema"), ("referencing", "jsonschema"), ("rpds", "jsonschema"),
            ("/markdown/", "Python-Markdown"), ("pymdownx", "Python-Markdown"), ("/jinja2/", "Jinja2"),
            ("markupsafe", "Jinja2"), ("material/", "Material"), ("mkdocs_static_i18n", "static-i18n"),
            ("/mkdocs/", "MkDocs"), ("/json/", "json"), ("/html/", "html parser"), ("/xml/", "xml")]


def _package(filename: str) -> str:
    return next((label for part, label in PACKAGES if part in filename), "other (stdlib, startup)")


def profile(plan: Path, lifted: bool, work: Path) -> dict:
    """A cProfile'd build: inclusive time of each stage, and self time per package (built-ins charged to caller)."""
    prof = work / "profile.prof"
    env = base_env(SIP_DATA=str(plan), SIP_BENCH_PROFILE=str(prof), **({"SIP_BENCH_LIMITS": "1"} if lifted else {}))
    m = measured([PY, "-c", MKDOCS, "build", "--strict", "--clean", "-d", str(work / "site-profile")], env, work / "logs" / "profile.log")
    shutil.rmtree(work / "site-profile", ignore_errors=True)
    stats = pstats.Stats(str(prof)).stats
    total = max(ct for (file, _, name), (_, _, _, ct, _) in stats.items() if file.endswith("click/core.py") and name == "main")
    stages = []
    for label, file, name, level in STAGES:
        matches = [(key, v) for key, v in stats.items() if key[0].endswith(file) and key[2] == name]
        if name == "render" and file.startswith("jinja2"):
            # Theme templates only: mkdocs-macros renders each page (and so the views' templates) with Jinja too.
            pages = sum(v[3] for k, v in stats.items() if k[0].endswith("mkdocs_macros/plugin.py") and k[2] == "render")
            inclusive = sum(v[3] for _, v in matches) - pages
        else:
            inclusive = sum(v[3] for _, v in matches)
        stages.append({"stage": label, "level": level, "s": round(inclusive, 2), "share": round(inclusive / total, 3)})
    by_package: dict[str, float] = {}
    for (file, _, _), (_, _, tt, _, callers) in stats.items():
        if file == "~" and callers:  # a built-in (re, str, dict...): charge it to whoever called it
            edge_total = sum(c[2] for c in callers.values()) or 1.0
            for (caller_file, _, _), c in callers.items():
                by_package[_package(caller_file)] = by_package.get(_package(caller_file), 0) + tt * c[2] / edge_total
        else:
            by_package[_package(file)] = by_package.get(_package(file), 0) + tt
    packages = sorted(({"package": k, "s": round(v, 2), "share": round(v / total, 3)} for k, v in by_package.items()),
                      key=lambda r: -r["s"])
    top = sorted(((key, v) for key, v in stats.items()), key=lambda kv: -kv[1][2])[:15]
    functions = [{"function": f"{Path(file).name}:{line} {name}" if file != "~" else name, "self_s": round(v[2], 2),
                  "calls": v[1]} for (file, line, name), v in top]
    return {"profiled_s": round(total, 1), "process_wall_s": round(m.wall_s, 1),
            "stages": stages, "packages": packages, "top_functions": functions}


# --- experiments: the gains the recommendations promise, measured without touching project code ---------------

def _validate_s(path: Path, repeat: int, **env: str) -> float:
    repeat = max(repeat, 5)
    times = []
    for _ in range(repeat):
        out = subprocess.run([PY, "-c", VALIDATE, str(path)], cwd=ROOT, capture_output=True, text=True,
                             env=base_env(SIP_BENCH_LIMITS="1", **env))
        if out.returncode != 0:
            raise BenchError(f"validation experiment failed:\n{out.stderr[-2000:]}")
        times.append(float(out.stdout.split()[0]))
    return round(median(times), 3)


def _best_of(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return round(min(times), 3)


def fixed_builds(n: int, work: Path, repeat: int) -> dict:
    """Full builds with every suggested change simulated, alternating with the build as is, the plain baseline,
    and the plain baseline with the library fix (abbr); and whether the site is still byte for byte the same."""
    path, plan, check = prepare_plan(n, work)
    project = work / f"plain-{n}"
    write_plain_project(plan, project)
    cache = work / "jinja-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir()
    limits = {"SIP_BENCH_LIMITS": "1"} if check["lifted_limits"] else {}
    logs, sites = work / "logs", {k: work / f"site-{k}" for k in ("as_is", "changed", "plain", "plain_abbr")}
    plain = [PY, "-c", MKDOCS, "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml"), "-d"]
    ours = [PY, "-c", MKDOCS, "build", "--strict", "--clean", "-d"]
    variants = {
        "changed": (ours, base_env(SIP_DATA=str(path), SIP_BENCH_FIXES=str(cache), SIP_BENCH_ABBR="1", **limits)),
        "as_is": (ours, base_env(SIP_DATA=str(path), **limits)),
        "plain_abbr": (plain, base_env(SIP_BENCH_ABBR="1")),
        "plain": (plain, base_env()),
    }
    # One untimed build fills the template cache, as any earlier build or preview would have.
    measured(ours + [str(sites["changed"])], variants["changed"][1], logs / "changed-warm.log")
    runs: dict[str, list[Measure]] = {k: [] for k in variants}
    for i in range(repeat):
        for name, (cmd, env) in variants.items():
            runs[name].append(measured(cmd + [str(sites[name])], env, logs / f"{name}-{n}-{i}.log"))
        print(f"    N={n} run {i + 1}/{repeat}: " + ", ".join(f"{k} {v[-1].wall_s:.1f} s" for k, v in runs.items()), flush=True)
    found = {f"{k}_s": round(median([m.wall_s for m in v]), 2) for k, v in runs.items()}
    found.update({f"{k}_cpu_s": round(median([m.cpu_s for m in v]), 2) for k, v in runs.items()})
    found["ratio_as_is"] = round(found["as_is_s"] / found["plain_s"], 3)
    found["ratio_changed"] = round(found["changed_s"] / found["plain_abbr_s"], 3)
    found["cpu_ratio_changed"] = round(found["changed_cpu_s"] / found["plain_abbr_cpu_s"], 3)
    same = compare_sites(sites["changed"], sites["as_is"])
    files = ("downloads/sip.json", "downloads/sip-activities.csv", "search/search_index.json", "en/search/search_index.json")
    found["same_site"] = (same["identical"] == same["html_pages"]
                          and all((sites["changed"] / f).read_bytes() == (sites["as_is"] / f).read_bytes() for f in files))
    for folder in (*sites.values(), project, cache):
        shutil.rmtree(folder, ignore_errors=True)
    return {"n": n, **found}


def experiments(n: int, work: Path, repeat: int) -> dict:
    """Each suggested change simulated in a copy of the process (monkeypatching, never editing project files)."""
    import gc

    from macros.exchange import exports
    sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
    import search_index as hook

    path, plan, check = prepare_plan(n, work)
    found: dict = {"n": n}
    print(f"experiments at N={n}: validation", flush=True)
    found["validate_s"] = {"as_is": _validate_s(path, repeat), "gc_off_while_validating": _validate_s(path, repeat, SIP_BENCH_NOGC="1"),
                           "no_size_guard_pass": _validate_s(path, repeat, SIP_BENCH_NOGUARD="1"),
                           "schema_refs_inlined": _validate_s(path, repeat, SIP_BENCH_INLINE="1"),
                           "no_guard_pass_and_refs_inlined": _validate_s(path, repeat, SIP_BENCH_NOGUARD="1", SIP_BENCH_INLINE="1")}

    print("  downloads (CSV, JSON), search hook", flush=True)
    # activities_csv and plan_json run three times a build: for the sizes on each language's downloads page, then to write.
    found["downloads_s"] = {"activities_csv": _best_of(lambda: exports.activities_csv(plan)),
                            "plan_json": _best_of(lambda: exports.plan_json(plan)), "calls_per_build": 3}
    site = work / f"site-ours-{n}"
    build_ours(path, site, work / "logs" / f"experiment-{n}.log", check["lifted_limits"])
    docs = []
    for lang in LANGUAGES:
        prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
        index = json.loads(((site / prefix) / "search" / "search_index.json").read_text(encoding="utf-8"))
        docs += [{k: v for k, v in doc.items() if k != "terms"} | {"location": prefix + doc["location"]} for doc in index["docs"]]
        config = index["config"]
    combined = {"config": {**config, "lang": list(LANGUAGES)}, "docs": docs}
    hook.forms.cache_clear() if hasattr(hook, "forms") else None
    found["search_hook_s"] = _best_of(lambda: hook.split_index(combined), 1)

    print("  Markdown: abbreviations", flush=True)
    found["markdown"] = _markdown_experiment(plan, work)

    print("  TOC depth", flush=True)
    project = work / f"plain-{n}"
    write_plain_project(plan, project)
    plain = build_plain(project, work / "site-exp", work / "logs" / "exp-plain.log")
    pillar = page_sizes(work / "site-exp")["pillar"]["fr"]
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["markdown_extensions"] = [{"toc": {**e["toc"], "toc_depth": 3}} if isinstance(e, dict) and "toc" in e else e
                                     for e in config["markdown_extensions"]]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shallow = build_plain(project, work / "site-exp", work / "logs" / "exp-plain-toc3.log")
    shallow_pillar = page_sizes(work / "site-exp")["pillar"]["fr"]
    found["toc_depth_3"] = {"plain_build_s": round(plain.wall_s, 1), "plain_build_toc3_s": round(shallow.wall_s, 1),
                            "pillar_kb": pillar["kb"], "pillar_toc3_kb": shallow_pillar["kb"]}
    if n != 50:
        found["toc_depth_3"]["real_plan_pillar_kb"] = _real_pillar_toc3_kb(work)
    for folder in (site, work / "site-exp", project):
        shutil.rmtree(folder, ignore_errors=True)
    gc.collect()
    print("  full builds with every change", flush=True)
    found["all_changes"] = [fixed_builds(size, work, max(repeat, 5) if size < 1000 else repeat) for size in (50, 500, n)]
    return found


def _real_pillar_toc3_kb(work: Path) -> dict:
    """The real plan's largest pillar page with activities left out of the table of contents."""
    _, plan, _ = prepare_plan(50, work)
    project = work / "plain-50"
    write_plain_project(plan, project)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["markdown_extensions"] = [{"toc": {**e["toc"], "toc_depth": 3}} if isinstance(e, dict) and "toc" in e else e
                                     for e in config["markdown_extensions"]]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build_plain(project, work / "site-exp50", work / "logs" / "exp-plain50-toc3.log")
    kb = page_sizes(work / "site-exp50")["pillar"]
    shutil.rmtree(work / "site-exp50", ignore_errors=True)
    shutil.rmtree(project, ignore_errors=True)
    return {lang: kb[lang]["kb"] for lang in LANGUAGES}


def _markdown_experiment(plan: Plan, work: Path) -> dict:
    """Python-Markdown on the largest page (the French printable plan) with the site's extensions: as is,
    without the abbreviations, and with abbr's sibling lookup (list(parent).index(el), quadratic) replaced."""
    import markdown
    from markdown.extensions import abbr

    from mkdocs.utils.yaml import yaml_load
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as source:
        config = yaml_load(source)
    names, settings = [], {}
    for ext in config["markdown_extensions"]:
        name, options = next(iter(ext.items())) if isinstance(ext, dict) else (ext, None)
        names.append(name)
        if options:
            settings[name] = options
    project = work / "plain-md"
    write_plain_project(plan, project)
    pages = sorted((project / "docs" / "fr").rglob("*.md"), key=lambda p: -p.stat().st_size)
    sizes = [(p.relative_to(project / "docs" / "fr").as_posix(), round(p.stat().st_size / 1e3)) for p in pages[:6]]
    text = pages[0].read_text(encoding="utf-8")
    text = text.split("---\n", 2)[2] if text.startswith("---") else text

    def convert(extensions):
        return lambda: markdown.Markdown(extensions=extensions, extension_configs=settings).convert(text)

    found = {"page": sizes[0][0], "largest_pages_kb_fr": sizes,
             "convert_s": _best_of(convert(names), 1),
             "convert_without_abbr_s": _best_of(convert([n for n in names if n != "abbr"]), 1)}
    original = abbr.AbbrTreeprocessor.iter_element

    def iter_element(self, el, parent=None, index=0):
        # The same walk, told each child's position instead of searching for it in its parent.
        for i in range(len(el) - 1, -1, -1):
            iter_element(self, el[i], el, i)
        if text := el.text:
            if not isinstance(text, markdown.util.AtomicString):
                for m in reversed(list(self.RE.finditer(text))):
                    if self.abbrs[m.group(0)]:
                        el.insert(0, self.create_element(self.abbrs[m.group(0)], m.group(0), text[m.end():]))
                        text = text[:m.start()]
                el.text = text
        if parent is not None and el.tail:
            tail = el.tail
            if not isinstance(tail, markdown.util.AtomicString):
                for m in reversed(list(self.RE.finditer(tail))):
                    if self.abbrs[m.group(0)]:
                        parent.insert(index + 1, self.create_element(self.abbrs[m.group(0)], m.group(0), tail[m.end():]))
                        tail = tail[:m.start()]
                el.tail = tail
    reference = convert(names)
    before = markdown.Markdown(extensions=names, extension_configs=settings).convert(text)
    abbr.AbbrTreeprocessor.iter_element = iter_element
    try:
        found["convert_abbr_indexed_s"] = _best_of(reference, 1)
        found["abbr_indexed_same_html"] = markdown.Markdown(extensions=names, extension_configs=settings).convert(text) == before
    finally:
        abbr.AbbrTreeprocessor.iter_element = original
    shutil.rmtree(project, ignore_errors=True)
    return found


# --- report --------------------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return {"nproc": len(os.sched_getaffinity(0)), "memory_gb": round(mem_kb / 2**20, 1), "cpu": cpu,
            "os": platform.platform()}


def versions() -> dict:
    found = {"python": platform.python_version()}
    for dist in ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "mkdocs-static-i18n", "Markdown",
                 "pymdown-extensions", "Jinja2", "PyYAML", "jsonschema", "playwright"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[dist] = importlib.metadata.version(dist)
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True) if Path(CHROMIUM).exists() else None
    if chromium and chromium.returncode == 0:
        found["chromium"] = chromium.stdout.strip()
    return found


def uptime() -> str:
    out = subprocess.run(["uptime"], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else " ".join(f"{x:.2f}" for x in os.getloadavg())


def git_commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def targets(results: dict) -> list[dict]:
    runs = {r["n"]: r for r in results["runs"] if r.get("build_s") is not None and r.get("ratio") is not None}
    rows = []

    def row(name: str, measured: str, ok: bool | None) -> None:
        rows.append({"target": name, "measured": measured, "status": "n/a" if ok is None else "PASS" if ok else "MISS"})

    small = {n: r for n, r in runs.items() if n <= 500}
    row("overhead ratio ≤ 1.15 at N = 50 and 500", ", ".join(f"{r['ratio']:.2f} (N={n:,})" for n, r in small.items()) or "not run",
        all(r["ratio"] <= 1.15 for r in small.values()) if small else None)
    large = runs.get(5000, {}).get("ratio")
    row("overhead ratio ≤ 1.05 at N = 5,000", f"{large:.2f}" if large is not None else "not run", large <= 1.05 if large is not None else None)
    b = results.get("make_build_s")
    row("real plan `make build` ≤ 3 s (warm, nothing changed)", f"{b:.2f} s" if b is not None else "not run", b <= 3 if b is not None else None)
    a = results.get("make_build_after_edit_s")
    row("real plan `make build` ≤ 3 s (warm, after a one-word data edit)", f"{a:.2f} s" if a is not None else "not run",
        a <= 3 if a is not None else None)
    r = (results.get("make_build_revisions") or {}).get("ratio")
    row("`make build` after an edit, two frozen revisions vs none ≤ 1.2×", f"{r:.2f}×" if r is not None else "not run",
        r <= 1.2 if r is not None else None)
    if 500 in runs and 5000 in runs:
        growth = runs[5000]["build_s"] / runs[500]["build_s"]
        row("500 → 5,000 activities: build time ≤ 10×", f"{growth:.1f}× ({runs[500]['build_s']:.1f} s → {runs[5000]['build_s']:.1f} s)", growth <= 10)
    else:
        row("500 → 5,000 activities: build time ≤ 10×", "not run", None)
    v = runs.get(5000, {}).get("validate_s")
    row("validation of 5,000 activities ≤ 1 s", f"{v:.2f} s" if v is not None else "not run", v <= 1 if v is not None else None)
    e = results.get("edit_to_preview_s")
    row("edit-to-preview ≤ 0.8 s (real plan, median)", f"{e:.2f} s" if e is not None else "not run", e <= 0.8 if e is not None else None)
    p = results.get("pillar_html_kb")
    row("pillar page HTML ≤ 60 KB (real plan, largest)", f"{p:.1f} KB" if p is not None else "not run", p <= 60 if p is not None else None)
    z = results.get("zip_mb")
    row("offline zip ≤ 1.5 MB", f"{z:.2f} MB" if z is not None else "not run", z <= 1.5 if z is not None else None)
    return rows


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def fmt(value, spec: str = ".2f", unit: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{unit}"


def _experiments_section(x: dict, results: dict) -> list[str]:
    out: list[str] = []
    v, d, h, md, toc = x["validate_s"], x["downloads_s"], x["search_hook_s"], x["markdown"], x["toc_depth_3"]
    out += [f"## Experiments: the suggested changes, simulated (N={x['n']:,})", "",
            ("Carried over from the run of " + x["from_run"] + " (`--experiments` re-runs them). " if x.get("from_run") else "")
            + "Each change is simulated by patching the running process, never the project's files "
            "(`scripts/bench.py --experiments`).", "",
            table(["change", "as is", "changed"], [
                ["validation: GC off while validating", f"{v['as_is']:.2f} s", f"{v['gc_off_while_validating']:.2f} s"],
                ["validation: no separate size-guard pass", f"{v['as_is']:.2f} s", f"{v['no_size_guard_pass']:.2f} s"],
                ["validation: schema `$ref`s inlined once", f"{v['as_is']:.2f} s", f"{v['schema_refs_inlined']:.2f} s"],
            ] + [[label, f"{v['as_is']:.2f} s", f"{v[key]:.2f} s"] for label, key in (
                ("validation: no size-guard pass + `$ref`s inlined", "no_guard_pass_and_refs_inlined"),
                ("validation: the three together", "all_three")) if key in v] + [
                ["downloads: JSON + CSV made once a build instead of 3 times", f"{3 * (d['activities_csv'] + d['plan_json']):.2f} s",
                 f"{d['activities_csv'] + d['plan_json']:.2f} s"],
                [f"Markdown of `{md['page']}` (fr): abbr's sibling lookup by index"
                 + ("" if md.get("abbr_indexed_same_html") else " (HTML differs!)"), f"{md['convert_s']:.2f} s", f"{md['convert_abbr_indexed_s']:.2f} s"],
                [f"Markdown of `{md['page']}` (fr): without abbreviations at all", f"{md['convert_s']:.2f} s", f"{md['convert_without_abbr_s']:.2f} s"],
                ["plain build: `toc_depth: 3` (activities out of the TOC)", f"{toc['plain_build_s']:.1f} s", f"{toc['plain_build_toc3_s']:.1f} s"],
                ["largest pillar page (fr): `toc_depth: 3`", f"{toc['pillar_kb']:.0f} KB", f"{toc['pillar_toc3_kb']:.0f} KB"],
            ] + ([["real plan's largest pillar page: `toc_depth: 3`", f"{results.get('pillar_html_kb') or 0:.1f} KB",
                   f"{max(toc['real_plan_pillar_kb'].values()):.1f} KB"]] if toc.get("real_plan_pillar_kb") else [])),
            "", "Full builds with the changes together: schema `$ref`s inlined, no separate size-guard pass, downloads "
            "made once, the view templates' compiled code kept in a Jinja bytecode cache (warm, as after any earlier "
            "build or preview), and abbr's lookup by index. The abbr change is a library fix, so it is simulated in "
            "a second plain baseline too: *ratio changed* = changed / plain with the abbr fix. Builds alternate. "
            "*Same site*: every HTML page, the downloads and both search indexes byte for byte those of the build as is.", "",
            table(["N", "as is s", "changed s", "plain s", "plain + abbr fix s", "ratio as is", "ratio changed",
                   "CPU ratio changed", "same site"],
                  [[f"{a['n']:,}", fmt(a["as_is_s"]), fmt(a["changed_s"]), fmt(a["plain_s"]), fmt(a["plain_abbr_s"]),
                    fmt(a["ratio_as_is"], ".3f"), fmt(a["ratio_changed"], ".3f"), fmt(a["cpu_ratio_changed"], ".3f"),
                    "yes" if a["same_site"] else "**no**"] for a in x.get("all_changes", [])]),
            "", f"The search hook (split + spelling variants, as committed) takes {h:.2f} s. `plan_json` takes {d['plan_json']:.2f} s a call, `activities_csv` {d['activities_csv']:.2f} s. Largest pages' Markdown (fr, KB): "
            + ", ".join(f"{p} {kb:,}" for p, kb in md["largest_pages_kb_fr"]) + ".", ""]
    return out


def report(results: dict, notes: str) -> str:
    m, env = results["machine"], results["versions"]
    out = [
        "# Benchmark results",
        "",
        f"Written by `{results['command']}` on {results['date']} at commit `{results['commit']}` in {results['duration_min']:.0f} "
        "minutes; raw figures in "
        "[`results.json`](results.json). Each time is the median of the runs shown, each in a fresh process; our build "
        "and the plain baseline alternate.",
        "",
        f"**Machine:** {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GiB RAM, {m['os']}.  ",
        f"**Load:** at start `{results['load']['start']}`; at end `{results['load']['end']}`. Other engineers' builds and "
        "tests ran at the same time: wall times are noisy, CPU times (user + system) less so.  ",
        "**Versions:** " + ", ".join(f"{k} {v}" for k, v in env.items()) + ".",
        "",
        "## Build cost and scaling",
        "",
        "`mkdocs build --strict` of both languages (our site) against the *plain baseline*: the same pages as static "
        "Markdown (rendered once by the views), built with the same theme, overrides, extensions, plugins and search "
        "hook, without the macros plugin and the report-pages hook. Ratio = ours / plain: the cost of loading, "
        "validating and rendering the data. N=50 is the real `data/sip.yaml`; larger N are synthetic plans "
        "(`scripts/synthetic_plan.py`). *validate s*: `macros.data.load.validate(path)` alone in a fresh process (imports "
        "not counted). *views alone s*: all pages of both languages rendered by the view functions in one warm process "
        "(how the baseline's Markdown is made). *GC s*: time in Python's cyclic garbage collector during the build.",
        "",
    ]
    rows = []
    for r in results["runs"]:
        pages = r.get("pages", {})
        rows.append([f"{r['n']:,}", r.get("runs", "—"), fmt(r.get("build_s")), fmt(r.get("baseline_s")), fmt(r.get("ratio"), ".3f"),
                     fmt(r.get("cpu_ratio"), ".3f"), f"{fmt(r.get('gc_s'), '.1f')} / {fmt(r.get('baseline_gc_s'), '.1f')}",
                     fmt(r.get("rss_mb"), ".0f"), fmt(r.get("validate_s"), ".3f"),
                     fmt(r.get("render_pages_s")), fmt(pages.get("pillar", {}).get("fr", {}).get("kb"), ".0f"),
                     fmt(r.get("search_index_kb", {}).get("total"), ",.0f"), fmt(r.get("site_mb"), ".1f"),
                     "yes" if r.get("check", {}).get("passes_check") else "no (size guards)"])
    out.append(table(["N activities", "runs", "build s", "plain s", "ratio", "CPU ratio", "GC s ours / plain", "peak RSS MiB", "validate s",
                      "views alone s", "largest pillar KB (fr)", "search index KB (fr+en)", "site MB", "passes `make check`"], rows))
    out.append("")
    for r in results["runs"]:
        if r.get("build_s") is None or r.get("baseline_s") is None:
            out.append(f"- N={r['n']:,}: stopped after {r.get('timed_out_after_s')} s without finishing"
                       + (f" (ours took {r['build_s']} s)" if r.get("build_s") else "") + ".")
        if r.get("from_run"):
            out.append(f"- N={r['n']:,}: carried over from the run of {r['from_run']} (tried once with `--huge`, not re-run).")
        same = r.get("same_as_baseline")
        if same and same["identical"] != same["html_pages"]:
            out.append(f"- N={r['n']:,}: {same['html_pages'] - same['identical']} HTML pages of the baseline differ from ours: {same['differ']}")
        if r.get("check", {}).get("lifted_limits"):
            out.append(f"- N={r['n']:,} ({r['check']['file_mb']} MB) is refused by the validator's size guards "
                       f"(`{r['check']['refused_by'][0].split(': ', 1)[-1]}`); the benchmark lifts the guards "
                       "(`macros.data.yamlnodes.MAX_BYTES`/`MAX_NODES`/`MAX_SEPARATORS`) to measure the rest.")
    same_all = all(r.get("same_as_baseline", {}).get("identical") == r.get("same_as_baseline", {}).get("html_pages")
                   for r in results["runs"] if r.get("same_as_baseline"))
    if same_all:
        out.append("- The baseline's HTML pages are byte for byte ours at every N: it is the same site.")
    if not any(r["n"] == HUGE for r in results["runs"]):
        out.append(f"- N={HUGE:,} was not tried in this run (`scripts/bench.py --huge` tries it once, within {HUGE_TIMEOUT_S // 60} minutes).")
    out += ["", "## Targets", "", table(["target", "measured", "status"],
                                        [[t["target"], t["measured"], f"**{t['status']}**"] for t in results["targets"]]), ""]

    e = results.get("edit_to_preview")
    if e:
        out += ["## Edit-to-preview (real plan)", "",
                f"Measured: {e['measured']}. Median of {e['edits']} saves: **{e['browser_s']:.2f} s** to the reloaded page "
                f"(runs: {', '.join(f'{x:.2f}' for x in e['runs_browser_s'])} s); of which noticing the save "
                f"{e['detect_s']:.2f} s (scripts/serve.py polls every 0.1 s, then waits 0.1 s for more changes), the rebuild {e['rebuild_s']:.2f} s "
                f"(\"Building documentation\" to \"Reloading browsers\"), the rest is the browser reloading.", ""]

    b = results.get("make_build")
    if b:
        out += ["## `make build` (real plan, warm)", "",
                f"Measured: {b['measured']}. Median of {len(b['runs_s'])} runs: **{b['median_s']:.2f} s** "
                f"(runs: {', '.join(f'{x:.2f}' for x in b['runs_s'])} s): validation, the online build, the offline "
                "variant, the permalink check, the zip and both PDFs (reused: nothing they are printed from changed)."]
        if "after_edit_median_s" in b:
            out += ["", f"After a one-word edit of the data, median of {len(b['after_edit_runs_s'])} runs: "
                    f"**{b['after_edit_median_s']:.2f} s** (runs: {', '.join(f'{x:.2f}' for x in b['after_edit_runs_s'])} s): "
                    "the same, with both PDFs printed again."]
        out += [""]
    r = results.get("make_build_revisions")
    if r:
        out += [f"With two frozen revisions beside the plan ({r['measured']}): **{r['two_median_s']:.2f} s** against "
                f"{r['none_median_s']:.2f} s with none, **{r['ratio']:.2f}×** (runs: {r['runs_s']}).", ""]

    w = results.get("page_weight")
    if w:
        rows = [[kind, w["html"][kind]["fr"]["page"], fmt(w["html"][kind]["fr"]["kb"], ".1f"), fmt(w["html"][kind]["en"]["kb"], ".1f")]
                for kind in PAGE_KINDS]
        out += ["## Page weight (real plan)", "", "HTML bytes of each kind of page (KB = 1,000 bytes):", "",
                table(["page", "file", "fr KB", "en KB"], rows), ""]
        visits = w.get("first_visit")
        if visits:
            rows = [[kind, lang, fmt(v["kb"], ".0f"), v["requests"], ", ".join(f"{u} ({b / 1e3:.0f})" for u, b in v["largest"])]
                    for kind, by_lang in visits.items() for lang, v in by_lang.items()]
            out += ["First visit, empty cache, headless Chromium against a local server without compression (sum of "
                    "response bodies, the search index fetched by the search worker included):", "",
                    table(["visit", "lang", "KB fetched", "requests", "largest (KB)"], rows), ""]
        z = w.get("zip", {})
        out += [f"Offline bundle (built by `scripts/build.py`'s functions): **{fmt(z.get('zip_mb'))} MB** zipped, "
                f"{fmt(z.get('unpacked_mb'), '.1f')} MB unpacked" + (f"; `dist/` holds {z['dist_zip_mb']} MB" if "dist_zip_mb" in z else "")
                + f". Search index: {w['search_index_kb']['fr']:.0f} KB (fr) + {w['search_index_kb']['en']:.0f} KB (en) = "
                f"**{w['search_index_kb']['total']:.0f} KB**.", ""]

    p = results.get("profile")
    if p:
        out += [f"## Where the time goes (cProfile, N={p['n']:,})", "",
                f"One build under cProfile: {p['profiled_s']:.0f} s profiled ({p['process_wall_s']:.0f} s for the process; "
                "cProfile slows Python code about 1.5-2×, so read shares rather than seconds). Inclusive time of each "
                "stage; indented rows are parts of the row above (the stages nest, so the shares do not add up):", "",
                table(["stage", "s", "share"], [["&nbsp;&nbsp;" * s["level"] + s["stage"], fmt(s["s"]), f"{100 * s['share']:.0f} %"]
                                                 for s in p["stages"]]), "",
                "Self time by package (built-in functions such as regular expressions charged to the package that "
                "called them; these add up to the total):", "",
                table(["package", "s", "share"], [[r["package"], fmt(r["s"]), f"{100 * r['share']:.1f} %"] for r in p["packages"]]), "",
                "Top functions by self time:", "",
                table(["function", "self s", "calls"], [[f"`{f['function']}`", fmt(f["self_s"]), f"{f['calls']:,}"] for f in p["top_functions"]]), ""]
    x = results.get("experiments")
    if x:
        try:
            out += _experiments_section(x, results)
        except KeyError:
            # Carried over from a run whose figures had other names: the report of that run keeps them.
            out += ["## Experiments", "", f"Not re-run (`--experiments`); those of {x.get('from_run', 'an earlier run')} "
                    "are in `bench/RESULTS.md` of that run's commit.", ""]

    out += [NOTES_MARKER, notes.strip("\n"), ""]
    return "\n".join(out)


def previous(out: Path) -> tuple[dict, str]:
    """The last results (to carry over a --huge run) and the hand-written notes of RESULTS.md."""
    results = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else {}
    text = (out / "RESULTS.md").read_text(encoding="utf-8") if (out / "RESULTS.md").exists() else ""
    notes = text.split(NOTES_MARKER, 1)[1] if NOTES_MARKER in text else "\n## Findings and recommendations\n\n(to be written)\n"
    return results, notes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="numbers of activities (50 is the real plan)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--huge", action="store_true", help=f"also try N={HUGE:,} once, stopped after {HUGE_TIMEOUT_S} s")
    parser.add_argument("--experiments", action="store_true",
                        help="also measure the suggested changes (simulated) at --profile-n activities (~5 minutes)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--profile-n", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=5, help="saves timed for edit-to-preview")
    parser.add_argument("--make-runs", type=int, default=5, help="timed runs of `make build` (after one warm-up run)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench", help="where RESULTS.md and results.json go")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = ROOT / "bench" / "work"
    work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    earlier, notes = previous(args.out)

    started = time.perf_counter()
    results = {"command": " ".join(["scripts/bench.py", *argv]), "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"), "commit": git_commit(),
               "machine": machine(), "versions": versions(), "load": {"start": uptime()}, "runs": []}
    print(f"load: {results['load']['start']}", flush=True)
    real_site = work / "site-real"
    try:
        for n in sizes:
            # Small builds last a few seconds and vary most from run to run: more runs for them.
            repeat = max(args.repeat, 5) if n <= 500 and args.repeat >= 3 else args.repeat
            results["runs"].append(bench_size(n, repeat, work, keep_site=real_site if n == 50 else None))
        if args.huge:
            results["runs"].append(bench_size(HUGE, 1, work, timeout=HUGE_TIMEOUT_S))
        else:
            carried = next((r for r in earlier.get("runs", []) if r["n"] == HUGE), None)
            if carried:
                results["runs"].append({**carried, "from_run": carried.get("from_run", earlier.get("date"))})
        if 50 in sizes:
            print("page weight and offline bundle", flush=True)
            html = page_sizes(real_site)
            results["pillar_html_kb"] = max(v["kb"] for v in html["pillar"].values())
            results["search_index_kb"] = search_index_kb(real_site)["total"]
            zipped = offline_zip(work)
            results["zip_mb"] = zipped["zip_mb"]
            results["page_weight"] = {"html": html, "search_index_kb": search_index_kb(real_site), "zip": zipped,
                                      "first_visit": first_visits(real_site) if Path(CHROMIUM).exists() else None}
            print("edit-to-preview", flush=True)
            results["edit_to_preview"] = edit_to_preview(work, args.edits)
            results["edit_to_preview_s"] = results["edit_to_preview"]["browser_s"]
            print("make build (real plan, warm)", flush=True)
            results["make_build"] = make_build(args.make_runs, work)
            results["make_build_s"] = results["make_build"]["median_s"]
            results["make_build_after_edit_s"] = results["make_build"]["after_edit_median_s"]
            print("make build with two frozen revisions", flush=True)
            results["make_build_revisions"] = make_build_with_revisions(args.make_runs, work)
        if not args.no_profile:
            print(f"profile at N={args.profile_n}", flush=True)
            path, _, check = prepare_plan(args.profile_n, work)
            results["profile"] = {"n": args.profile_n, **profile(path, check["lifted_limits"], work)}
        if args.experiments:
            results["experiments"] = experiments(args.profile_n, work, args.repeat)
        elif earlier.get("experiments"):
            results["experiments"] = {**earlier["experiments"], "from_run": earlier["experiments"].get("from_run", earlier.get("date"))}
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(real_site, ignore_errors=True)
    results["load"]["end"] = uptime()
    results["duration_min"] = round((time.perf_counter() - started) / 60, 1)
    results["targets"] = targets(results)
    ordered = {"runs": results["runs"], "edit_to_preview_s": results.get("edit_to_preview_s"), "make_build_s": results.get("make_build_s"),
               "make_build_after_edit_s": results.get("make_build_after_edit_s"),
               "pillar_html_kb": results.get("pillar_html_kb"), "zip_mb": results.get("zip_mb"),
               "search_index_kb": results.get("search_index_kb"), **results}
    (args.out / "results.json").write_text(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    text = report(results, notes)
    (args.out / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text.split(NOTES_MARKER)[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
