"""Frozen revisions in the published site: each built once per content key into .cache/revisions/<key>/, then
linked into the new site (and its offline variant) as revisions/<v>/ and en/revisions/<v>/.

A frozen revision is a MkDocs build of its own data file (SIP_DATA) with SIP_REVISION_PREFIX=revisions/<v>
(overrides/hooks/revision_prefix.py). Only the two prefixed folders are kept: theme assets, search and its index
are the current site's. Its downloads and feeds are kept under the prefix, where its pages link to them. The key
covers what the pages are made of: the frozen file's bytes, the code, templates, theme and labels (every file of
macros/, overrides/, docs/, mkdocs.yml and this module, and the versions of the packages that render them), the
site's address, the offline flag and the current revision's name, which the banner shows. The map the banner's
link reads (current.js: where each element is now) depends on the current data: it is written at every build.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ("macros", "overrides", "docs", "mkdocs.yml", "scripts/frozen.py")
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "mkdocs-macros-plugin", "markdown",
            "pymdown-extensions", "jinja2", "pyyaml", "babel")
MARKER = "built.json"  # written once, when the revision is built: a reused one keeps its own
ANCHORS = "anchors.json"  # the revision's plan anchors, read to write its map without validating it again
PREFIX_VAR, CURRENT_VAR = "SIP_REVISION_PREFIX", "SIP_CURRENT_DATA"


# A cached revision unused for this long is removed (a code change makes new keys); a scratch folder this old was
# left by a build that was killed.
UNUSED_S, SCRATCH_S = 14 * 86400, 3600


def _stop_build(process: subprocess.Popen | None, scratch: Path | None) -> None:
    """Stop a build still running (another step failed) and remove its scratch folder."""
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


class FrozenBuildFailed(Exception):
    pass


def prune(cache: Path, now: float) -> None:
    """Remove the cache's revisions unused for UNUSED_S and scratch folders older than SCRATCH_S."""
    for folder in cache.iterdir() if cache.is_dir() else ():
        try:
            if folder.name.startswith("tmp-"):
                stale = now - folder.stat().st_mtime > SCRATCH_S
            else:
                stale = now - (folder / MARKER).stat().st_mtime > UNUSED_S
        except OSError:
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)


def code_digest(root: Path = ROOT) -> str:
    """Every file the pages are rendered with, by path and content, and the versions of the rendering packages."""
    digest = hashlib.sha256()
    for name in CODE:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    digest.update(json.dumps([version(p) for p in PACKAGES]).encode())
    return digest.hexdigest()


def revision_key(frozen_file: Path, code: str, url: str, offline: bool, current_name: dict) -> str:
    facts = json.dumps({"data": hashlib.sha256(frozen_file.read_bytes()).hexdigest(), "code": code, "url": url,
                        "offline": offline, "current": current_name}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(facts.encode("utf-8")).hexdigest()[:32]


def _problems(log: Path) -> str:
    """What MkDocs said went wrong: its warnings and errors, and the data problems the macros listed (file:line)."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(line for line in lines if line.strip() and not line.startswith(("INFO", "DEBUG")))


def _link_or_copy(source: str, dest: str) -> None:
    try:
        os.link(source, dest)  # same filesystem: no bytes copied
    except OSError:
        shutil.copy2(source, dest)


def published_folders(version: str) -> tuple[str, ...]:
    """The site folders a frozen revision owns (the default language at the root, the others under their code)."""
    from macros.data.model import LANGUAGES
    return tuple(f"revisions/{version}" if lang == LANGUAGES[0] else f"{lang}/revisions/{version}"
                 for lang in LANGUAGES)


@dataclass
class FrozenSite:
    """One frozen revision, for one variant (online or offline), cached under .cache/revisions/<key>/."""

    version: str
    data: Path
    key: str
    folder: Path
    offline: bool
    process: subprocess.Popen | None = None
    scratch: Path | None = None

    @property
    def cached(self) -> bool:
        return (self.folder / MARKER).is_file()

    def start(self, current_data: Path) -> None:
        """Start its MkDocs build unless the cache holds it."""
        if self.cached:
            return
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self.scratch = Path(tempfile.mkdtemp(prefix=f"tmp-{self.version}-", dir=self.folder.parent))
        env = dict(os.environ, SIP_DATA=str(self.data), SIP_OFFLINE="true" if self.offline else "false",
                   NO_MKDOCS_2_WARNING="1", SIP_LANGUAGE="", **{PREFIX_VAR: f"revisions/{self.version}",
                                                              CURRENT_VAR: str(current_data)})
        log = (self.scratch / "mkdocs.log").open("w")
        with log:
            # Never add -q: with it, strict mode lets warnings through.
            self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                                             str(self.scratch / "build")], cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, text=True)

    def finish(self) -> str:
        """Wait for its build and store it in the cache; 'reused' or 'built'."""
        if self.process is None:
            os.utime(self.folder / MARKER)  # last used now (prune)
            return "reused"
        try:
            if self.process.wait() != 0:
                raise FrozenBuildFailed(f"frozen revision {self.version} ({self.data}) failed to build:\n"
                                        + _problems(self.scratch / "mkdocs.log"))
            self._keep(self.scratch / "build", self.scratch / "site")
            from macros.data.load import load_plan
            from macros.revisions.anchors import landings
            (self.scratch / "site" / ANCHORS).write_text(json.dumps(sorted(landings(load_plan(self.data)))) + "\n",
                                                         encoding="utf-8")
            (self.scratch / "site" / MARKER).write_text(json.dumps(
                {"version": self.version, "key": self.key, "offline": self.offline}) + "\n", encoding="utf-8")
            try:
                (self.scratch / "site").rename(self.folder)  # atomic: a half-built revision is never reused
            except OSError:
                if not self.cached:  # not another build storing the same key at the same time
                    raise
            return "built"
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.process = None

    def _keep(self, build: Path, site: Path) -> None:
        """From a whole build, the revision's folders, with its downloads and feeds moved in under the prefix."""
        from macros.data.model import LANGUAGES
        from macros.exchange.exports import JSON_NAME
        from macros.exchange.feed import FEED_NAME
        folders = published_folders(self.version)
        for folder in folders:
            (site / folder).parent.mkdir(parents=True, exist_ok=True)
            (build / folder).rename(site / folder)
        downloads = JSON_NAME.split("/")[0]
        if (build / downloads).is_dir():
            (build / downloads).rename(site / folders[0] / downloads)
        for lang, folder in zip(LANGUAGES, folders):
            feed = build / ("" if lang == LANGUAGES[0] else lang) / FEED_NAME
            if feed.is_file():
                feed.rename(site / folder / FEED_NAME)

    def publish(self, site: Path) -> None:
        """Link the cached revision into `site` (hard links: no byte copied, and the cache is never written)."""
        for folder in published_folders(self.version):
            (site / folder).parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(self.folder / folder, site / folder, copy_function=_link_or_copy)

    def kill(self) -> None:
        _stop_build(self.process, self.scratch)


DOWNLOADS = "downloads/revisions"  # a frozen revision's PDFs and offline zip, in the online site


@dataclass
class FrozenFiles:
    """A frozen revision's own PDFs and offline zip, made from its site as it was when current (no prefix, no
    banner), cached under .cache/revisions/<key>/ like its pages. Without Chromium the zip alone is kept."""

    version: str
    data: Path
    key: str
    folder: Path
    chromium: str | None
    process: subprocess.Popen | None = None
    scratch: Path | None = None

    @property
    def cached(self) -> bool:
        return (self.folder / MARKER).is_file()

    def start(self) -> None:
        if self.cached:
            return
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self.scratch = Path(tempfile.mkdtemp(prefix=f"tmp-{self.version}-files-", dir=self.folder.parent))
        env = dict(os.environ, SIP_DATA=str(self.data), SIP_OFFLINE="true", NO_MKDOCS_2_WARNING="1", SIP_LANGUAGE="")
        for name in (PREFIX_VAR, CURRENT_VAR, "SITE_URL"):  # the bundle as it was: no prefix and no address
            env.pop(name, None)
        with (self.scratch / "mkdocs.log").open("w") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                                             str(self.scratch / "build")], cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, text=True)

    def finish(self) -> str:
        if self.process is None:
            os.utime(self.folder / MARKER)
            return "reused"
        from build import write_bundle
        from macros.data.load import load_plan
        from macros.exchange.names import offline_zip
        try:
            if self.process.wait() != 0:
                raise FrozenBuildFailed(f"frozen revision {self.version} ({self.data}): its offline bundle failed "
                                        "to build:\n" + _problems(self.scratch / "mkdocs.log"))
            files, plan = self.scratch / "files", load_plan(self.data)
            files.mkdir()
            write_bundle(self.scratch / "build", files / offline_zip(plan), plan)
            if self.chromium is not None:
                from macros.exchange.pdf import PdfError, print_plan
                try:
                    # Links to other pages become plain text: the current site's address is not this revision's.
                    print_plan(self.scratch / "build", files, plan, "", self.chromium)
                except PdfError as exc:
                    raise FrozenBuildFailed(f"frozen revision {self.version}: printing its PDFs failed: {exc}") from None
            (files / MARKER).write_text(json.dumps({"version": self.version, "key": self.key}) + "\n", encoding="utf-8")
            try:
                files.rename(self.folder)
            except OSError:
                if not self.cached:
                    raise
            return "built"
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.process = None

    def publish(self, site: Path) -> None:
        dest = site / DOWNLOADS
        dest.mkdir(parents=True, exist_ok=True)
        for file in sorted(self.folder.glob(f"sip-{self.version}-*")):
            _link_or_copy(str(file), str(dest / file.name))

    def kill(self) -> None:
        _stop_build(self.process, self.scratch)


class FrozenRevisions:
    """Every frozen revision beside the current data file, for the online site and, if asked, the offline one."""

    def __init__(self, current_data: Path, current_plan, url: str, variants: tuple[bool, ...], cache: Path):
        from macros.revisions.banner import revision_name
        from macros.revisions.store import frozen_revisions
        from macros.data.model import LANGUAGES
        self.current_data, self.current_plan = current_data, current_plan
        self.revisions = frozen_revisions(current_data)
        prune(cache, time.time())
        code = code_digest() if self.revisions else ""
        name = {lang: revision_name(current_plan.meta, lang) for lang in LANGUAGES}
        self.sites: dict[bool, list[FrozenSite]] = {}
        for offline in variants:
            self.sites[offline] = []
            for revision in self.revisions:
                key = revision_key(revision.path, code, url, offline, name)
                self.sites[offline].append(FrozenSite(revision.version, revision.path, key, cache / key, offline))
        from macros.exchange.pdf import find_chromium
        chromium = find_chromium() if self.revisions else None
        printing = [chromium and str(Path(chromium).resolve()), version("playwright"), version("pypdf"),
                    *(hashlib.sha256((ROOT / "scripts" / name).read_bytes()).hexdigest()
                      for name in ("build.py", "OFFLINE-README.txt"))]
        self.files = []
        for revision in self.revisions:
            key = revision_key(revision.path, code, "", True, {"files": printing})
            self.files.append(FrozenFiles(revision.version, revision.path, key, cache / key, chromium))

    def start(self) -> None:
        for sites in self.sites.values():
            for frozen in sites:
                frozen.start(self.current_data)
        for files in self.files:
            files.start()

    def finish(self) -> list[str]:
        """Wait for the builds; one line per revision and variant saying whether it was reused or built."""
        lines = [f"frozen revision {frozen.version} ({'offline' if frozen.offline else 'online'}): "
                 f"{frozen.finish()} (.cache/revisions/{frozen.key})"
                 for sites in self.sites.values() for frozen in sites]
        return lines + [f"frozen revision {files.version} (PDFs and zip): {files.finish()} (.cache/revisions/{files.key})"
                        for files in self.files]

    def publish_files(self, site: Path) -> None:
        """Each revision's PDFs and offline zip into `site`/downloads/revisions/."""
        for files in self.files:
            files.publish(site)

    def publish(self, site: Path, offline: bool, pages: list[str]) -> None:
        """Link every revision of that variant into `site`, with the map of where its elements are now."""
        from macros.revisions.current_map import write_map
        for frozen in self.sites[offline]:
            frozen.publish(site)
            anchors = json.loads((frozen.folder / ANCHORS).read_text(encoding="utf-8"))
            write_map(site / published_folders(frozen.version)[0], anchors, self.current_plan, pages)

    def kill(self) -> None:
        for each in [*(f for sites in self.sites.values() for f in sites), *self.files]:
            each.kill()


def current_pages(site: Path) -> list[str]:
    """The current revision's pages, language-neutral ('pillars/2.html'): those of the default language."""
    from macros.data.model import LANGUAGES
    others = tuple(f"{lang}/" for lang in LANGUAGES[1:])
    return sorted(rel for rel in (p.relative_to(site).as_posix() for p in site.rglob("*.html"))
                  if not rel.startswith(others + ("revisions/", "assets/")) and rel != "404.html")
