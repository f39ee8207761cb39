"""`make revision-freeze`: copy the current revision to revisions/<version>.yaml, its fingerprint and manifest."""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..data.load import ROOT, data_path, display_name, validate
from .check import check_revisions
from .index import Entry, read_index, with_entry
from .store import MANIFESTS, fingerprint, index_path, manifest_path, revisions_folder


class Refused(Exception):
    """The freeze cannot be done; the message is one line and nothing was written."""


@dataclass(frozen=True)
class Frozen:
    version: str
    path: Path
    index: Path
    manifest: Path


@contextmanager
def writing(path: Path):
    """The lock around the read-validate-write of a writer of data files: the one place to wire it
    (macros/exchange/writer.py's writing(path, doing="freezing the revision", again="make revision-freeze"))."""
    yield


def freeze(current: Path, manifest: Path | None = None, manifests: Path = MANIFESTS,
           today: datetime.date | None = None) -> Frozen:
    """Freeze the revision in `current`; `manifest` is a built site's permalinks.json of this revision (else the
    committed `manifests/<version>.json` is used). Raises Refused, having written nothing, when it cannot."""
    raw = current.read_bytes()
    plan, problems = validate(current)
    errors = [p for p in problems if p.severity == "error"]
    if plan is None:
        raise Refused(f"{display_name(current)} does not validate ({len(errors)} error(s)): run make check, fix them, "
                      "then freeze")
    version = plan.meta.version
    target, index = revisions_folder(current) / f"{version}.yaml", index_path(current)
    _refuse_if_frozen(current, version)
    report = check_revisions(current)
    if report.errors:
        raise Refused(f"the frozen revisions have {len(report.errors)} error(s): run make check and fix them first")
    urls = _manifest_urls(version, manifest, manifest_path(version, manifests))
    manifest_text = json.dumps({"version": version, "urls": urls}, indent=1) + "\n"
    kept = manifest_path(version, manifests)
    entry = Entry(version, _sha256(raw), 0, (today or datetime.date.today()).isoformat(), _project_path(kept),
                  _sha256(manifest_text.encode("utf-8")))
    index_text = with_entry(index, entry)
    if current.read_bytes() != raw:
        raise Refused(f"{display_name(current)} changed while it was being frozen: run make revision-freeze again")
    # The index last: a freeze stopped half-way leaves a file that is not in the index, which make check names.
    _write(kept, manifest_text.encode("utf-8"))
    _write(target, raw)
    _write(index, index_text.encode("utf-8"))
    if fingerprint(target) != entry.sha256 or not any(e.version == version for e in read_index(index)[0]):
        raise Refused(f"writing {display_name(target)} or {display_name(index)} failed: check the disk, then make check")
    return Frozen(version, target, index, kept)


def adopt(current: Path, version: str, today: datetime.date | None = None) -> Entry:
    """Record in the index a frozen file written before the index existed (a revision frozen by hand, a fixture):
    its fingerprint as it is now, and no manifest. Refused if it is already listed or does not validate."""
    target, index = revisions_folder(current) / f"{version}.yaml", index_path(current)
    if not target.is_file():
        raise Refused(f"there is no frozen file {display_name(target)}")
    if any(e.version == version for e in read_index(index)[0]):
        raise Refused(f"revision {version} is already in {display_name(index)}")
    raw = target.read_bytes()
    plan, _ = validate(target)
    if plan is None or plan.meta.version != version:
        raise Refused(f"{display_name(target)} does not validate as revision {version}: run make check")
    entry = Entry(version, _sha256(raw), 0, (today or datetime.date.today()).isoformat())
    _write(index, with_entry(index, entry).encode("utf-8"))
    return entry


def _manifest_urls(version: str, built: Path | None, committed: Path) -> list[str]:
    """The links published while this revision was current: the build's manifest, which holds every committed one."""
    kept = _read_manifest(committed, version) if committed.exists() else None
    fresh = _read_manifest(built, version) if built is not None else None
    if fresh is None and kept is None:
        raise Refused(f"no permalink manifest for revision {version}: build the site first (make revision-freeze does), "
                      f"or commit {_project_path(committed)}")
    if fresh is None:
        return kept
    lost = sorted(set(kept or ()) - set(fresh))
    if lost:
        raise Refused(f"the built site no longer serves {len(lost)} link(s) of {_project_path(committed)}, e.g. "
                      f"{lost[0]}: rebuild from the data being frozen")
    return fresh


def _read_manifest(path: Path, version: str) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Refused(f"cannot read the permalink manifest {display_name(path)}: {exc}") from None
    urls = data.get("urls") if isinstance(data, dict) else None
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise Refused(f"{display_name(path)} is not a permalink manifest (no list of 'urls')")
    if data.get("version") != version:
        raise Refused(f"{display_name(path)} is the manifest of revision {data.get('version')!r}, not {version}: "
                      "build the site from the data being frozen")
    return sorted(set(urls))


def _project_path(path: Path) -> str:
    """How the index names a file: relative to the project when inside it (tests/permalinks/2023-11.json)."""
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a temporary file beside `path`, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make revision-freeze", description=__doc__)
    parser.add_argument("--manifest", type=Path, help="the built site's permalinks.json for this revision")
    parser.add_argument("--manifests", type=Path, default=MANIFESTS, help="where permalink manifests are kept")
    parser.add_argument("--dry-run", action="store_true", help="only say whether the freeze would be refused")
    parser.add_argument("--adopt", metavar="VERSION", help="record an existing frozen file in the index (no manifest)")
    args = parser.parse_args(argv)
    current = data_path()
    try:
        with writing(current):
            if args.dry_run:
                _dry_run(current)
                return 0
            if args.adopt:
                adopt(current, args.adopt)
                print(f"recorded revisions/{args.adopt}.yaml in {display_name(index_path(current))}")
                return 0
            frozen = freeze(current, args.manifest, args.manifests)
    except Refused as exc:
        print(f"make revision-freeze: refused: {exc}", file=sys.stderr)
        return 1
    names = [display_name(p) for p in (frozen.path, frozen.index, frozen.manifest)]
    print(f"froze revision {frozen.version} as {names[0]} (fingerprint in {names[1]}, manifest {names[2]}); "
          f"commit them: git add {' '.join(names)}")
    return 0


def _dry_run(current: Path) -> None:
    """The quick refusals, before make builds the site for the manifest."""
    plan, problems = validate(current)
    if plan is None:
        raise Refused(f"{display_name(current)} does not validate: run make check, fix the errors, then freeze")
    _refuse_if_frozen(current, plan.meta.version)


def _refuse_if_frozen(current: Path, version: str) -> None:
    target = revisions_folder(current) / f"{version}.yaml"
    if target.exists() or any(e.version == version for e in read_index(index_path(current))[0]):
        raise Refused(f"revision {version} is already frozen ({display_name(target)}): set meta.version to the next "
                      "revision's before freezing again")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
