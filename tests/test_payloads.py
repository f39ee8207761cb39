"""No data ever becomes markup or script: every payload of the corpus, in every string field of the schema.

The fields come from data/sip.schema.json (every place the schema allows a string), the payloads from
tests/fixtures/payloads/payloads.yaml. A few payloads per build, in all fields at once; a field
whose payload the validator refuses must be refused with a file:line message at that field, and goes back to its
base value so the rest still builds. The built pages, search indexes, feeds, JSON and CSV are then searched for
anything the data must never produce: an on* attribute, a javascript:/data:/vbscript: address, an <iframe>, a
<script>, an <object>, an <embed>, a <base> or a <form> that the base plan's build does not have.
"""
from __future__ import annotations

import concurrent.futures
import copy
import csv
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data.load import validate  # noqa: E402
from macros.data.yamlnodes import read_document  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "payloads"
SCHEMA = json.loads((ROOT / "data" / "sip.schema.json").read_text(encoding="utf-8"))
PAYLOADS = yaml.safe_load((FIXTURES / "payloads.yaml").read_text(encoding="utf-8"))
BASE = yaml.safe_load((FIXTURES / "plan.yaml").read_text(encoding="utf-8"))
DANGEROUS_TAGS = ("script", "iframe", "frame", "object", "embed", "base", "form", "meta", "link", "style")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcdoc")
_CONTROL = re.compile(r"[\x00-\x20]")


def schema_string_fields(node: dict = SCHEMA, path: tuple = ()) -> set[tuple]:
    """Every place the schema allows a string, as a key path with '*' for list items."""
    while "$ref" in node:
        target = SCHEMA
        for step in node["$ref"].lstrip("#/").split("/"):
            target = target[step]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    found: set[tuple] = set()
    for branch in node.get("oneOf", []) + node.get("anyOf", []) + node.get("allOf", []):
        found |= schema_string_fields(branch, path)
    if node.get("type") == "string" or (node.get("enum") and all(isinstance(v, str) for v in node["enum"])):
        found.add(path)
    for key, child in node.get("properties", {}).items():
        found |= schema_string_fields(child, path + (key,))
    if isinstance(node.get("items"), dict):
        found |= schema_string_fields(node["items"], path + ("*",))
    return found


def string_leaves(data: object, path: tuple = ()) -> list[tuple]:
    """Every string in `data`, by its exact path."""
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in string_leaves(value, path + (key,))]
    if isinstance(data, list):
        return [leaf for i, value in enumerate(data) for leaf in string_leaves(value, path + (i,))]
    return [path] if isinstance(data, str) else []


def general(path: tuple) -> tuple:
    return tuple("*" if isinstance(step, int) else step for step in path)


def get(data: object, path: tuple) -> object:
    for step in path:
        data = data[step]
    return data


def put(data: object, path: tuple, value: str) -> None:
    get(data, path[:-1])[path[-1]] = value


FIELDS = schema_string_fields()
LEAVES = string_leaves(BASE)


def test_the_schema_lists_the_fields_and_the_fixture_plan_holds_each_of_them():
    assert len(FIELDS) >= 40, sorted(FIELDS)  # the walk really reached the texts, ids, URLs and abbreviations
    missing = FIELDS - {general(leaf) for leaf in LEAVES}
    assert not missing, f"tests/fixtures/payloads/plan.yaml has no value for {sorted(missing)}: add one"


def test_the_corpus_holds_the_payload_kinds_the_issue_names():
    corpus = "\n".join(PAYLOADS)
    for kind in ("{:", "<script", "<iframe", "onerror", "](javascript:", "[][]", "]: javascript:", "\n", "&#", "{{",
                 "{%", "data:", "\u202e", "\u200b"):
        assert kind in corpus, kind
    assert len(PAYLOADS) == len(set(PAYLOADS))


# Payloads per build: each field holds a few payloads, one after the other, so that the corpus needs a few builds,
# not one each. Payloads travel with those refused in the same fields (see groups), and each field
# starts with a different payload of its group, so every payload is also at the start of a line somewhere.
PER_BUILD = 3


def groups(tmp: Path) -> list[list[str]]:
    """Payloads the validator refuses in the same fields, in groups: a payload refused in a field never keeps
    another out of it. Each payload's refusals are checked here too (located at the field, one line)."""
    kinds: dict[frozenset, list[str]] = {}
    for i, payload in enumerate(PAYLOADS):
        (tmp / str(i)).mkdir()
        _, refusals = fill([payload], tmp / str(i))
        kinds.setdefault(frozenset(refusals), []).append(payload)
    return [kind[i:i + PER_BUILD] for kind in kinds.values() for i in range(0, len(kind), PER_BUILD)]


def combined(group: list[str], turn: int) -> str:
    order = group[turn % len(group):] + group[:turn % len(group)]
    return ("\n\n" if any("\n" in p for p in group) else " ").join(order)


def filled_value(leaf: tuple, payload: str) -> str:
    """A text keeps its own words after the payload (an editor's note still finds its quote); any other value
    (ids, dates, URLs, references) is the payload alone."""
    return f"{payload} {get(BASE, leaf)}" if leaf[-1] in ("fr", "en") else payload


def fill(group: list[str], tmp: Path) -> tuple[Path, dict[tuple, str]]:
    """A plan with the group's payloads in every string field the validator accepts them in; each refusal checked."""
    payload = " + ".join(map(repr, group))
    data = copy.deepcopy(BASE)
    filled = set(LEAVES)
    for turn, leaf in enumerate(LEAVES):
        put(data, leaf, filled_value(leaf, combined(group, turn)))
    refusals: dict[tuple, str] = {}
    path = tmp / "plan.yaml"
    for _ in range(6):  # ids refused, then the references to them, then their items: a few rounds at most
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(text, encoding="utf-8")
        plan, problems = validate(path)
        errors = [p for p in problems if p.severity == "error"]
        if plan is not None:
            return path, refusals
        lines = _field_lines(text, filled)
        for problem in errors:
            line_text = problem.format()
            assert re.match(rf"{re.escape(str(path))}:\d+:\d+: ", line_text) and "\n" not in line_text, line_text
            at_line = lines.get(problem.line)
            assert at_line, f"payload {payload!r}: refusal not at a field holding it: {line_text}"
            for leaf in at_line:
                refusals[leaf] = line_text
                put(data, leaf, get(BASE, leaf))
                filled.discard(leaf)
    pytest.fail(f"payload {payload!r}: still refused after reverting every refused field: {errors[0].format()}")


def _field_lines(text: str, filled: set) -> dict[int, list[tuple]]:
    """Line number -> the filled fields whose value, or whose item, starts on that line."""
    doc = read_document(text.encode("utf-8"), "plan.yaml")
    lines: dict[int, list[tuple]] = {}
    for leaf in filled:
        for depth in range(len(leaf), 0, -1):  # the value itself, and the mappings it opens (`- id: ...`)
            if leaf[:depth] in doc.marks:
                lines.setdefault(doc.marks[leaf[:depth]][0], []).append(leaf)
            if not isinstance(leaf[depth - 1], int) and depth < len(leaf):
                break
    return lines


def mkdocs_build(data: Path, dest: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SIP_DATA=str(data), SIP_OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                          cwd=ROOT, env=env, capture_output=True, text=True)


def dangerous_url(value: str) -> bool:
    # Browsers drop control characters and spaces from a URL, and read entities in attributes (already decoded).
    return _CONTROL.sub("", value).lower().startswith(("javascript:", "data:", "vbscript:"))


def findings(html: str) -> Counter:
    """What an HTML document holds that data must never create, counted so the base build's own can be subtracted."""
    found: Counter = Counter()
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        if element.name in DANGEROUS_TAGS:
            found[f"<{element.name} {element.get('src', '')}{element.get('href', '')}{element.get('id', '')}>"] += 1
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found[f"{element.name}[{name}]"] += 1
            if name.lower() in URL_ATTRIBUTES and dangerous_url(value):
                found[f"{element.name}[{name}={value[:40]}]"] += 1
    return found


def site_findings(site: Path) -> dict[str, Counter]:
    """Per file of the built site: what its pages, search indexes, feeds and downloads hold."""
    result: dict[str, Counter] = {}
    for path in sorted(site.rglob("*")):
        name = str(path.relative_to(site))
        if path.suffix == ".html":
            result[name] = findings(path.read_text(encoding="utf-8"))
        elif path.name == "search_index.json":
            index = json.loads(path.read_text(encoding="utf-8"))
            # The search box shows titles and texts as HTML.
            result[name] = sum((findings(doc.get("title", "") + " " + doc.get("text", "")) for doc in index["docs"]), Counter())
        elif path.suffix == ".xml" and "feed" in path.name:
            result[name] = feed_findings(path)
        elif path.suffix == ".json" and path.parent.name == "downloads":
            result[name] = Counter(f"url {v[:40]}" for v in json_urls(json.loads(path.read_text(encoding="utf-8")))
                                   if dangerous_url(v))
        elif path.suffix == ".csv":
            rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
            url_columns = [i for i, tag in enumerate(rows[1]) if "+url" in tag]
            result[name] = Counter(f"csv url {row[i][:40]}" for row in rows[2:] for i in url_columns if dangerous_url(row[i]))
    return result


def json_urls(node: object, key: str = ""):
    if isinstance(node, dict):
        for k, value in node.items():
            yield from json_urls(value, k if k not in ("fr", "en") else key)
    elif isinstance(node, list):
        for value in node:
            yield from json_urls(value, key)
    elif isinstance(node, str) and ("url" in key or "link" in key):
        yield node


def feed_findings(path: Path) -> Counter:
    found: Counter = Counter()
    for element in ET.parse(path).getroot().iter():
        for name, value in element.attrib.items():
            if name in ("href", "src") and dangerous_url(value):
                found[f"feed {name}={value[:40]}"] += 1
        if element.get("type") in ("html", "xhtml"):  # readers render these as HTML
            found += findings(element.text or "")
    return found


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict[str, Counter]:
    dest = tmp_path_factory.mktemp("payload-base") / "site"
    result = mkdocs_build(FIXTURES / "plan.yaml", dest)
    assert result.returncode == 0, result.stderr[-3000:]
    return site_findings(dest)


def test_every_payload_in_every_string_field_is_shown_as_text_or_refused_at_its_line(baseline, tmp_path_factory):
    def one(index_payload):
        index, payload = index_payload
        tmp = tmp_path_factory.mktemp(f"payloads-{index}")
        data, refusals = fill(payload, tmp)
        if len(refusals) == len(LEAVES):
            return payload, refusals, []  # refused in every field, each at its line: nothing to build
        result = mkdocs_build(data, tmp / "site")
        if result.returncode != 0:
            return payload, refusals, [f"build failed: {result.stderr[-1500:]}"]
        problems = []
        for name, found in site_findings(tmp / "site").items():
            extra = found - baseline.get(name, Counter())
            if extra:
                problems.append(f"{name}: {dict(extra)}")
        return payload, refusals, problems

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(one, enumerate(groups(tmp_path_factory.mktemp("alone")))))
    failures = [f"{payload!r}: {problems[:5]}" for payload, _, problems in outcomes if problems]
    assert not failures, "\n".join(failures)
    # The test did put payloads into the site: most fields accept most payloads as text.
    accepted = sum(len(LEAVES) - len(refusals) for _, refusals, _ in outcomes)
    assert accepted > len(outcomes) * len(LEAVES) // 3, accepted


def test_the_pdfs_hold_no_script_and_link_only_to_web_mail_or_their_pages(site_dir):
    """The PDFs print print.html, which the corpus test checks; here the printed files themselves (real data)."""
    from pypdf import PdfReader

    pdfs = sorted(p for p in (ROOT / "dist").glob("sip-*.pdf") if not p.name.startswith("sip-latest-"))  # not the aliases
    assert len(pdfs) == 2, f"make build prints both PDFs (is chromium installed?): {pdfs}"
    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert "/JavaScript" not in str(reader.trailer["/Root"].get("/Names", {})), pdf.name
        assert "/OpenAction" not in reader.trailer["/Root"], pdf.name
        for page in reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is None:
                    continue
                action = action.get_object()
                assert action.get("/S") in ("/URI", "/GoTo"), f"{pdf.name}: action {action.get('/S')}"
                uri = str(action.get("/URI", ""))
                assert not dangerous_url(uri), f"{pdf.name}: {uri[:60]}"
