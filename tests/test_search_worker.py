"""The search worker's query processing, unit-tested in Node (tests/search/worker.test.js): elision, question
words, acronym plurals, stems against loose prefixes, prefixed hyphen words, synonyms, prose below elements."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_worker_query_processing():
    result = subprocess.run(["node", "--test", str(ROOT / "tests" / "search" / "worker.test.js")],
                            capture_output=True, text=True, timeout=120)
    failed = [line for line in result.stdout.splitlines() if line.startswith("not ok")]
    assert result.returncode == 0 and not failed, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# pass" in result.stdout and "# fail 0" in result.stdout, result.stdout[-2000:]
