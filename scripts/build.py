"""Build the site and the offline bundle into a scratch folder, then swap them in only if everything succeeded.

`build.py` supervises: it clears stale scratch folders, runs the pipeline (`build.py --worker`) in its own
process group, stops it at the time limit ($SIP_BUILD_TIMEOUT) or on Ctrl-C/SIGTERM, removes the scratch folder
whatever happens, and swaps the new site/ and dist/ in only after the pipeline succeeded.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scratch  # noqa: E402
from macros.messages import say  # noqa: E402
from frozen import FrozenBuildFailed  # noqa: E402
from build_timeline import Timeline  # noqa: E402

# Source maps serve developers, not field staff on slow links.
BUNDLE_EXCLUDE = (".map",)
CACHE = ROOT / ".cache"
TIMEOUT_VAR, DEFAULT_TIMEOUT_S = "SIP_BUILD_TIMEOUT", 600
SUMMARY = "summary.txt"
TIMELINE = "timeline.json"  # where the last successful build's seconds went: .cache/build-timeline.json
NO_PDF = "--no-pdf"   # make build-site: the pages, zip and downloads without the PDFs


class BuildFailed(Exception):
    pass


# --- the pipeline (build.py --worker <scratch>) ------------------------------------------------------------

def start_mkdocs(dest: Path, offline: bool, log: Path, language: str = "", timeline: Timeline | None = None
                 ) -> subprocess.Popen:
    """A strict MkDocs build into `dest`: every language, or `language` alone (overrides/hooks/one_language.py)."""
    env = dict(os.environ, SIP_OFFLINE="true" if offline else "false", NO_MKDOCS_2_WARNING="1", SIP_LANGUAGE=language)
    if timeline is not None:
        env.update(timeline.env())
    started = time.time()
    # Never add -q: with it, strict mode lets warnings through.
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(dest)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    if timeline is not None:
        timeline.started(process.pid, ("offline" if offline else "online") + (f" {language}" if language else ""), started)
    return process


def finish_mkdocs(process: subprocess.Popen, offline: bool, log: Path, language: str = "") -> None:
    if process.wait() != 0:
        text = log.read_text(encoding="utf-8", errors="replace")
        # A data problem that stops MkDocs (a frozen revision read by a view) is a file:line:column line of its own.
        kept = "\n".join(line for line in text.splitlines()
                         if "WARNING" in line or "ERROR" in line or line.startswith(("Error", "Aborted", "  "))
                         or re.match(r"\S+:\d+:\d+: ", line))
        which = say("build_offline" if offline else "build_online") + (f", {language}" if language else "")
        raise BuildFailed(say("build_mkdocs_failed", which=which) + "\n" + kept)


def merge_languages(work: Path, languages: tuple[str, ...], site: Path) -> None:
    """One site from the per-language builds, as static-i18n's single build lays it out: the default language's
    build gives the root (assets, downloads, feeds, its 404 page), each other language its own folder (with its
    404 page, put there by hooks/not_found.py). Renames only: no byte is copied."""
    default, others = languages[0], languages[1:]
    (work / f"site-{default}").rename(site)
    for lang in others:
        (work / f"site-{lang}" / lang).rename(site / lang)


def mkdocs_build(dest: Path, offline: bool) -> None:
    """A full strict MkDocs build of both languages into `dest`."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "mkdocs.log"
        finish_mkdocs(start_mkdocs(dest, offline, log), offline, log)


def write_bundle(site: Path, zip_path: Path, plan) -> None:
    """Zip the offline site with a bilingual note on how to open it and the date its statuses speak for."""
    from macros.views.as_of import as_of_sentence
    note = (ROOT / "scripts" / "OFFLINE-README.txt").read_text(encoding="utf-8").format(
        version=plan.meta.version, **{f"as_of_{lang}": _ascii(as_of_sentence(plan, lang)) for lang in ("fr", "en")})
    top = zip_path.name.removesuffix(".zip")  # the folder it unzips to tells one quarter's copy from another
    # zlib level 6: a third of level 9's time for a zip 0.7 % larger (measured on the real plan).
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as bundle:
        bundle.writestr(f"{top}/LISEZMOI-README.txt", note)
        for path in sorted(site.rglob("*")):
            if path.is_file() and not path.name.endswith(BUNDLE_EXCLUDE):
                bundle.write(path, f"{top}/{path.relative_to(site).as_posix()}")


def _ascii(text: str) -> str:
    """The note stays plain ASCII, readable in any editor whatever encoding it guesses: accents dropped."""
    import unicodedata
    text = text.replace("«", '"').replace("»", '"').replace("\u2019", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def link_alias(path: Path, alias: Path) -> None:
    """`alias` as a second name of `path` (a hard link; a copy where links are not possible)."""
    if alias == path:
        return
    alias.unlink(missing_ok=True)
    try:
        os.link(path, alias)
    except OSError:
        shutil.copyfile(path, alias)


class PdfStep:
    """The PDFs of both languages: reused from .cache/pdf when what they are printed from is unchanged
    (macros/exchange/pdf_cache.py), else printed by a Chromium started before MkDocs ends (macros/exchange/pdf.py)."""

    def __init__(self, enabled: bool = True):
        from macros.data.load import data_path
        from macros.data.model import LANGUAGES
        from macros.exchange.pdf_cache import PdfCache
        from macros.system_tools import CHROMIUM, ChromiumNotFound, find_chromium, message

        self.languages = LANGUAGES
        self.cache = PdfCache(CACHE / "pdf")
        self.printer = None
        self.chromium = None
        self.printed = ()  # the languages printed by this build (the others were reused)
        if not enabled:
            return
        try:
            self.chromium = find_chromium()
        except ChromiumNotFound as exc:
            raise BuildFailed(str(exc)) from None
        # A build without its PDFs is not the documented build: `make build-site` is the knowing choice.
        if self.chromium is None:
            raise BuildFailed(message([CHROMIUM], "build"))
        if not self.cache.likely_fresh(LANGUAGES, ROOT, data_path()):
            self._start()  # ready when the pages are

    def _start(self) -> None:
        from macros.exchange.pdf import PdfError, Printer
        try:
            self.printer = Printer(self.chromium)
        except PdfError as exc:
            raise BuildFailed(say("build_pdf_failed", reason=exc)) from None

    def run(self, site: Path, dist: Path, plan) -> list[Path]:
        """Write dist/sip-<version>[-<period>]-<lang>.pdf for every language; return their paths."""
        from macros.exchange import names
        from macros.exchange.pdf import PdfError, configured_url
        from macros.exchange.pdf_cache import key, site_digest
        if self.chromium is None:
            return []
        url = configured_url(ROOT / "mkdocs.yml")
        paths = {lang: dist / names.pdf(plan, lang) for lang in self.languages}

        def keys() -> dict[str, str]:
            digest = site_digest(site)
            return {lang: key(digest, lang, plan, url, self.chromium) for lang in self.languages}

        hashing = _Concurrently(keys)
        hashing.start()
        # Chromium was started because a source changed: print at once, the keys are worked out meanwhile.
        missing = self.languages if self.printer is not None else None
        if missing is None:
            wanted = hashing.result()
            missing = tuple(lang for lang in self.languages if not self.cache.fetch(lang, wanted[lang], paths[lang]))
            if missing:
                self._start()
        if missing:
            try:
                self.printer.print_plan(site, dist, plan, url, missing)
            except PdfError as exc:
                raise BuildFailed(say("build_pdf_failed", reason=exc)) from None
            wanted = hashing.result()
            for lang in missing:
                self.cache.store(lang, wanted[lang], paths[lang])
            self.printed = tuple(missing)
        return list(paths.values())

    def close(self) -> None:
        if self.printer is not None:
            self.printer.close()


def committed_manifests() -> list[tuple[str, dict]]:
    """The permalink manifests of past releases (tests/permalinks/<version>.json): links that must keep working."""
    folder = ROOT / "tests" / "permalinks"
    return [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json"))]


class _Concurrently(threading.Thread):
    """Run `step` beside the calling thread; `result()` waits for it and re-raises its error."""

    def __init__(self, step, *args):
        super().__init__(daemon=True)
        self.step, self.args, self.error, self.value = step, args, None, None

    def run(self) -> None:
        try:
            self.value = self.step(*self.args)
        except BaseException as exc:  # noqa: BLE001 - handed over to the caller
            self.error = exc

    def result(self):
        self.join()
        if self.error is not None:
            raise self.error
        return self.value


def pipeline(work: Path, with_pdfs: bool = True) -> int:
    """Validate, build online, derive offline, check permalinks, then the zip beside the PDFs; outputs in `work`."""
    # Only what deciding how to run MkDocs needs, so that it starts at once; the rest is imported while it runs.
    from macros.data.model import LANGUAGES
    from macros.exchange.address import configured_url

    site = work / "site"
    timeline = Timeline(work / "timeline")
    # With a public address the offline pages differ from the online ones (hooks/seo.py leaves out hreflang links
    # and sitemaps, which need every page): then the site is one build of all languages and the offline variant a
    # full build of its own, beside it. Without one, each language is built by its own process, at once.
    full_offline = bool(configured_url(ROOT / "mkdocs.yml"))
    languages = ("",) if full_offline else LANGUAGES
    # MkDocs starts (imports, config) while the data is validated here: they overlap on two cores.
    online = {lang: start_mkdocs(work / (f"site-{lang}" if lang else "site"), offline=False,
                                 log=work / f"mkdocs-online{lang}.log", language=lang, timeline=timeline)
              for lang in languages}
    offline_log = work / "mkdocs-offline.log"
    offline = start_mkdocs(work / "offline", offline=True, log=offline_log, timeline=timeline) if full_offline else None
    pdfs = frozen = None
    try:
        from macros.data.load import data_path, display_name, validate
        from macros.exchange import names
        from macros.exchange.exports import CSV_NAME, JSON_NAME
        from frozen import FrozenRevisions, current_pages
        from offline import derive_offline
        from permalinks import explain, unresolved, write_manifest

        path = data_path()
        pdfs = PdfStep(with_pdfs)
        plan, problems = validate(path)
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        if plan is None:
            print(say("build_stopped", file=display_name(path)), file=sys.stderr)
            return 1
        timeline.mark("validated (MkDocs running meanwhile)")
        # Frozen revisions are built (on two cores, beside the current one) only when the cache lacks them.
        frozen = FrozenRevisions(path, plan, configured_url(ROOT / "mkdocs.yml"), (False, True) if full_offline
                                 else (False,), CACHE / "revisions")
        frozen.start()
        for lang, process in online.items():
            finish_mkdocs(process, offline=False, log=work / f"mkdocs-online{lang}.log", language=lang)
            timeline.mark(f"MkDocs online {lang or 'fr+en'} finished")
        if offline is not None:
            finish_mkdocs(offline, offline=True, log=offline_log)
            timeline.mark("MkDocs offline finished")
        else:
            merge_languages(work, languages, site)
            # Before the manifest is written: the offline bundle never held permalinks.json.
            derive_offline(site, work / "offline")
            timeline.mark("offline variant derived")
        write_manifest(site, plan.meta.version)
        broken = [f"{name}: {explain(entry, plan)}" for name, manifest in committed_manifests()
                  for entry in unresolved(manifest, site)]
        if broken:
            raise BuildFailed(say("build_permalinks_broken") + "\n  " + "\n  ".join(broken[:20]))
        timeline.mark("permalinks checked")
        for line in frozen.finish():
            print(line)
        timeline.mark("frozen revisions ready")
        pages = current_pages(site)
        frozen.publish(work / "offline", full_offline, pages)
        dist = work / "dist"
        dist.mkdir()
        # Named after the data they hold (sip-2023-11-2026Q3-offline.zip), each beside a stable alias (sip-latest-...).
        zip_name = names.offline_zip(plan)
        # The zip (zlib works outside the GIL) is written while Chromium prints both languages.
        bundle = _Concurrently(write_bundle, work / "offline", dist / zip_name, plan)
        bundle.start()
        for pdf in pdfs.run(site, dist, plan):
            link_alias(pdf, dist / names.alias(pdf.name, plan))
        timeline.mark("PDFs " + ("printed" if pdfs.printed else "reused"))
        # After the PDFs' key was worked out from the site: the frozen revisions have their own.
        frozen.publish(site, False, pages)
        frozen.publish_files(site)
        # Release assets: the downloads under versioned names.
        for name, suffix in ((JSON_NAME, ".json"), (CSV_NAME, "-activities.csv")):
            shutil.copyfile(site / name, dist / f"sip-{plan.meta.version}{suffix}")
        bundle.result()
        link_alias(dist / zip_name, dist / names.alias(zip_name, plan))
        timeline.mark("offline zip written (beside the PDFs)")
    except (BuildFailed, FrozenBuildFailed) as exc:
        print(exc, file=sys.stderr)
        print(say("build_failed"), file=sys.stderr)
        return 1
    finally:
        if frozen is not None:
            frozen.kill()
        if pdfs is not None:
            pdfs.close()
        for process in (*online.values(), offline):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    size = (dist / zip_name).stat().st_size
    summary = say("build_done", zip=zip_name, size=size / 1e6, file=display_name(path)) + "\n"
    if not with_pdfs:
        summary += say("build_no_pdf") + "\n"
    (work / SUMMARY).write_text(summary, encoding="utf-8")
    timeline.write(work / TIMELINE)
    return 0


def worker(work: Path, with_pdfs: bool) -> int:
    # The supervisor's death (even by SIGKILL) stops this process group: nothing keeps writing into .cache/.
    _die_with_parent()
    signal.signal(signal.SIGTERM, _stop_group)
    return pipeline(work, with_pdfs)


def _die_with_parent() -> None:
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


def _stop_group(signum, frame) -> None:
    """SIGTERM: stop MkDocs and Chromium started by this pipeline (its own process group), then this process."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.killpg(os.getpgid(0), signal.SIGTERM)


# --- the supervisor -----------------------------------------------------------------------------------------

def time_limit() -> float:
    value = os.environ.get(TIMEOUT_VAR, "").strip()
    if not value:
        return DEFAULT_TIMEOUT_S
    try:
        limit = float(value)
    except ValueError:
        limit = -1
    if not limit > 0:
        raise SystemExit(say("build_bad_timeout", variable=TIMEOUT_VAR, value=repr(value)))
    return limit


class _Stopped(Exception):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum, frame) -> None:
    raise _Stopped(signum)


def _stop(process: subprocess.Popen) -> None:
    """Stop the pipeline's whole process group: SIGTERM, then SIGKILL if it lingers."""
    for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(grace)
            break
        except subprocess.TimeoutExpired:
            continue
    # Chromium or MkDocs may outlive the worker for a moment; SIGKILL whatever is left of the group.
    with_group_gone = time.monotonic() + 5
    while time.monotonic() < with_group_gone:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def swap_in(work: Path) -> None:
    """Replace site/ and dist/ with the new ones (renames within one filesystem)."""
    # The owners' report workbooks (make report-kit) are not build outputs: they move into the new dist/ as they are.
    if (ROOT / "dist" / "report-kit").is_dir():
        (ROOT / "dist" / "report-kit").rename(work / "dist" / "report-kit")
    for name in ("site", "dist"):
        new, old = work / name, ROOT / name
        if old.exists():
            old.rename(work / f"old-{name}")
        new.rename(old)


def main(with_pdfs: bool = True) -> int:
    from macros import environment
    environment.require()  # every variable the build reads, before anything starts
    limit = time_limit()
    stale = scratch.clear_stale(CACHE)
    if stale:
        print(say("build_scratch_removed", count=len(stale)), file=sys.stderr)
    work = scratch.make(CACHE)
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in (signal.SIGTERM, signal.SIGINT)}
    process = None
    try:
        command = [sys.executable, __file__, "--worker", str(work)] + ([] if with_pdfs else [NO_PDF])
        process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        try:
            code = process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _stop(process)
            print(say("build_timed_out", limit=f"{limit:g}", variable=TIMEOUT_VAR, default=DEFAULT_TIMEOUT_S),
                  file=sys.stderr)
            return 1
        if code != 0:
            return 1
        # A stop request now would leave site/ and dist/ from two different builds: held until the end (ignored).
        signal.pthread_sigmask(signal.SIG_BLOCK, previous)
        swap_in(work)
        if (work / TIMELINE).is_file():
            (work / TIMELINE).replace(CACHE / f"build-{TIMELINE}")
        print((work / SUMMARY).read_text(encoding="utf-8"), end="")
        return 0
    except _Stopped as stopped:
        if process is not None:
            _stop(process)
        print(say("build_interrupted", signal=signal.Signals(stopped.signum).name), file=sys.stderr)
        return 128 + stopped.signum
    finally:
        scratch.remove(work)
        for sig in previous:
            signal.signal(sig, lambda *args: None)  # a stop request held during the swap comes too late to matter
        signal.pthread_sigmask(signal.SIG_UNBLOCK, previous)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    args = sys.argv[1:]
    with_pdfs = NO_PDF not in args
    args = [arg for arg in args if arg != NO_PDF]
    if len(args) == 2 and args[0] == "--worker":
        sys.exit(worker(Path(args[1]), with_pdfs))
    if args:
        sys.exit(f"usage: {sys.argv[0]} [{NO_PDF}]")
    sys.exit(main(with_pdfs))
