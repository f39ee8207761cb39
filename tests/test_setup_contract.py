"""The README's two commands on a machine without the system programs: installed where allowed, else one message."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import project_copy
from macros import system_tools

ROOT = Path(__file__).resolve().parent.parent
# The interpreter itself, not a wrapper (pyenv's shims are shell scripts that need more than this bare PATH).
PYTHON = os.path.realpath(sys.executable)
ALL = ("Chromium", "Node.js and npm", "poppler", "a Java runtime", "LibreOffice Calc")


def bare_path(tmp_path: Path, *commands: str) -> Path:
    """A PATH folder holding only `commands` (symlinks to the real ones): the machine without the rest."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    (folder / "python3").symlink_to(PYTHON)
    for name in ("make", *commands):
        target = shutil.which(name)
        assert target, f"{name} is needed to run this test"
        (folder / name).symlink_to(target)
    return folder


def bare_env(tmp_path: Path, folder: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("CHROMIUM", "PLAYWRIGHT_BROWSERS_PATH")}
    # No Playwright download in a fresh HOME either.
    env.update(PATH=str(folder), HOME=str(tmp_path / "home"), **extra)
    return env


def fake_program(folder: Path, name: str, body: str = "exit 0") -> Path:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_make_test_without_the_programs_names_each_and_runs_no_test(tmp_path):
    env = bare_env(tmp_path, bare_path(tmp_path), SIP_INSTALL="never")
    started = time.monotonic()
    result = subprocess.run(["make", "--no-print-directory", "test"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    err = result.stderr
    assert "make test: stopped before starting, 5 programs missing" in err
    for name in ALL:
        assert f"- {name}, for " in err, name
    assert "apt-get install chromium default-jre-headless libreoffice-calc-nogui npm poppler-utils" in err
    assert "brew install --cask chromium" in err and "brew install poppler" in err
    # Stopped before the venv, the build and pytest: nothing ran.
    assert "pytest" not in result.stdout + err and "passed" not in result.stdout and "built site/" not in err
    assert elapsed < 30, elapsed


def test_make_build_needs_only_chromium_and_names_build_site(tmp_path):
    env = bare_env(tmp_path, bare_path(tmp_path, "npm"), SIP_INSTALL="never")
    result = subprocess.run(["make", "--no-print-directory", "build"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "make build: stopped before starting, 1 program missing" in result.stderr
    assert "- Chromium, for the PDFs" in result.stderr and "poppler" not in result.stderr
    assert "make build-site" in result.stderr


def test_setup_installs_what_is_missing_with_apt_get_once(tmp_path):
    """Where the machine allows it (root here), the missing packages are installed in one apt-get call."""
    folder = bare_path(tmp_path, "npm")
    calls = tmp_path / "apt-calls"
    # The fake apt-get 'installs' by creating the programs the packages provide.
    fake_program(folder, "apt-get", f"""echo "$@" >> {calls}
case "$1" in install) for p in chromium pdftotext java soffice; do printf '#!/bin/sh\\n' > {folder}/$p; /bin/chmod +x {folder}/$p; done;; esac""")
    env = bare_env(tmp_path, folder)
    env.pop("SIP_INSTALL", None)
    result = subprocess.run([PYTHON, "-m", "macros.system_tools", "test"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("make setup: installing ") and "with apt-get, once" in lines[0]
    assert "chromium (the PDFs and the browser tests)" in lines[0]
    recorded = calls.read_text().splitlines()
    assert recorded[0] == "update -qq"
    assert recorded[1].split() == ["install", "-y", "-qq", "--no-install-recommends", "chromium",
                                   "default-jre-headless", "libreoffice-calc-nogui", "poppler-utils"]
    # Once: everything is there now, so a second run installs nothing and says nothing.
    again = subprocess.run([PYTHON, "-m", "macros.system_tools", "test"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stderr == "" and len(calls.read_text().splitlines()) == 2


def test_a_failed_install_shows_apt_get_and_still_names_the_programs(tmp_path):
    folder = bare_path(tmp_path, "npm")
    fake_program(folder, "apt-get", 'echo "E: Unable to locate package chromium" >&2; exit 100')
    env = bare_env(tmp_path, folder)
    result = subprocess.run([PYTHON, "-m", "macros.system_tools", "build"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Unable to locate package chromium" in result.stderr
    assert "make build: stopped before starting, 1 program missing" in result.stderr


def test_chromium_is_found_from_the_variable_the_path_or_a_playwright_download(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "pw"))
    assert system_tools.find_chromium() is None
    downloaded = tmp_path / "pw" / "chromium-1187" / "chrome-linux" / "chrome"
    downloaded.parent.mkdir(parents=True)
    fake_program(downloaded.parent, "chrome")
    assert system_tools.find_chromium() == str(downloaded)
    on_path = fake_program(empty, "chromium")
    assert system_tools.find_chromium() == str(on_path), "the system's Chromium comes before a download"
    chosen = fake_program(tmp_path, "my-chrome")
    monkeypatch.setenv("CHROMIUM", str(chosen))
    assert system_tools.find_chromium() == str(chosen), "$CHROMIUM comes first"
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "nowhere"))
    with pytest.raises(system_tools.ChromiumNotFound, match="CHROMIUM="):
        system_tools.find_chromium()


def test_the_build_without_chromium_fails_and_build_site_says_it_has_no_pdf(tmp_path):
    copy = project_copy(tmp_path / "project")
    env = bare_env(tmp_path, bare_path(tmp_path), NO_MKDOCS_2_WARNING="1")
    env.pop("SIP_DATA", None)
    env.pop("SITE_URL", None)
    failed = subprocess.run([sys.executable, "scripts/build.py"], cwd=copy, env=env, capture_output=True, text=True,
                            timeout=600)
    assert failed.returncode == 1
    assert "- Chromium, for the PDFs" in failed.stderr and "make build-site" in failed.stderr
    assert not (copy / "site").exists() and not (copy / "dist").exists(), "a failed build publishes nothing"
    site_only = subprocess.run([sys.executable, "scripts/build.py", "--no-pdf"], cwd=copy, env=env,
                               capture_output=True, text=True, timeout=600)
    assert site_only.returncode == 0, site_only.stderr[-3000:]
    assert site_only.stdout.strip().splitlines()[-1].startswith("built without the PDFs, as asked (make build-site)")
    assert (copy / "site" / "index.html").is_file() and (copy / "site" / "en" / "index.html").is_file()
    assert list((copy / "dist").glob("sip-*-offline.zip")) and not list((copy / "dist").glob("*.pdf"))
