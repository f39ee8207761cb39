"""A build stopped by a signal or by its time limit leaves the published site and no scratch folder behind;
the next build clears scratch folders left by a build that was killed outright."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT_FOLDER  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
pytestmark = PROJECT_FOLDER  # builds in the project folder itself
CACHE = ROOT / ".cache"


def snapshot() -> dict[str, int]:
    return {str(p.relative_to(ROOT)): p.stat().st_mtime_ns for folder in ("site", "dist")
            for p in (ROOT / folder).rglob("*") if p.is_file()}


def scratch_folders() -> list[Path]:
    return sorted(CACHE.glob("sip-build-*"))


def start_build(**env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "scripts/build.py"], cwd=ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def group_members(pgid: int) -> list[int]:
    """Processes still alive in process group `pgid` (the pipeline's MkDocs and Chromium)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.fixture()
def published(site_dir):
    """The published site, unchanged by the test."""
    before = snapshot()
    yield
    assert snapshot() == before
    assert not scratch_folders(), "scratch folders must be cleaned up"


def wait_for_worker(build: subprocess.Popen, seconds: float = 60) -> int:
    """The pipeline's process group id, once MkDocs is running in it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == build.pid and len(group_members(int(stat.parent.name))) >= 2:
                return int(stat.parent.name)
        time.sleep(0.05)
    pytest.fail("the build's pipeline never started")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_build_leaves_the_site_and_removes_its_scratch_folder(published, signum):
    build = start_build()
    group = wait_for_worker(build)
    build.send_signal(signum)
    out, err = build.communicate(timeout=60)
    assert build.returncode == 128 + signum
    assert "build interrupted" in err and "left as they were" in err
    assert "Traceback" not in err
    assert not group_members(group), "MkDocs or Chromium kept running after the build was stopped"


def test_a_build_over_its_time_limit_stops_with_a_clear_message(published):
    start = time.monotonic()
    build = start_build(SIP_BUILD_TIMEOUT="1.5")
    out, err = build.communicate(timeout=120)
    assert build.returncode == 1
    assert "ran longer than 1.5 s" in err and "SIP_BUILD_TIMEOUT" in err and "left as they were" in err
    assert "Traceback" not in err
    assert time.monotonic() - start < 30


def test_an_invalid_time_limit_is_refused(published):
    build = start_build(SIP_BUILD_TIMEOUT="ten minutes")
    out, err = build.communicate(timeout=60)
    assert build.returncode != 0 and "SIP_BUILD_TIMEOUT='ten minutes'" in err


def test_a_build_clears_scratch_folders_left_by_killed_builds(site_dir):
    CACHE.mkdir(exist_ok=True)
    # A build killed with SIGKILL: its owner process is gone.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    killed = CACHE / "sip-build-killed"
    (killed / "site").mkdir(parents=True)
    (killed / "owner").write_text(f"{dead.pid} 1\n")
    # One left by a build from before owner stamps, an hour ago.
    old = CACHE / "sip-build-unstamped"
    old.mkdir()
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    # A build still running (this test process) keeps its folder.
    running = CACHE / "sip-build-running"
    running.mkdir()
    (running / "owner").write_text(f"{os.getpid()}\n")
    try:
        result = subprocess.run([sys.executable, "scripts/build.py"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                                env=dict(os.environ, SIP_DATA=str(ROOT / "tests" / "fixtures" / "bad" / "unknown_owner.yaml")))
        assert result.returncode == 1
        assert "removed 2 scratch folders" in result.stderr
        assert scratch_folders() == [running]
    finally:
        for folder in (killed, old, running):
            subprocess.run(["rm", "-rf", str(folder)], check=True)
