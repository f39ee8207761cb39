"""`make bench-imports`: how fast the importers refuse hostile files, and whether two imports at once lose anything.

Speed targets live here, not in timed tests (tests/test_import_hardening.py checks each refusal and its message).
Prints one line per case: the time to the refusal (target: under 2 s) and the refusal itself.
"""
from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERIOD, TODAY = "2025-Q1", "2025-04-02"


def kit(work: Path) -> Path:
    env = dict(os.environ, SIP_DATA=str(work / "sip.yaml"), SIP_TODAY=TODAY, SIP_REPORT_KIT_DIR=str(work / "kit"))
    subprocess.run([sys.executable, "-m", "macros.exchange.report_kit", PERIOD], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    return work / "kit" / PERIOD


def junk_rows(source: Path, target: Path, rows: int) -> Path:
    """The kit with `rows` junk rows in its updates sheet and a dimension that says so (the issue's 0.8 MB file)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            content = old.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, rest = content.partition(b"<sheetData>")
                head = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G%d"' % (rows + 100), head)
                junk = b"".join(b'<row r="%d"><c r="H%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i)
                                for i in range(100, rows + 100))
                content = head + b"<sheetData>" + rest.replace(b"</sheetData>", junk + b"</sheetData>", 1)
            new.writestr(item, content)
    return target


def bomb(source: Path, target: Path) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item))
        new.writestr("xl/media/filler.bin", b"\0" * 1_000_000_000)
    return target


def po(target: Path, msgstr_chars: int) -> Path:
    import polib
    import yaml
    raw = yaml.safe_load((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8"))
    entry = polib.POEntry(msgctxt=f"pillars/{raw['pillars'][0]['id']}/goal", msgid=raw["pillars"][0]["goal"]["fr"].strip(),
                          msgstr="x" * msgstr_chars)
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.append(entry)
    catalogue.save(str(target))
    return target


def timed(command: list[str], env: dict) -> tuple[float, str]:
    start = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    return time.monotonic() - start, (result.stderr.strip().splitlines() or [""])[0][-150:]


def concurrent(work: Path, kit_dir: Path, runs: int) -> str:
    import openpyxl
    import yaml
    landed = refused = lost = 0
    for run in range(runs):
        folder = work / f"c{run}"
        folder.mkdir()
        shutil.copyfile(ROOT / "data" / "sip.yaml", folder / "sip.yaml")
        books = []
        for owner in ("glc", "training-wg"):
            book = openpyxl.load_workbook(kit_dir / f"{owner}.xlsx")
            sheet = book["updates"]
            sheet["D2"], sheet["E2"], sheet["F2"] = "Terminé", datetime.date(2025, 2, 1), "Fait."
            book.save(folder / f"{owner}.xlsx")
            books.append((sheet["A2"].value, folder / f"{owner}.xlsx"))
        env = dict(os.environ, SIP_DATA=str(folder / "sip.yaml"), SIP_TODAY=TODAY)
        processes = [subprocess.Popen([sys.executable, "-m", "macros.exchange.import_updates", str(path)], cwd=ROOT,
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _, path in books]
        codes = [p.wait() for p in processes]
        raw = yaml.safe_load((folder / "sip.yaml").read_text(encoding="utf-8"))
        found = {a["id"] for p in raw["pillars"] for oc in p["outcomes"] for op in oc["outputs"] for a in op["activities"]
                 if any(u["period"] == PERIOD for u in a.get("updates", []))}
        for code, (ident, _) in zip(codes, books):
            if code == 0 and ident in found:
                landed += 1
            elif code != 0 and ident not in found:
                refused += 1
            else:
                lost += 1
    return f"{runs} runs of two imports at once: {landed} landed, {refused} refused clearly, {lost} lost"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copyfile(ROOT / "data" / "sip.yaml", work / "sip.yaml")
        kit_dir = kit(work)
        env = dict(os.environ, SIP_DATA=str(work / "sip.yaml"), SIP_TODAY=TODAY)
        truncated = work / "truncated.xlsx"
        truncated.write_bytes((kit_dir / "glc.xlsx").read_bytes()[:5000])
        cases = [
            ("workbook, 100,000 junk rows", junk_rows(kit_dir / "glc.xlsx", work / "rows100k.xlsx", 100_000), "xlsx"),
            ("workbook, 1,000,000 junk rows", junk_rows(kit_dir / "glc.xlsx", work / "rows1m.xlsx", 1_000_000), "xlsx"),
            ("workbook, zip bomb (1 GB of zeros)", bomb(kit_dir / "glc.xlsx", work / "bomb.xlsx"), "xlsx"),
            ("workbook, truncated", truncated, "xlsx"),
            ("PO, one 50 MB msgstr", po(work / "big.po", 50_000_000), "po"),
            ("PO, one 5,000-character msgstr", po(work / "long.po", 5_000), "po"),
        ]
        for label, path, kind in cases:
            command = ([sys.executable, "-m", "macros.exchange.import_updates", str(path)] if kind == "xlsx" else
                       [sys.executable, "-m", "macros.exchange.translations", "import", str(path)])
            seconds, first = timed(command, env)
            size = path.stat().st_size / 1e6
            print(f"{label:38} {size:7.2f} MB  refused in {seconds:5.2f} s (process included): {first}")
        print(concurrent(work, kit_dir, 10))
    return 0


if __name__ == "__main__":
    sys.exit(main())
