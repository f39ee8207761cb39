"""`make serve`: edits re-render the pages, a broken edit keeps the server alive and says why, a fix recovers."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.fixture()
def preview(tmp_path):
    """A live preview of a copy of the data, and a function to rewrite that copy."""
    data = tmp_path / "sip.yaml"
    data.write_text((ROOT / "data" / "sip.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    port = free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, SIP_DATA=str(data), NO_MKDOCS_2_WARNING="1")
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "scripts/serve.py", "-a", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/pillars/1.html"
    try:
        assert wait_for(lambda: "a-1.1.1.2" in fetch(url), 60), log.read_text()

        def edit(old: str, new: str) -> None:
            text = data.read_text(encoding="utf-8")
            assert old in text
            data.write_text(text.replace(old, new, 1), encoding="utf-8")
        yield url, edit, log
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_data_edit_rerenders_the_page(preview):
    url, edit, _ = preview
    edit("Créer une note d'orientation claire sur les rôles", "Créer une note NOUVELLE sur les rôles")
    assert wait_for(lambda: "Créer une note NOUVELLE" in fetch(url))


def test_a_broken_edit_is_reported_and_a_fix_recovers_without_restart(preview):
    url, edit, log = preview
    edit("- partnerships-wg\n", "- partnerships-wgx\n")
    # The terminal gets the validator's one-line message; the server keeps answering, with the error shown.
    assert wait_for(lambda: "owner 'partnerships-wgx' is not defined" in log.read_text())
    assert "Traceback" not in log.read_text()
    assert wait_for(lambda: "partnerships-wgx" in fetch(url))
    edit("- partnerships-wgx\n", "- partnerships-wg\n")
    assert wait_for(lambda: "partnerships-wgx" not in fetch(url) and "a-1.1.1.2" in fetch(url))
