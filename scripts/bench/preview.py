"""The edit-to-preview runner: `make serve`, a save, Chromium's reload (alone: `python -m scripts.bench.preview`)."""
from __future__ import annotations

import subprocess
import socket
import threading
import time
from pathlib import Path

from .common import CHROMIUM, CHROMIUM_ARGS, PY, REAL_PLAN, ROOT, BenchError, base_env, median

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
    noticing the change (scripts/serve.py is notified of the save) and rebuilding the viewed page first."""
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


def main(argv: list[str] | None = None) -> int:
    """The edit-to-preview figure alone, as `make bench` measures it, printed as JSON with the load average."""
    import argparse
    import json
    import os
    import tempfile
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--edits", type=int, default=5, help="saves timed (median)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sip-bench-preview-") as scratch:
        load = [round(x, 2) for x in os.getloadavg()]
        result = edit_to_preview(args.work or Path(scratch), args.edits)
    print(json.dumps({**result, "load_before": load, "load_after": [round(x, 2) for x in os.getloadavg()]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
