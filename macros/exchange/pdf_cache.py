"""PDFs of the previous build reused when everything they are printed from is byte for byte the same.

The key covers what Chromium and pypdf read: every file of the built site that a page without scripts can load or
link to (JavaScript is off when printing and no data file is fetched, so scripts, JSON, XML and CSV are left out:
the JSON download carries the build's time), the list of all files (a link is kept only to a file that exists),
the site's address, the document information, the printing code (page furniture included), the cover's page label and the versions of Chromium, Playwright and pypdf.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

from ..labels import labels
from . import pdf, pdf_pages

NOT_PRINTED = (".js", ".map", ".json", ".xml", ".gz", ".csv", ".xlsx", ".zip")
# Where a change makes a new PDF likely: checked by mtime before MkDocs runs, to start Chromium early or not.
SOURCES = ("data", "docs", "macros", "overrides", "mkdocs.yml")


def site_digest(site: Path) -> bytes:
    """What the PDFs of every language can read from the built `site`, hashed once."""
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        digest.update(name.encode() + b"\0")
        if not name.endswith(NOT_PRINTED):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def key(site_hash: bytes, lang: str, plan, public_url: str, chromium: str) -> str:
    """The key of the `lang` PDF printed from a site whose site_digest() is `site_hash`."""
    binary = Path(chromium).resolve()
    facts = json.dumps({
        "lang": lang, "url": public_url, "metadata": pdf.metadata(plan, lang),
        "code": [hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest() for module in (pdf, pdf_pages)],
        "cover_label": labels(lang)["pdf_cover_label"],
        "chromium": [str(binary), binary.stat().st_size, binary.stat().st_mtime_ns],
        "versions": [version("playwright"), version("pypdf")],
    }, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(site_hash + facts.encode("utf-8")).hexdigest()


# PDFs kept per language, the most recently used: a build of another data file (a preview, a fixture, a failed
# build) must not evict the release's PDFs, or the next `make build` prints them again (~3 s of Chromium).
KEEP = 6


class PdfCache:
    """The last KEEP PDFs per language in `folder` (.cache/pdf), named by their key: storing is one rename, so
    builds running at once never pair a key with another build's file."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, lang: str, wanted: str) -> Path:
        return self.folder / f"{lang}-{wanted}.pdf"

    def likely_fresh(self, languages, root: Path, data: Path | None = None) -> bool:
        """Whether every language has a PDF newer than every source and the `data` file: then Chromium is probably
        not needed."""
        stored = [max(self.folder.glob(f"{lang}-*.pdf"), default=None, key=lambda p: p.stat().st_mtime_ns)
                  for lang in languages]
        if None in stored:
            return False
        oldest = min(path.stat().st_mtime_ns for path in stored)
        if data is not None and data.is_file() and data.stat().st_mtime_ns > oldest:
            return False
        for name in SOURCES:
            if (root / name).is_file() and (root / name).stat().st_mtime_ns > oldest:
                return False
            for folder, _, files in os.walk(root / name):
                if any(os.stat(os.path.join(folder, file)).st_mtime_ns > oldest for file in files):
                    return False
        return True

    def fetch(self, lang: str, wanted: str, dest: Path) -> bool:
        """Copy the PDF printed for the key `wanted` to `dest`, if there is one."""
        try:
            shutil.copyfile(self._path(lang, wanted), dest)
            os.utime(self._path(lang, wanted))  # used now: the last to be evicted
        except OSError:
            return False
        return True

    def store(self, lang: str, wanted: str, printed: Path) -> None:
        """Keep `printed` as the `lang` PDF for the key `wanted`; evict the least recently used beyond KEEP."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._path(lang, wanted)
        with tempfile.NamedTemporaryFile(dir=self.folder, suffix=".tmp", delete=False) as temporary:
            with printed.open("rb") as source:
                shutil.copyfileobj(source, temporary)
        os.replace(temporary.name, target)
        stored = sorted(self.folder.glob(f"{lang}-*.pdf"), key=_last_used, reverse=True)
        for older in (path for path in stored[KEEP:] if path != target):
            older.unlink(missing_ok=True)


def _last_used(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # evicted meanwhile by a build running at the same time
        return 0
