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
                 "{%", "data:", "\u202e", "\u200b", "!!! ", "??? ", "///", "\u0085", "\u2028", "=HYPERLINK"):
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


# --- The import surfaces: workbooks, PO files, environment variables ------------------------------------------
# The same corpus, walked over every surface that lets text in besides the data file. Each surface is listed from
# the code that defines it (the kit's editable columns, every translatable field, every checked variable), so a
# column, field or variable added later is covered without anyone remembering it.

import contextlib  # noqa: E402
import io  # noqa: E402
import shutil  # noqa: E402

import openpyxl  # noqa: E402
import polib  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from test_report_kit import PERIOD, TODAY, kit  # noqa: E402,F401

_MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)>\s]*)")


def rendered_findings(data: Path) -> Counter:
    """What the pages' macro output (every page, both languages, before Markdown) holds that data must never create."""
    from macros.data.load import load_plan
    from macros.views import references
    plan = load_plan(data)
    found: Counter = Counter()
    for lang in ("fr", "en"):
        for path, source in references.page_sources(plan).items():
            text = references.rendered(plan, lang, path, source)
            found.update(findings(text))
            found.update(f"]({m[:40]})" for m in _MARKDOWN_LINK.findall(text) if dangerous_url(m))
    return found


def quiet(call, *args) -> tuple[int, str]:
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        code = call(*args)
    return code, errors.getvalue()


@pytest.fixture(scope="module")
def base_rendered(tmp_path_factory) -> Counter:
    folder = tmp_path_factory.mktemp("base")
    shutil.copyfile(ROOT / "data" / "sip.yaml", folder / "sip.yaml")
    return rendered_findings(folder / "sip.yaml")


def test_every_payload_in_every_environment_variable_is_refused_or_inert():
    from macros import environment
    for payload in PAYLOADS:
        for name in environment.VARIABLES:
            refused = environment.problems({name: payload})
            if refused:
                assert len(refused) == 1 and refused[0].startswith(f"{name}=") and "\n" not in refused[0]
            elif name in environment.PATHS:  # a local path, never published: any name the filesystem has
                assert "\0" not in payload
            else:  # accepted: it can hold no quote, bracket, space or script scheme
                assert not re.search(r"[\s\"'<>\\`]", payload) and not dangerous_url(payload), (name, payload)


def test_every_payload_in_every_editable_workbook_column_is_refused_at_its_cell_or_shown_as_text(
        kit, tmp_path, monkeypatch, base_rendered):
    """Each payload alone in each editable column of a row (with what the row needs besides), then in all of them:
    several payloads per workbook, one per group of rows; the rows refused the first time are cleared for a second
    import, so that every accepted payload is published and looked at."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from macros.exchange import import_updates, kit_layout
    monkeypatch.setenv("SIP_TODAY", TODAY)
    editable = kit_layout.COLUMNS[kit_layout.LOCKED:]
    owner = "rome-team"
    sheet = openpyxl.load_workbook(kit / f"{owner}.xlsx")["updates"]
    rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value]
    per_book = len(rows) // (len(editable) + 1)
    # A spreadsheet cannot hold control characters (openpyxl refuses them as Excel does): those never arrive.
    typed = [p for p in PAYLOADS if not ILLEGAL_CHARACTERS_RE.search(p)]
    assert per_book and len(typed) > len(PAYLOADS) / 2
    for number in range(0, len(typed), per_book):
        group = typed[number:number + per_book]
        data = tmp_path / f"p{number}" / "sip.yaml"
        data.parent.mkdir()
        shutil.copyfile(ROOT / "data" / "sip.yaml", data)
        monkeypatch.setenv("SIP_DATA", str(data))
        book = openpyxl.load_workbook(kit / f"{owner}.xlsx")
        sheet = book["updates"]
        placed = iter(rows)
        for payload in group:
            for column in editable + ("all",):
                row = next(placed)
                values = {"status": "Terminé", "date": "2025-02-01", "note_fr": "Fait."}
                values.update({name: payload for name in (editable if column == "all" else (column,))})
                for name, value in values.items():
                    sheet.cell(row, kit_layout.COLUMNS.index(name) + 1, value)
        target = data.parent / f"{owner}.xlsx"
        before = data.read_bytes()
        for attempt in range(2):
            book.save(target)
            code, printed = quiet(import_updates.main, [str(target)])
            assert "Traceback" not in printed
            if not code:
                break
            problems = printed.splitlines()[:-1]
            cells = [re.match(rf"{re.escape(str(target))}: updates![D-G]([0-9]+): ", p) for p in problems]
            assert problems and all(cells), printed  # each refusal at its cell, one line each
            assert data.read_bytes() == before
            for row in {int(c.group(1)) for c in cells}:
                for column in range(kit_layout.LOCKED + 1, len(kit_layout.COLUMNS) + 1):
                    sheet.cell(row, column, None)
        extra = rendered_findings(data) - base_rendered
        assert not extra, (group, extra)


ROUNDS = 3


def _element_of(field: str) -> str:
    """'pillars/1/outcomes/1.1/text' -> 'outcome 1.1', 'annex/commitments/4/text' -> 'commitment 4': as notes say."""
    from macros.exchange.translations import _element
    if field.startswith("meta/"):
        return "meta." + field.split("/")[1]
    owner = _element(field).split(",")[0]
    return {"glossary entry": "glossary entry"}.get(owner, owner)


@pytest.mark.parametrize("turn", range(ROUNDS))
def test_every_payload_in_every_translatable_field_is_refused_at_its_po_line_or_shown_as_text(tmp_path, base_rendered, turn):
    """Every translatable field gets a payload in each round, and every payload lands in fields of every kind:
    field i holds payload (i + turn * step); the entries refused are left out of the next import until one lands."""
    from macros.data.translation_lock import fields
    from macros.exchange import translations, yamledit
    data = tmp_path / "sip.yaml"
    shutil.copyfile(ROOT / "data" / "sip.yaml", data)
    document = yamledit.load(data)
    # A text an editor's note quotes cannot change without its note (make check says so at the note's line):
    # those fields are left to the data test.
    quoted = {str(note["about"]) for note in document.get("editor_notes", [])}
    french = {name: str(texts["fr"]).strip() for name, _, texts in fields(document)
              if not any(_element_of(name) == about for about in quoted)}
    assert len(french) > len(PAYLOADS)
    step = max(1, len(PAYLOADS) // ROUNDS)
    chosen = {name: PAYLOADS[(i + turn * step) % len(PAYLOADS)] for i, name in enumerate(french)}
    refused_any = False
    for attempt in range(20):  # the pre-parse bounds stop at the first bad line; the checks after parsing list all
        po = polib.POFile(wrapwidth=0)
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for name, payload in chosen.items():
            po.append(polib.POEntry(msgctxt=name, msgid=french[name], msgstr=payload))
        path = tmp_path / f"t{attempt}.po"
        po.save(str(path))
        starts = sorted((entry.linenum, entry.msgctxt) for entry in polib.pofile(str(path)))
        before = data.read_bytes()
        try:
            translations.import_po(data, path)
            break
        except translations.TranslationError as exc:
            refused_any = True
            assert data.read_bytes() == before
            named = [re.match(rf"{re.escape(str(path))}:([0-9]+): ", m) for m in exc.messages]
            lines = [int(m.group(1)) for m in named if m]
            assert lines, exc.messages  # refusals name PO lines
            # Each line belongs to the entry that starts at or before it.
            refused = {next(name for start, name in reversed(starts) if start <= line) for line in lines if line >= starts[0][0]}
            assert refused, exc.messages
            chosen = {name: payload for name, payload in chosen.items() if name not in refused}
    else:
        pytest.fail("still refused after 20 imports")
    assert refused_any  # the corpus holds payloads the data refuses
    assert data.read_bytes() != (ROOT / "data" / "sip.yaml").read_bytes()  # and the accepted ones landed
    extra = rendered_findings(data) - base_rendered
    assert not extra, extra
