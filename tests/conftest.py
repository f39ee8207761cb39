"""Shared fixtures for the built-site and browser tests: the built site, the plan, a local server, Chromium."""
from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data.load import load_plan  # noqa: E402
from macros.data.model import Plan  # noqa: E402
from macros.system_tools import find_chromium, message, missing  # noqa: E402

SITE = ROOT / "site"
# What the site is built from: if any of it is newer than the site, the site is stale.
SOURCES = ("data", "macros", "overrides", "docs", "mkdocs.yml")
# Quiet, offline, container-friendly Chromium: no sandbox (we run as root), no GPU, no calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def project_copy(dest: Path) -> Path:
    """The project's committed files (plus the installed shim) copied to `dest`: a build there leaves site/ alone."""
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in listed.splitlines():
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes((ROOT / name).read_bytes())
    vendor = Path("overrides/assets/vendor/iframe-worker-shim.js")  # installed by make, not committed
    (dest / vendor).parent.mkdir(parents=True, exist_ok=True)
    (dest / vendor).write_bytes((ROOT / vendor).read_bytes())
    return dest


def newest_source_mtime() -> float:
    stamps = []
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        # Bytecode caches change whenever tests import the macros; they say nothing about the site.
        stamps += [f.stat().st_mtime for f in files if f.is_file() and "__pycache__" not in f.parts]
    return max(stamps)


def site_is_fresh() -> bool:
    """site/ and dist/ are `make build`'s, made since the sources last changed: both homes, the PDF of each language
    (a `build.py --no-pdf` leaves none) and the offline zip."""
    homes = [SITE / "index.html", SITE / "en" / "index.html"]
    if not all(home.exists() for home in homes):
        return False
    dist = ROOT / "dist"
    if not (list(dist.glob("sip-latest-fr.pdf")) and list(dist.glob("sip-latest-en.pdf"))
            and list(dist.glob("sip-*-offline.zip"))):
        return False
    return min(home.stat().st_mtime for home in homes) >= newest_source_mtime()


_HELD: dict[Path, int] = {}


@contextmanager
def held(lock: Path):
    """An exclusive lock on the file `lock`, held by one pytest process at a time (the xdist workers share it);
    a process that holds it already goes on (flock would make it wait for itself)."""
    if _HELD.get(lock):
        _HELD[lock] += 1
        try:
            yield
        finally:
            _HELD[lock] -= 1
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD[lock] = 1
        try:
            yield
        finally:
            _HELD[lock] = 0


def built_once(tmp_path_factory, name: str, build: Callable[[Path], object]) -> Path:
    """The folder that `build(folder)` filled, once per test run however many xdist workers ask for it: the
    first one builds while the others wait, then all read it. A failed build is tried again by the next asker."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # popen-gwN/ is each worker's own; its parent is the run's
    folder, done = base / f"once-{name}", base / f"once-{name}.done"
    with held(base / f"once-{name}.lock"):
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site/, rebuilt once with scripts/build.py if it is missing or older than its sources.

    `make test` builds here rather than before pytest: the worker that first needs the site builds it while the
    other workers run the modules that need none."""
    with held(PROJECT_LOCK):  # a rebuild swaps site/ and dist/ in: never while a project-folder test looks
        if not site_is_fresh():
            result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py")], cwd=ROOT,
                                    capture_output=True, text=True)
            if result.returncode != 0:
                pytest.fail(f"scripts/build.py failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return SITE


@pytest.fixture(scope="session")
def plan() -> Plan:
    return load_plan()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # one line per request would bury pytest's output


@pytest.fixture(scope="session")
def base_url(site_dir: Path):
    """http://127.0.0.1:<free port> serving site/, as a static host would (the clipboard needs http, not file:)."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def pytest_sessionstart(session) -> None:
    """No test runs, and none is skipped, without the programs `make setup` provides: one message names them."""
    lacking = missing("test")
    if lacking:
        pytest.exit(message(lacking, "test"), returncode=1)


@pytest.fixture(scope="session")
def browser():
    """The project's Chromium ($CHROMIUM, the system's, or Playwright's download) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh page in its own context, so permissions and history never leak between tests."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


# The tests that run scripts/build.py in the project folder itself (marked PROJECT_FOLDER): its scratch folders in
# .cache/ and its site/ and dist/ are one set, which these tests snapshot and compare. `make test` runs the modules
# in parallel (pytest-xdist, one module per worker at a time), so they take turns through a lock file instead.
PROJECT_FOLDER = pytest.mark.project_folder
PROJECT_LOCK = ROOT / ".cache" / "tests-project-folder.lock"


@pytest.fixture(autouse=True)
def _project_folder_in_turn(request):
    if request.node.get_closest_marker("project_folder") is None:
        yield
        return
    with held(PROJECT_LOCK):
        yield


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "project_folder: runs scripts/build.py in the project folder (one at a time)")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # The tests read the tools' messages in English (French is the default for people: macros/messages);
    # tests/test_messages.py sets the language itself.
    os.environ.setdefault("SIP_LANG", "en")


# Issue 12: the site as the Pages workflow builds it, with SITE_URL set (online build and PDFs, no zip).
PUBLISHED_URL = "https://example.org/sip/"


def mkdocs_site(dest: Path, what: str, **env: str) -> Path:
    """`mkdocs build --strict` of the project into `dest` with `env` added; the test fails naming `what` if it fails."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **env)
    env.pop("SIP_LANGUAGE", None)  # one process for both languages: static-i18n's own loop
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"building {what} failed:\n{result.stderr[-3000:]}", pytrace=False)
    return dest


# The shared sites below are built once per session and only read by the tests: a test that must change a site
# copies it first (shutil.copytree into its tmp_path), so no test sees another's changes.
@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The site as one MkDocs process builds it with SITE_URL (online, both languages): the Pages workflow's site."""
    return built_once(tmp_path_factory, "published", lambda folder: mkdocs_site(
        folder / "site", "the site with SITE_URL", SITE_URL=PUBLISHED_URL, SIP_OFFLINE="false")) / "site"


@pytest.fixture(scope="session")
def full_offline_site(tmp_path_factory) -> Path:
    """A complete `SIP_OFFLINE=true` build of the real plan, without an address (what the bundle is checked against)."""
    return built_once(tmp_path_factory, "full-offline", lambda folder: mkdocs_site(
        folder / "site", "the full offline site", SIP_OFFLINE="true")) / "site"


PROGRESS_PLAN = ROOT / "tests" / "fixtures" / "plans" / "progress.yaml"


@pytest.fixture(scope="session")
def progress_site(tmp_path_factory) -> Path:
    """The site of tests/fixtures/plans/progress.yaml (three quarters reported: the one with period report pages)."""
    return built_once(tmp_path_factory, "progress", lambda folder: mkdocs_site(
        folder / "site", "the progress fixture plan", SIP_DATA=str(PROGRESS_PLAN))) / "site"


@pytest.fixture(scope="session")
def published_build(tmp_path_factory, published_site):
    """(site, dist, url) of one build with SITE_URL, in a temporary folder: the Pages workflow's build."""
    from types import SimpleNamespace

    from macros.exchange.pdf import print_plan

    dist = built_once(tmp_path_factory, "published-dist",
                      lambda folder: print_plan(published_site, folder, load_plan(), PUBLISHED_URL))
    return SimpleNamespace(site=published_site, dist=dist, url=PUBLISHED_URL)


@pytest.fixture(scope="session", params=["local", "published"])
def any_build(request, site_dir):
    """Both builds in turn: the local one (site/, dist/, no address) and the one with SITE_URL."""
    from types import SimpleNamespace

    if request.param == "local":
        from macros.exchange.pdf import configured_url

        return SimpleNamespace(site=site_dir, dist=ROOT / "dist", url=configured_url(ROOT / "mkdocs.yml"))
    return request.getfixturevalue("published_build")


# Issue 20 (rev-changes): the revision fixture (2023-11 frozen, draft 2025-06 current) built once per session.
REVISION_FIXTURE = ROOT / "tests" / "fixtures" / "revisions" / "data"


@pytest.fixture(scope="session")
def revision_site(tmp_path_factory) -> Path:
    """The site built from tests/fixtures/revisions/data/sip.yaml (SIP_DATA), online variant, in a temporary folder."""
    return built_once(tmp_path_factory, "revision-fixture", lambda folder: mkdocs_site(
        folder / "site", "the revision fixture", SIP_DATA=str(REVISION_FIXTURE / "sip.yaml"), SIP_OFFLINE="false")) / "site"
