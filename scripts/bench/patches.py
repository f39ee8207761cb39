"""The code the benchmark runs in its child processes: MkDocs and validate() with the simulated changes."""
import textwrap


# The schema with its $refs inlined, resolved once (in FIXES and in VALIDATE's experiment): `_resolved`.
INLINED_SCHEMA = """
import json
import macros.data.schema_check as sc
schema = json.loads(sc.SCHEMA_PATH.read_text(encoding="utf-8"))
def inline(node):
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        rest = {k: inline(v) for k, v in node.items() if k != "$ref"}
        return {**inline(schema["$defs"][ref.split("/")[-1]]), **rest} if ref.startswith("#/$defs/") else rest
    return [inline(v) for v in node] if isinstance(node, list) else node
_resolved = inline(schema)
"""
# The suggested changes to the project, simulated in the build process by patching it (experiments only: the
# project's files are never touched).
FIXES = """
import functools, json
import jinja2
import macros.exchange.exports as ex, macros.data.load as load, macros.data.schema_check as sc
import macros.views.downloads as dl, macros.data.yamlnodes as y
render = sys.modules["macros.views.render"]  # the package exports a function of the same name

# validation: the schema's $refs inlined once; no separate size-guard event pass
""" + INLINED_SCHEMA + """sc.validator = functools.lru_cache(maxsize=1)(lambda: sc.Draft202012Validator(_resolved))
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
    from jsonschema import Draft202012Validator
""" + textwrap.indent(INLINED_SCHEMA.lstrip("\n"), "    ") + """    sc.validator = lambda: Draft202012Validator(_resolved)
if os.environ.get("SIP_BENCH_NOGC"):  # experiment: no cyclic garbage collection while validating
    import gc
    gc.disable()
start = time.perf_counter()
plan, problems = validate(Path(sys.argv[1]))
print(time.perf_counter() - start, len(plan.activities) if plan else -1)
"""
